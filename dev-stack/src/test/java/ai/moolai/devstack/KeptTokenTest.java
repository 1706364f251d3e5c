package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev stack's tokens: random on the first run, kept for the owner only, reused; their variable
 * (DEV_BEARER_TOKEN, MANAGEMENT_TOKEN) overrides them.
 */
class KeptTokenTest {

    @TempDir
    Path data;

    @Test
    void makesARandomTokenOnTheFirstRunAndKeepsItForTheNext() throws Exception {
        String first = KeptToken.ADMIN.of(data.resolve("stack"), null);

        Path kept = data.resolve("stack").resolve("admin-token");
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(Files.readString(kept).strip()).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
        assertThat(KeptToken.ADMIN.of(data.resolve("stack"), "")).isEqualTo(first);
        assertThat(KeptToken.ADMIN.keptFile(data.resolve("stack"), first)).contains(kept);
        assertThat(KeptToken.ADMIN.of(data.resolve("another"), null)).as("each stack its own").isNotEqualTo(first);
    }

    @Test
    void theVariableOverridesAndIsNotWritten() throws Exception {
        String mine = "my-own-admin-token-of-32-characters";

        assertThat(KeptToken.ADMIN.of(data, mine)).isEqualTo(mine);
        assertThat(data.resolve("admin-token")).doesNotExist();
        assertThat(KeptToken.ADMIN.keptFile(data, mine)).isEmpty();
        assertThat(KeptToken.ADMIN.source(data, mine)).isEqualTo("from DEV_BEARER_TOKEN");
    }

    @Test
    void theManagementTokenIsKeptApartFromTheAdminToken() throws Exception {
        String admin = KeptToken.ADMIN.of(data, null);
        String management = KeptToken.MANAGEMENT.of(data, null);

        assertThat(management).matches("[0-9a-f]{64}").isNotEqualTo(admin);
        assertThat(Files.readString(data.resolve("management-token")).strip()).isEqualTo(management);
        assertThat(KeptToken.MANAGEMENT.of(data, null)).isEqualTo(management);
        assertThat(KeptToken.MANAGEMENT.source(data, management)).isEqualTo("kept in " + data.resolve("management-token"));
    }
}
