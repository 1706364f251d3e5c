package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev stack's admin token: random on the first run, kept for the owner only, reused; DEV_BEARER_TOKEN overrides it. */
class AdminTokenTest {

    @TempDir
    Path data;

    @Test
    void makesARandomTokenOnTheFirstRunAndKeepsItForTheNext() throws Exception {
        String first = AdminToken.of(data.resolve("stack"), null);

        Path kept = data.resolve("stack").resolve("admin-token");
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(Files.readString(kept).strip()).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
        assertThat(AdminToken.of(data.resolve("stack"), "")).isEqualTo(first);
        assertThat(AdminToken.keptFile(data.resolve("stack"), first)).contains(kept);
        assertThat(AdminToken.of(data.resolve("another"), null)).as("each stack its own").isNotEqualTo(first);
    }

    @Test
    void devBearerTokenOverridesAndIsNotWritten() throws Exception {
        String mine = "my-own-admin-token-of-32-characters";

        assertThat(AdminToken.of(data, mine)).isEqualTo(mine);
        assertThat(data.resolve("admin-token")).doesNotExist();
        assertThat(AdminToken.keptFile(data, mine)).isEmpty();
    }
}
