package ai.moolai.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.ws.Decoded;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.Handshake;
import ai.moolai.protocol.ws.InboundFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's upgrade request and first frame, as a bare WebSocket server sees them. */
class OrchestratorAgentHandshakeTest {

    @TempDir
    Path folder;

    @Test
    void sendsItsTokenInTheAuthorizationHeaderAndNeverInTheHandshake() throws Exception {
        String token = Credentials.newToken();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AgentConfig config = new AgentConfig(List.of(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws")), "orch-001",
                    token, Duration.ofSeconds(10), folder.resolve(".env"), false, false, Duration.ofSeconds(30),
                    folder.resolve("queue"), 10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30),
                    false, null);
            try (OrchestratorAgent agent = OrchestratorAgent.create(config, new OrchestratorAgent.Listener() {
            })) {
                agent.start();
                try (Socket connection = server.accept()) {
                    connection.setSoTimeout(30_000);
                    InputStream in = connection.getInputStream();
                    Map<String, String> upgrade = upgradeHeaders(in);
                    connection.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept(upgrade.get("Sec-WebSocket-Key"))
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    String first = textFrame(in);

                    assertThat(upgrade).containsEntry("Authorization", "Bearer " + token);
                    assertThat(first).doesNotContain(token);
                    Decoded<InboundFrame> decoded = FrameCodec.decodeInbound(first);
                    assertThat(decoded).isInstanceOfSatisfying(Decoded.Ok.class, ok -> assertThat(ok.frame())
                            .isInstanceOfSatisfying(Handshake.class, handshake -> {
                                assertThat(handshake.orchestratorId()).isEqualTo("orch-001");
                                assertThat(handshake.data().token()).isNull();
                            }));
                }
            }
        }
    }

    /** The request's headers, read up to the blank line and not a byte further. */
    private static Map<String, String> upgradeHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        line(in);
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException("the upgrade request ended early");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static String accept(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }

    /** One whole, masked text frame from a client (RFC 6455, section 5.2). */
    private static String textFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.readUnsignedByte();
        assertThat(first).as("a final text frame").isEqualTo(0x81);
        int second = data.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = data.readUnsignedShort();
        } else if (length == 127) {
            length = data.readLong();
        }
        byte[] mask = new byte[4];
        data.readFully(mask);
        byte[] payload = new byte[Math.toIntExact(length)];
        data.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
        }
        return new String(payload, StandardCharsets.UTF_8);
    }
}
