package ai.moolai.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The orchestrator's {@code .env}: read as {@code KEY=VALUE} lines, and updated atomically. An
 * update writes a temporary file in the same folder, forces it to disk, and renames it over the
 * original, so a reader sees the old file or the new one, never half of one; the file it leaves is
 * readable by its owner only, since it holds the token. Other lines and comments are kept as they
 * were; a changed key keeps its place, a new one is appended.
 */
public final class EnvFile {

    private final Path path;

    public EnvFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The variables it sets (empty when it does not exist). */
    public Map<String, String> read() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.exists(path)) {
            return values;
        }
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            int equals = trimmed.indexOf('=');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || equals <= 0) {
                continue;
            }
            String key = trimmed.substring(0, equals).trim().replaceFirst("^export\\s+", "");
            values.put(key, unquote(trimmed.substring(equals + 1).trim()));
        }
        return values;
    }

    /** Sets these variables, atomically, keeping everything else. */
    public void update(Map<String, String> changes) throws IOException {
        List<String> lines = Files.exists(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : new ArrayList<>();
        Map<String, String> pending = new LinkedHashMap<>(changes);
        List<String> updated = new ArrayList<>(lines.size() + pending.size());
        for (String line : lines) {
            String trimmed = line.trim();
            int equals = trimmed.indexOf('=');
            String key = equals > 0 && !trimmed.startsWith("#") ? trimmed.substring(0, equals).trim() : null;
            updated.add(key != null && pending.containsKey(key) ? key + "=" + pending.remove(key) : line);
        }
        pending.forEach((key, value) -> updated.add(key + "=" + value));
        Files.createDirectories(path.toAbsolutePath().getParent());
        StringBuilder text = new StringBuilder();
        updated.forEach(line -> text.append(line).append(System.lineSeparator()));
        OwnerOnlyFiles.write(path, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
