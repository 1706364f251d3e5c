package ai.moolai.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * control-api's admin token as {@code ./dev-stack/run} runs it: {@code DEV_BEARER_TOKEN} when set,
 * otherwise a random one made on the first run and kept, readable by its owner only, in
 * {@code admin-token} in the stack's data folder for every later run. No token is built in.
 */
final class AdminToken {

    static final String FILE = "admin-token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminToken() {
    }

    /** The token to run with: {@code override} if set, else the kept one, made now if there is none. */
    static String of(Path data, String override) throws IOException {
        if (override != null && !override.isBlank()) {
            return override;
        }
        Path kept = data.resolve(FILE);
        if (Files.isRegularFile(kept)) {
            String token = Files.readString(kept, StandardCharsets.UTF_8).strip();
            if (!token.isEmpty()) {
                return token;
            }
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Files.createDirectories(data);
        Path written = Files.createTempFile(data, FILE, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, token + "\n", StandardCharsets.UTF_8);
        Files.move(written, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    /** The file the token is kept in, unless it came from {@code DEV_BEARER_TOKEN}. */
    static Optional<Path> keptFile(Path data, String token) throws IOException {
        Path kept = data.resolve(FILE);
        return Files.isRegularFile(kept) && Files.readString(kept, StandardCharsets.UTF_8).strip().equals(token)
                ? Optional.of(kept) : Optional.empty();
    }
}
