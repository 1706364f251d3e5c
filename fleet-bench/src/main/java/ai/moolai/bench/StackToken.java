package ai.moolai.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A token the benchmarks present, none built in: its option, else its variable, else the one
 * {@code ./dev-stack/run} keeps in its data folder ({@code DEV_STACK_DATA}, default {@code .dev-stack/}).
 */
enum StackToken {

    /** control-api's admin token: {@code --token}, {@code DEV_BEARER_TOKEN}. */
    ADMIN("token", "DEV_BEARER_TOKEN", "admin-token"),
    /** The services' management token, for their metrics: {@code --management-token}, {@code MANAGEMENT_TOKEN}. */
    MANAGEMENT("management-token", "MANAGEMENT_TOKEN", "management-token");

    private final String option;
    private final String variable;
    private final String file;

    StackToken(String option, String variable, String file) {
        this.option = option;
        this.variable = variable;
        this.file = file;
    }

    String from(Map<String, String> options) throws IOException {
        if (options.containsKey(option)) {
            return options.get(option);
        }
        String environment = System.getenv(variable);
        if (environment != null && !environment.isBlank()) {
            return environment;
        }
        String data = System.getenv("DEV_STACK_DATA");
        Path kept = Path.of(data == null || data.isBlank() ? ".dev-stack" : data).resolve(file);
        if (!Files.isReadable(kept)) {
            throw new IllegalStateException("no " + file + ": pass --" + option + ", set " + variable
                    + ", or run ./dev-stack/run, which keeps its token in " + kept);
        }
        return Files.readString(kept).strip();
    }
}
