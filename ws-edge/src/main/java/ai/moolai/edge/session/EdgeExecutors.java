package ai.moolai.edge.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The edge's own threads besides Tomcat's: one for timers (handshake timeouts, independence
 * grace, controller heartbeats), and two that write report acknowledgements, so the producer's
 * I/O thread never waits on a slow socket.
 */
@Component
class EdgeExecutors implements DisposableBean {

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, named("edge-timers"));
    private final ThreadPoolExecutor acks = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), named("edge-acks"));

    EdgeExecutors() {
        timers.setRemoveOnCancelPolicy(true);
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    ExecutorService acks() {
        return acks;
    }

    @Override
    public void destroy() {
        timers.shutdownNow();
        acks.shutdown();
    }

    private static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
