package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * docker-compose.cluster.yml over docker-compose.yml, merged as Docker Compose merges them
 * ({@code extends} copying a service, mappings merged, lists appended, {@code !override} replacing,
 * {@code !reset} removing): three brokers in one quorum, two instances of every service, each with
 * an identity of its own and all three brokers to reach, the control-apis sharing their event-ticket
 * key, and HAProxy, the only thing published, running the shipped configuration with every variable
 * it needs.
 */
class DockerComposeClusterTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> BROKERS = List.of("kafka", "kafka-2", "kafka-3");
    /** HAProxy's {@code "${NAME}"}, and {@code "${NAME-default}"} with a default. */
    private static final Pattern HAPROXY_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(-[^}]*)?}");
    private static Map<String, Map<String, Object>> services;

    /** A value Compose takes instead of merging ({@code !override}), or none ({@code !reset}: the key is removed). */
    private record Replace(Object value) {
    }

    @BeforeAll
    static void merge() throws Exception {
        Map<String, Map<String, Object>> base = servicesOf("docker-compose.yml");
        services = new LinkedHashMap<>(base);
        servicesOf("docker-compose.cluster.yml").forEach((name, definition) -> {
            Map<String, Object> own = new LinkedHashMap<>(definition);
            Object extended = own.remove("extends");
            Map<String, Object> start;
            if (extended != null) {
                @SuppressWarnings("unchecked")
                Map<String, String> from = (Map<String, String>) extended;
                assertThat(from.get("file")).isEqualTo("docker-compose.yml");
                start = new LinkedHashMap<>(base.get(from.get("service")));
            } else {
                start = services.getOrDefault(name, Map.of());
            }
            services.put(name, merged(start, own));
        });
    }

    @Test
    void runsThreeBrokersTwoInstancesOfEveryServiceAndHaproxy() {
        List<String> expected = new ArrayList<>(List.of("postgres", "haproxy"));
        expected.addAll(BROKERS);
        DevStack.SERVICES.forEach(service -> expected.addAll(List.of(service, service + "-2")));
        assertThat(services).containsOnlyKeys(expected.toArray(String[]::new));
        for (String service : DevStack.SERVICES) {
            Map<String, Object> second = services.get(service + "-2");
            assertThat(second.get("build")).as(service + "-2 is built as " + service).isEqualTo(services.get(service).get("build"));
            assertThat(second.get("healthcheck")).isEqualTo(services.get(service).get("healthcheck"));
        }
    }

    @Test
    void onlyHaproxyPublishesAndOnlyTheApiAndTheEdge() {
        Map<String, Object> published = new LinkedHashMap<>();
        services.forEach((name, definition) -> {
            if (definition.get("ports") instanceof List<?> ports && !ports.isEmpty()) {
                published.put(name, ports);
            }
        });
        assertThat(published).isEqualTo(Map.of("haproxy", List.of("8080:8080", "8765:8765")));
    }

    @Test
    void theBrokersFormOneQuorumAndReplicateEveryTopicThreeTimesTwoInSync() {
        Set<String> nodeIds = new HashSet<>();
        Set<Object> volumes = new HashSet<>();
        for (String broker : BROKERS) {
            Map<String, Object> environment = environment(broker);
            nodeIds.add(environment.get("KAFKA_NODE_ID").toString());
            assertThat(environment).containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093")
                    .containsEntry("CLUSTER_ID", environment("kafka").get("CLUSTER_ID"))
                    .containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + broker + ":9092")
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3");
            assertThat(services.get(broker)).containsKey("healthcheck");
            @SuppressWarnings("unchecked")
            List<String> mounted = (List<String>) services.get(broker).get("volumes");
            assertThat(mounted).as(broker + " has one volume, for its data").hasSize(1)
                    .allSatisfy(volume -> assertThat(volume).endsWith(":" + environment.get("KAFKA_LOG_DIRS")));
            assertThat(volumes.add(mounted)).as(broker + " has storage of its own").isTrue();
            String voters = environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS").toString();
            assertThat(voters).contains(environment.get("KAFKA_NODE_ID") + "@" + broker + ":9093");
        }
        assertThat(nodeIds).containsExactlyInAnyOrder("1", "2", "3");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyInstanceReachesAndWaitsForAllThreeBrokersWithAnIdentityOfItsOwn() {
        Set<Object> edgeIds = new HashSet<>();
        Set<Object> livenessIds = new HashSet<>();
        Set<Object> livenessState = new HashSet<>();
        for (String service : DevStack.SERVICES) {
            for (String instance : List.of(service, service + "-2")) {
                assertThat(environment(instance)).as(instance)
                        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092,kafka-2:9092,kafka-3:9092");
                Map<String, Map<String, String>> dependencies = (Map<String, Map<String, String>>) services.get(instance).get("depends_on");
                assertThat(dependencies).as(instance).containsKeys("kafka", "kafka-2", "kafka-3", "postgres");
                dependencies.values().forEach(condition -> assertThat(condition).containsEntry("condition", "service_healthy"));
                if (service.equals("ws-edge")) {
                    assertThat(edgeIds.add(environment(instance).get("EDGE_ID"))).as(instance + "'s edge id").isTrue();
                    assertThat(dependencies).containsKeys("control-api", "liveness-stream");
                    assertThat(Integer.parseInt(environment(instance).get("EDGE_UPGRADE_BURST_PER_ADDRESS").toString()))
                            .as("%s lets a whole fleet behind HAProxy's one address reconnect", instance)
                            .isGreaterThanOrEqualTo(10_000);
                    assertThat(Integer.parseInt(environment(instance).get("EDGE_WAITING_ROOM_PER_ADDRESS").toString()))
                            .as("%s holds as many waiting orchestrators behind HAProxy as it holds at all", instance)
                            .isGreaterThanOrEqualTo(1000);
                }
                if (service.equals("control-api")) {
                    assertThat(environment(instance).get("EVENT_TICKET_KEY").toString())
                            .as("%s shares the event-ticket key, from .env", instance).startsWith("${EVENT_TICKET_KEY:?");
                }
                if (service.equals("liveness-stream")) {
                    assertThat(livenessIds.add(environment(instance).get("LIVENESS_INSTANCE_ID"))).as(instance + "'s member id")
                            .isTrue();
                    assertThat(livenessState.add(services.get(instance).get("volumes"))).as(instance + "'s state").isTrue();
                }
            }
        }
        assertThat(edgeIds).doesNotContainNull();
        assertThat(livenessIds).doesNotContainNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void haproxyRunsTheShippedConfigurationWithEveryVariableItNeedsPointingAtEachInstance() throws Exception {
        Map<String, Object> haproxy = services.get("haproxy");
        assertThat(haproxy.get("image").toString()).matches("haproxy:\\d+\\.\\d+\\.\\d+");
        assertThat(haproxy.get("stop_grace_period").toString()).as("longer than hard-stop-after's 30 s").isEqualTo("35s");
        assertThat((List<String>) haproxy.get("volumes"))
                .contains("./deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro");
        Map<String, Object> environment = environment("haproxy");
        Matcher variables = HAPROXY_VARIABLE.matcher(Files.readString(ROOT.resolve("deploy/haproxy/haproxy.cfg")));
        Set<String> required = variables.results().filter(variable -> variable.group(2) == null)
                .map(variable -> variable.group(1)).collect(Collectors.toSet());
        assertThat(required).isNotEmpty();
        assertThat(environment).containsKeys(required.toArray(String[]::new));

        DevStack.Ports ports = DevStack.Ports.defaults(DevStack.Topology.SINGLE);
        for (String service : DevStack.BALANCED) {
            String prefix = service.toUpperCase().replace('-', '_');
            List<String> instances = List.of(service, service + "-2");
            for (int n = 1; n <= 2; n++) {
                String instance = instances.get(n - 1);
                assertThat(environment).as(instance)
                        .containsEntry(prefix + "_" + n, instance + ":" + ports.of(service))
                        .containsEntry(prefix + "_" + n + "_CHECK_PORT", String.valueOf(ports.managementOf(service)));
            }
            assertThat((Map<String, Object>) haproxy.get("depends_on")).containsKeys(instances.toArray(String[]::new));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String service) {
        return (Map<String, Object>) services.get(service).get("environment");
    }

    /** Compose's merge: mappings key by key, lists appended, a {@code !reset} value taken as it is. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object existing = result.get(key);
            if (value instanceof Replace replace) {
                if (replace.value() == null) {
                    result.remove(key);
                } else {
                    result.put(key, replace.value());
                }
            } else if (existing instanceof Map<?, ?> map && value instanceof Map<?, ?> more) {
                result.put(key, merged((Map<String, Object>) map, (Map<String, Object>) more));
            } else if (existing instanceof List<?> list && value instanceof List<?> more) {
                List<Object> appended = new ArrayList<>(list);
                appended.addAll(more);
                result.put(key, appended);
            } else {
                result.put(key, value);
            }
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> servicesOf(String file) throws Exception {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(file))) {
            Map<String, Object> compose = new Yaml(new ComposeConstructor()).load(reader);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    /** YAML as Compose reads it: merge keys, and the {@code !override} and {@code !reset} tags. */
    private static final class ComposeConstructor extends SafeConstructor {

        ComposeConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!override"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (node instanceof SequenceNode sequence) {
                        return new Replace(constructSequence(sequence));
                    }
                    return new Replace(node instanceof MappingNode mapping ? constructMapping(mapping) : null);
                }
            });
            yamlConstructors.put(new Tag("!reset"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return new Replace(null);
                }
            });
        }
    }
}
