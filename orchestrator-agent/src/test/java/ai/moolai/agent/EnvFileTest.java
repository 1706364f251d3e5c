package ai.moolai.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    @TempDir
    Path folder;

    @Test
    void rewritesTheModeKeepingEveryOtherLineAndComment() throws Exception {
        Path path = folder.resolve(".env");
        Files.writeString(path, """
                # Controller connection
                CONTROLLER_WS_URL=ws://localhost:8765/ws
                ORCHESTRATOR_INDEPENDENT=false

                # Identity
                ORCHESTRATOR_ID=orch-001
                """);
        EnvFile env = new EnvFile(path);

        env.update(Map.of("ORCHESTRATOR_INDEPENDENT", "true", "ORCHESTRATOR_PRIVACY_MODE", "true"));

        assertThat(Files.readString(path)).isEqualTo("""
                # Controller connection
                CONTROLLER_WS_URL=ws://localhost:8765/ws
                ORCHESTRATOR_INDEPENDENT=true

                # Identity
                ORCHESTRATOR_ID=orch-001
                ORCHESTRATOR_PRIVACY_MODE=true
                """);
        assertThat(env.read()).containsEntry("ORCHESTRATOR_INDEPENDENT", "true").containsEntry("ORCHESTRATOR_ID", "orch-001");
    }

    @Test
    void replacesTheFileByRenameLeavingNoTemporaryFile() throws Exception {
        Path path = folder.resolve(".env");
        Files.writeString(path, "A=1\n");
        Object before = Files.readAttributes(path, BasicFileAttributes.class).fileKey();

        new EnvFile(path).update(Map.of("A", "2"));

        assertThat(Files.readAttributes(path, BasicFileAttributes.class).fileKey())
                .as("a new file renamed over the old one, not the old one rewritten in place").isNotEqualTo(before);
        try (var files = Files.list(folder)) {
            assertThat(files).containsExactly(path);
        }
    }

    @Test
    void leavesTheFileReadableByItsOwnerOnlyEvenIfItWasReadableByAll() throws Exception {
        Path path = folder.resolve(".env");
        Files.writeString(path, "ORCHESTRATOR_TOKEN=mo_secret\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

        new EnvFile(path).update(Map.of("ORCHESTRATOR_INDEPENDENT", "true"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
    }

    @Test
    void createsAMissingFileReadableByItsOwnerOnly() throws Exception {
        Path path = folder.resolve("config/.env");

        new EnvFile(path).update(Map.of("ORCHESTRATOR_INDEPENDENT", "true"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
    }

    @Test
    void readsQuotedValuesAndExports() throws Exception {
        Path path = folder.resolve(".env");
        Files.writeString(path, "export ORCHESTRATOR_TOKEN=\"mo_x\"\nNAME='Acme'\n#NOT=this\n");

        assertThat(new EnvFile(path).read()).containsExactly(Map.entry("ORCHESTRATOR_TOKEN", "mo_x"), Map.entry("NAME", "Acme"));
    }
}
