package ai.moolai.edge.config;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Tomcat sized for many idle WebSocket sessions carrying small frames. Every per-connection
 * buffer is small: Tomcat's defaults (8 KiB socket buffers, 8 KiB WebSocket I/O buffers, 8 KiB
 * message buffers) cost about 74 KB a session; frames up to {@link EdgeProperties#maxFrameBytes()}
 * are still accepted because the edge reads text as partial messages and assembles the rare
 * large one itself.
 */
@Configuration(proxyBeanMethods = false)
class ServerTuning {

    /** Bytes of every per-session buffer. */
    static final int BUFFER = 256;

    static {
        // Read by Tomcat's WebSocket classes when they load, which is after this configuration is.
        System.setProperty("org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE", Integer.toString(BUFFER));
    }

    @Bean
    TomcatConnectorCustomizer smallSocketBuffers() {
        return connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(BUFFER));
            connector.setProperty("socket.appWriteBufSize", Integer.toString(BUFFER));
            connector.setProperty("socket.directBuffer", "false");
            connector.setProperty("socket.bufferPool", "0");
            connector.setProperty("socket.processorCache", "200");
        };
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer(EdgeProperties edge) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(BUFFER);
        container.setMaxBinaryMessageBufferSize(BUFFER);
        // Idle sessions are closed by the edge itself, so that it knows it was the one who closed them.
        container.setMaxSessionIdleTimeout(0L);
        container.setAsyncSendTimeout(edge.sendTimeLimit().toMillis());
        return container;
    }
}
