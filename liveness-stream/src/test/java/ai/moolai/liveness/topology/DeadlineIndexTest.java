package ai.moolai.liveness.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    private final DeadlineIndex index = new DeadlineIndex();

    @Test
    void returnsWhatIsDueInTimeOrderAndOnlyOnce() {
        index.schedule("d", 300, "c");
        index.schedule("d", 100, "a");
        index.schedule("d", 200, "b");
        index.schedule("w", 100, "window-of-a");

        assertThat(index.takeDue("d", 250)).extracting(DeadlineIndex.Due::orchestratorId).containsExactly("a", "b");
        assertThat(index.takeDue("d", 250)).isEmpty();
        assertThat(index.takeDue("d", 300)).extracting(DeadlineIndex.Due::at).containsExactly(300L);
        assertThat(index.takeDue("w", 1000)).extracting(DeadlineIndex.Due::orchestratorId).containsExactly("window-of-a");
        assertThat(index.size("d")).isZero();
    }

    @Test
    void anEntryForATimeAlreadyPastIsDueAtTheNextCheck() {
        index.takeDue("d", 500);
        index.schedule("d", 200, "late");

        assertThat(index.takeDue("d", 501)).extracting(DeadlineIndex.Due::orchestratorId).containsExactly("late");
    }

    @Test
    void keepsOrchestratorsDueAtTheSameMomentApart() {
        index.schedule("d", 100, "a");
        index.schedule("d", 100, "b");
        index.schedule("d", 100, "a");

        assertThat(index.takeDue("d", 100)).extracting(DeadlineIndex.Due::orchestratorId).containsExactly("a", "b");
    }
}
