package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void defaultsToTheSeedsRoleAndDatabase() {
        assertThat(DatabaseUrl.parse(null, null, null))
                .isEqualTo(new DatabaseUrl("127.0.0.1", 5432, "moolai_controller", "moolai", "moolai"));
    }

    @Test
    void readsTheSeedsAsyncpgUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+asyncpg://ops:s%40cret@db.local:6543/fleet", null, null);

        assertThat(url).isEqualTo(new DatabaseUrl("db.local", 6543, "fleet", "ops", "s@cret"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/fleet");
    }

    @Test
    void takesTheRoleFromTheEnvironmentWhenAJdbcUrlHasNone() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/other", "someone", "pw"))
                .isEqualTo(new DatabaseUrl("127.0.0.1", 5432, "other", "someone", "pw"));
    }

    @Test
    void refusesWhatIsNotPostgres() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://x/y", null, null))
                .hasMessageContaining("postgresql://");
    }
}
