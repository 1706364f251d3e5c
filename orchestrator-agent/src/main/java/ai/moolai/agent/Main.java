package ai.moolai.agent;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.ws.Recommendation;

/**
 * The runnable agent: configured by the process environment over {@code ORCHESTRATOR_ENV_FILE}
 * (default {@code .env}), closes cleanly on SIGTERM. With {@code AGENT_REPORT_INTERVAL_SEC} set it
 * also sends a monitoring report at that interval, and every tenth a recommendation (for demos). A
 * configuration it refuses (plain {@code ws://} to another machine, say) ends it at once with status 2.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %5$s%6$s%n");
        Map<String, String> variables = new HashMap<>(
                new EnvFile(Path.of(System.getenv().getOrDefault("ORCHESTRATOR_ENV_FILE", ".env"))).read());
        variables.putAll(System.getenv());
        AgentConfig config;
        try {
            config = AgentConfig.from(variables);
        } catch (IllegalArgumentException misconfigured) {
            System.getLogger(Main.class.getName()).log(System.Logger.Level.ERROR, "not starting: {0}",
                    misconfigured.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        OrchestratorAgent agent = OrchestratorAgent.create(config, new OrchestratorAgent.Listener() {
            @Override
            public void stopped(String why) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "agent-shutdown"));
        agent.start();
        long interval = Long.parseLong(variables.getOrDefault("AGENT_REPORT_INTERVAL_SEC", "0"));
        for (int n = 1; interval > 0 && !stopped.await(interval, TimeUnit.SECONDS); n++) {
            if (!agent.isConnected()) {
                continue;
            }
            var random = ThreadLocalRandom.current();
            agent.report(Json.events().valueToTree(Map.of("cpu_pct", Math.round(random.nextDouble(5, 95) * 10) / 10.0,
                    "mem_pct", Math.round(random.nextDouble(20, 90) * 10) / 10.0,
                    "requests_per_min", random.nextInt(100, 5000), "error_rate", random.nextDouble(0, 0.02))));
            if (n % 10 == 0) {
                agent.recommend(new Recommendation.Data("Enable response cache", "Repeated requests make up "
                        + random.nextInt(20, 60) + "% of traffic.", "info", "performance",
                        Json.events().readTree("{\"feature\":\"cache\",\"enabled\":true}")));
            }
        }
        stopped.await();
        System.exit(agent.isStopped() ? 0 : 1);
    }

    private Main() {
    }
}
