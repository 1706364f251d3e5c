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
 * A token as {@code ./dev-stack/run} runs with it: its variable when set, otherwise a random one made
 * on the first run and kept, readable by its owner only, in a file of the stack's data folder for
 * every later run. No token is built in.
 *
 * @param file     the file in the data folder that keeps it
 * @param variable the environment variable that replaces it
 */
record KeptToken(String file, String variable) {

    /** control-api's admin token. */
    static final KeptToken ADMIN = new KeptToken("admin-token", "DEV_BEARER_TOKEN");
    /** Every service's management token: health details and metrics on the management ports. */
    static final KeptToken MANAGEMENT = new KeptToken("management-token", "MANAGEMENT_TOKEN");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The token to run with: the variable if set, else the kept one, made now if there is none. */
    String fromEnvironment(Path data) throws IOException {
        return of(data, System.getenv(variable));
    }

    /** The token to run with: {@code override} if set, else the kept one, made now if there is none. */
    String of(Path data, String override) throws IOException {
        if (override != null && !override.isBlank()) {
            return override;
        }
        Path kept = data.resolve(file);
        if (Files.isRegularFile(kept)) {
            String token = Files.readString(kept, StandardCharsets.UTF_8).strip();
            if (!token.isEmpty()) {
                return token;
            }
        }
        String token = newSecret();
        Files.createDirectories(data);
        Path written = Files.createTempFile(data, file, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, token + "\n", StandardCharsets.UTF_8);
        Files.move(written, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    /** 32 random bytes, in hex. */
    static String newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** The file the token is kept in, unless it came from the variable. */
    Optional<Path> keptFile(Path data, String token) throws IOException {
        Path kept = data.resolve(file);
        return Files.isRegularFile(kept) && Files.readString(kept, StandardCharsets.UTF_8).strip().equals(token)
                ? Optional.of(kept) : Optional.empty();
    }

    /** Where the token comes from, for the stack's summary. */
    String source(Path data, String token) throws IOException {
        return keptFile(data, token).map(kept -> "kept in " + kept).orElse("from " + variable);
    }
}
