package ai.moolai.process;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** A launcher's own lines on the terminal, one per event; each child process logs to its own file. */
public final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Log() {
    }

    /** {@code 12:00:00 [kafka          ] ready}. */
    public static void info(String who, String message) {
        System.out.printf("%s [%-15s] %s%n", LocalTime.now().format(TIME), who, message);
    }
}
