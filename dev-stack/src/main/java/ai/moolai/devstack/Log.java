package ai.moolai.devstack;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The launcher's own lines on the terminal; each child process logs to its own file. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Log() {
    }

    static void info(String who, String message) {
        System.out.printf("%s [%-15s] %s%n", LocalTime.now().format(TIME), who, message);
    }
}
