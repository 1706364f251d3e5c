package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.moolai.process.ChildProcess;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard in a real browser (Chromium, driven by Playwright) against the whole stack: the
 * script {@code frontend/e2e/dashboard.e2e.mjs} walks an admin's day and saves screenshots of the
 * main pages to {@code e2e/target/screenshots}.
 */
@ExtendWith(E2eStack.Extension.class)
class DashboardEndToEndTest {

    @Test
    void anAdminProvisionsAnOrchestratorSeesItLiveDecidesAndFindsItAllInTheActivityLog(E2eStack stack) throws Exception {
        Path screenshots = E2eStack.ROOT.resolve("e2e/target/screenshots");
        Path script = E2eStack.ROOT.resolve("frontend/e2e/dashboard.e2e.mjs");
        stack.run("dashboard-e2e", List.of("node", script.toString()), Map.of(
                "DASHBOARD_URL", stack.services().apiUrl().toString(),
                "ADMIN_TOKEN", ApiClient.ADMIN,
                "EDGE_URL", stack.services().edgeUrl().toString(),
                "AGENT_JAR", E2eStack.ROOT.resolve("orchestrator-agent/target/orchestrator-agent.jar").toString(),
                "JAVA", ChildProcess.jdkTool("java"),
                "WORK_DIR", stack.home().resolve("dashboard-agents").toString(),
                "SCREENSHOTS", screenshots.toString()), Duration.ofMinutes(4));
        assertThat(screenshots).isDirectoryContaining("glob:**/fleet.png").isDirectoryContaining("glob:**/orchestrator.png")
                .isDirectoryContaining("glob:**/activity.png").isDirectoryContaining("glob:**/recommendations.png")
                .isDirectoryContaining("glob:**/organizations.png").isDirectoryContaining("glob:**/waiting-for-approval.png");
    }
}
