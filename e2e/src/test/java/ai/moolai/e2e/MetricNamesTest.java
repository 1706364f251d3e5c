package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.moolai.admin.Instance;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric {@code deploy/prometheus/alerts.yml} and {@code deploy/grafana/dashboards/} name is
 * one the running services export: an alert on a metric nobody exports never fires, a panel on one
 * stays empty, and nothing else would say so.
 */
@ExtendWith(E2eStack.Extension.class)
class MetricNamesTest {

    /** What Prometheus makes up itself rather than scrapes. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    /** PromQL's words that look like metric names. */
    private static final Set<String> PROMQL = Set.of("sum", "max", "min", "avg", "count", "by", "without", "on", "ignoring",
            "group_left", "group_right", "or", "and", "unless", "clamp_min", "clamp_max", "increase", "rate", "irate",
            "absent", "histogram_quantile", "bool", "time");
    /** A rule's {@code expr:} line: its indentation, and what follows (the expression, or a block scalar's marker). */
    private static final Pattern EXPR = Pattern.compile("^(\\s*)(?:- )?expr:\\s*(.*)$");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    @Test
    void everyMetricTheAlertsAndDashboardsNameIsExportedByTheRunningStack(E2eStack stack) throws Exception {
        Set<String> named = namedIn(expressionsInRules(Files.readString(E2eStack.ROOT.resolve("deploy/prometheus/alerts.yml"))));
        assertThat(named).as("the alerts' metrics").contains("liveness_orchestrators", "outbox_oldest_age_seconds");
        List<String> panels = new ArrayList<>();
        try (var dashboards = Files.list(E2eStack.ROOT.resolve("deploy/grafana/dashboards"))) {
            for (Path dashboard : dashboards.toList()) {
                panels.addAll(Json.events().readTree(dashboard.toFile()).findValuesAsString("expr"));
            }
        }
        Set<String> charted = namedIn(panels);
        assertThat(charted).as("the dashboards' metrics").contains("edge_sessions_open", "ingest_latency_seconds_bucket",
                "edge_handshakes_rejected_total");
        named.addAll(charted);

        // Some meters appear with their first event: a record dead-lettered, a consumer's first
        // record, a report stored, a change published.
        Instance.WithToken orchestrator = stack.newOrchestrator("metrics");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.services().kafkaBootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             Agent agent = stack.startAgent(orchestrator.orchestratorId(), orchestrator.token(),
                     Map.of("AGENT_REPORT_INTERVAL_SEC", "1"))) {
            producer.send(new ProducerRecord<>(Topics.REPORTS.name(), "metrics-poison",
                    "not a report".getBytes(StandardCharsets.UTF_8))).get();
            // A socket that never says who it is: the edge turns it away at its handshake deadline.
            CompletableFuture<Integer> turnedAway = new CompletableFuture<>();
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(stack.services().edgeUrl(), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                    turnedAway.complete(code);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(turnedAway.get(30, TimeUnit.SECONDS)).isEqualTo(1008);
            await().atMost(Duration.ofSeconds(60)).until(() -> !stack.storedReports(orchestrator.orchestratorId()).isEmpty());
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(exported(scrapes(stack))).as("exported by some service").containsAll(named));
    }

    @Test
    void everyInstanceSaysItsBuildAndCountsItsLatenciesInBucketsThatAddUpAcrossReplicas(E2eStack stack) throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("buckets");
        try (Agent agent = stack.startAgent(orchestrator.orchestratorId(), orchestrator.token(),
                Map.of("AGENT_REPORT_INTERVAL_SEC", "1"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !stack.storedReports(orchestrator.orchestratorId()).isEmpty());
        }
        Map<String, String> scrapes = scrapes(stack);
        scrapes.forEach((instance, scrape) -> {
            String service = instance.replaceFirst("-[0-9]+$", "");
            assertThat(scrape).as(instance + " says its build")
                    .containsPattern("(?m)^build_info\\{[^}]*service=\"" + service + "\"[^}]*version=\"[0-9][^\"]*\"");
            // Percentiles one instance works out cannot be added to another's: none is exported.
            assertThat(scrape).as(instance + "'s timers").doesNotContain("quantile=\"")
                    .contains("jvm_gc_pause_seconds_bucket{");
        });
        String all = String.join("\n", scrapes.values());
        assertThat(all).as("the latencies an operator watches, as buckets")
                .contains("http_server_requests_seconds_bucket{", "edge_publish_latency_seconds_bucket{",
                        "ingest_latency_seconds_bucket{", "outbox_publish_latency_seconds_bucket{",
                        "ingest_batch_size_bucket{");
    }

    /**
     * The rules' expressions: on one line, or in a block scalar (the lines indented deeper than
     * {@code expr:}).
     */
    static List<String> expressionsInRules(String rules) {
        List<String> expressions = new ArrayList<>();
        List<String> lines = rules.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher expr = EXPR.matcher(lines.get(i));
            if (!expr.matches()) {
                continue;
            }
            StringBuilder text = new StringBuilder(expr.group(2).strip());
            if (text.toString().matches("[>|][-+]?")) {
                text.setLength(0);
                int indent = expr.group(1).length();
                for (int j = i + 1; j < lines.size() && (lines.get(j).isBlank()
                        || lines.get(j).length() - lines.get(j).stripLeading().length() > indent); j++) {
                    text.append(lines.get(j)).append('\n');
                }
            }
            expressions.add(text.toString());
        }
        return expressions;
    }

    /**
     * The metric names in PromQL expressions, label matchers, groupings, ranges and strings left out.
     * An expression that names nothing fails: the parsing missed it.
     */
    static Set<String> namedIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            String stripped = expression.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                    .replaceAll("(by|without|on|ignoring)\\s*\\([^)]*\\)", " ").replaceAll("\"[^\"]*\"", " ");
            Matcher name = NAME.matcher(stripped);
            boolean any = false;
            while (name.find()) {
                String candidate = name.group();
                if (!PROMQL.contains(candidate) && !candidate.matches("[0-9].*")) {
                    any = true;
                    if (!PROMETHEUS_OWN.contains(candidate)) {
                        names.add(candidate);
                    }
                }
            }
            assertThat(any).as("this expression names a metric: " + expression).isTrue();
        }
        return names;
    }

    /** Each service instance's scrape of its management port, by instance. */
    private static Map<String, String> scrapes(E2eStack stack) throws Exception {
        Map<String, String> scrapes = new TreeMap<>();
        for (String instance : stack.services().topology().serviceInstances()) {
            var scrape = Http.get(stack.services().managementUrl(instance).getPort(), "/actuator/prometheus",
                    Http.MANAGEMENT_TOKEN);
            assertThat(scrape.statusCode()).as(instance + "'s scrape").isEqualTo(200);
            scrapes.put(instance, scrape.body());
        }
        return scrapes;
    }

    /** Every metric name some scrape holds. */
    private static Set<String> exported(Map<String, String> scrapes) {
        Set<String> names = new TreeSet<>();
        for (String scrape : scrapes.values()) {
            Matcher sample = SAMPLE.matcher(scrape);
            while (sample.find()) {
                names.add(sample.group(1));
            }
        }
        return names;
    }
}
