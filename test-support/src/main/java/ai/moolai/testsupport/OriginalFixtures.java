package ai.moolai.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The original orchestrator's exact frames and HTTP bodies ({@code original-orchestrator/}), for one
 * orchestrator id. Its register body carries connection strings with passwords, each containing
 * {@value #SECRET_MARK}, so a test can tell that none of them was kept or logged.
 */
public final class OriginalFixtures {

    /** Part of every password in the fixtures. */
    public static final String SECRET_MARK = "s3cret";

    /** Every fixture. */
    public static final List<String> ALL = List.of("handshake.json", "i_am_alive.json", "keepalive.json", "register.json",
            "heartbeat.json");

    private OriginalFixtures() {
    }

    /** The fixture of this name, for this orchestrator. */
    public static String of(String name, String orchestratorId) {
        try (InputStream in = OriginalFixtures.class.getResourceAsStream("/original-orchestrator/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture original-orchestrator/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{ORCHESTRATOR_ID}}", orchestratorId).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
