package ai.moolai.devstack;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void choosesBindablePortsBelowTheEphemeralRange() throws Exception {
        int ephemeral = FreePorts.ephemeralStart();
        IntStream.range(0, 50).map(n -> FreePorts.next()).forEach(port ->
                assertThat(port).isBetween(10_000, ephemeral - 1));
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(FreePorts.next()));
            assertThat(socket.isBound()).isTrue();
        }
    }

    @Test
    void neverChoosesAPortAListenerHolds() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(FreePorts.next()));
            assertThat(IntStream.range(0, 2000).map(n -> FreePorts.next())).doesNotContain(held.getLocalPort());
        }
    }
}
