package ai.moolai.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports free now, for a stack beside another, chosen below the kernel's ephemeral range: a port
 * from that range can be taken, between choosing it and binding it, by any outgoing connection of
 * the machine (a client of the broker, of the database), and the listener that starts last, minutes
 * later, then fails with "Address already in use".
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    /** Linux's default start of the ephemeral range, where {@code ip_local_port_range} cannot be read. */
    private static final int EPHEMERAL_DEFAULT = 32_768;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private FreePorts() {
    }

    /** A port that no listener holds on any address and that no outgoing connection will be given. */
    public static int next() {
        int highest = ephemeralStart() - 1;
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + highest + " after 1000 tries");
    }

    /** Where the kernel starts handing out ports to outgoing connections. */
    static int ephemeralStart() {
        try {
            int start = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
            return start > LOWEST + 1000 ? start : EPHEMERAL_DEFAULT;
        } catch (IOException | RuntimeException e) {
            return EPHEMERAL_DEFAULT;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
