package dev.eventflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.cli.InitMain;
import dev.eventflow.cli.SecurityMain;
import dev.eventflow.cli.TopicsMain;
import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.ingest.IngestConfig;
import dev.eventflow.model.serde.Json;
import dev.eventflow.monitoring.MonitoringConfig;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.sink.SinkMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The semantics of docker-compose.yml, which no Docker engine checks here: every mounted file exists,
 * every EVENTFLOW_* variable is a key the service's app knows, every host and port a config names is a
 * service listening there, every image is pinned, every long-running service has a healthcheck and
 * every dependency a condition.
 */
class ComposeFileTest {

    private static final Path ROOT = ComposeFile.ROOT;
    private static final String APP_BINARY = "/opt/eventflow/bin/eventflow";
    private static final Pattern HOST_PORT = Pattern.compile("(?:^|//|,|@)([a-z][a-z0-9-]*):(\\d+)");
    /** Where the third-party images listen by default. */
    private static final Map<String, Set<Integer>> IMAGE_PORTS = Map.of(
            "postgres", Set.of(5432), "prom/prometheus", Set.of(9090), "prom/alertmanager", Set.of(9093),
            "grafana/grafana", Set.of(3000));

    private static ComposeFile compose;
    private static Map<String, ConfigSpec> specs;

    @BeforeAll
    static void load() throws Exception {
        compose = ComposeFile.load(ROOT.resolve(".env.example"));
        specs = Map.of("processor", ProcessorConfig.spec(), "ingest", IngestConfig.spec(), "sink", SinkMain.SPEC,
                "init", InitMain.SPEC, "topics", TopicsMain.SPEC, "monitoring", MonitoringConfig.SPEC, "security", SecurityMain.SPEC);
    }

    @Test
    void theServicesAreTheDeployment() {
        assertThat(compose.services().keySet()).containsExactlyInAnyOrder("kafka-format", "kafka", "kafka-users", "postgres", "connect", "init",
                "stream-processor", "sink-supervisor", "ingest", "monitoring-config", "prometheus", "alertmanager", "grafana");
        assertThat(app("stream-processor")).isEqualTo("processor");
        assertThat(app("sink-supervisor")).isEqualTo("sink");
        assertThat(app("init")).isEqualTo("init");
        assertThat(app("kafka-users")).isEqualTo("security");
        assertThat(ComposeFile.commandLine(compose.services().get("ingest"))).containsExactly(APP_BINARY, "ingest", "poll",
                "--provider", "the-odds-api");
    }

    @Test
    void everyEventflowVariableIsAKeyOfTheAppTheServiceRuns() throws Exception {
        for (Map.Entry<String, Map<String, Object>> service : compose.services().entrySet()) {
            Map<String, String> env = eventflowVariables(service.getValue());
            if (env.isEmpty()) {
                continue;
            }
            if (service.getKey().equals("connect")) {
                // The worker reads them through its env config provider, in the connectors' ${env:...} references;
                // the image's start script reads those of the REST API's user.
                String connectors = Json.mapper().writeValueAsString(renderedConnectors());
                String start = Files.readString(ROOT.resolve("deploy/connect/connect-start.sh"));
                String worker = Files.readString(ROOT.resolve("deploy/connect/connect-distributed.properties"));
                env.keySet().forEach(name -> assertThat(connectors.contains("${env:" + name + "}") || start.contains("${" + name)
                                || worker.contains("${env:" + name + "}"))
                        .as("connect's " + name + " is read by a connector, the worker's properties or connect-start.sh").isTrue());
                continue;
            }
            if (service.getKey().equals("kafka-format")) {
                // The kafka image runs deploy/kafka/format-storage.sh, which reads them.
                String script = Files.readString(ROOT.resolve("deploy/kafka/format-storage.sh"));
                env.keySet().forEach(name -> assertThat(script).as("format-storage.sh reads " + name).contains("${" + name));
                continue;
            }
            String app = app(service.getKey());
            assertThat(specs).as("the app of " + service.getKey()).containsKey(app);
            assertThatCode(() -> Config.load(specs.get(app), null, env)).as(service.getKey() + " runs " + app)
                    .doesNotThrowAnyException();
        }
        // The image's entrypoint sets the processor's state directory per replica.
        Matcher exported = Pattern.compile("export (EVENTFLOW_[A-Z_]+)=").matcher(Files.readString(ROOT.resolve("deploy/docker/eventflow.sh")));
        assertThat(exported.find()).isTrue();
        assertThatCode(() -> Config.load(ProcessorConfig.spec(), null, Map.of(exported.group(1), "/x"))).doesNotThrowAnyException();
    }

    @Test
    void everyHostAndPortNamedInTheConfigsIsAServiceListeningThere() throws Exception {
        Map<String, Set<Integer>> listening = listeningPorts();
        List<String> named = new ArrayList<>();
        compose.services().values().forEach(service -> named.addAll(ComposeFile.environment(service).values()));
        Files.readAllLines(ROOT.resolve("deploy/connect/connect-distributed.properties")).stream()
                .filter(line -> line.startsWith("bootstrap.servers=")).forEach(named::add);
        for (ObjectNode connector : renderedConnectors().values()) {
            named.add(connector.path("connection.url").asText(""));
        }
        named.add(new Yaml().<Map<String, Object>>load(Files.readString(ROOT.resolve("monitoring/grafana/provisioning/datasources/prometheus.yml")))
                .get("datasources").toString());
        // Prometheus' targets, as rendered for compose.
        Map<String, Object> prometheus = new Yaml().load(new MonitoringConfig(Config.defaults(MonitoringConfig.SPEC))
                .prometheus(MonitoringConfig.Target.COMPOSE));
        List<String> targets = new ArrayList<>();
        for (Object job : (List<?>) prometheus.get("scrape_configs")) {
            Map<?, ?> config = (Map<?, ?>) job;
            if (config.containsKey("static_configs")) {
                for (Object staticConfig : (List<?>) config.get("static_configs")) {
                    ((List<?>) ((Map<?, ?>) staticConfig).get("targets")).forEach(t -> targets.add(t.toString()));
                }
            }
            if (config.containsKey("dns_sd_configs")) {
                for (Object dns : (List<?>) config.get("dns_sd_configs")) {
                    Map<?, ?> sd = (Map<?, ?>) dns;
                    ((List<?>) sd.get("names")).forEach(name -> targets.add(name + ":" + sd.get("port")));
                }
            }
        }
        targets.add(((List<?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) prometheus.get("alerting"))
                .get("alertmanagers")).get(0)).get("static_configs")).get(0)).get("targets")).get(0).toString());
        assertThat(targets).contains("stream-processor:8001", "sink-supervisor:8002", "ingest:8003", "connect:9404",
                "alertmanager:9093");
        named.addAll(targets);

        int checked = 0;
        for (String text : named) {
            Matcher matcher = HOST_PORT.matcher(text);
            while (matcher.find()) {
                String host = matcher.group(1);
                if (host.equals("localhost") || host.equals("jdbc") || host.equals("http") || host.equals("https")) {
                    continue;
                }
                int port = Integer.parseInt(matcher.group(2));
                assertThat(listening).as("'" + text + "' names " + host).containsKey(host);
                assertThat(listening.get(host)).as("'" + text + "': " + host + " listens on").contains(port);
                checked++;
            }
        }
        assertThat(checked).as("host:port references checked").isGreaterThan(15);
    }

    @Test
    void everyImageIsPinnedToAVersion() throws Exception {
        Pattern pinned = Pattern.compile("[^:@]+(:[A-Za-z0-9._-]*\\d[A-Za-z0-9._-]*)(@sha256:[0-9a-f]{64})?");
        for (Map.Entry<String, Map<String, Object>> service : compose.services().entrySet()) {
            String image = String.valueOf(service.getValue().get("image"));
            assertThat(image).as(service.getKey()).matches(pinned).doesNotEndWith(":latest");
        }
        List<String> bases = Files.readAllLines(ROOT.resolve("deploy/docker/Dockerfile")).stream()
                .filter(line -> line.startsWith("FROM ")).map(line -> line.split("\\s+")[1]).toList();
        assertThat(bases).hasSize(3).allSatisfy(base -> assertThat(base).matches(pinned).doesNotEndWith(":latest"));
        assertThat(bases).contains("apache/kafka:" + kafkaVersion());
        assertThat(compose.services().get("kafka").get("image")).isEqualTo("apache/kafka:" + kafkaVersion());
    }

    @Test
    void everyFileItMountsOrCopiesExists() throws Exception {
        List<String> files = new ArrayList<>();
        for (Map<String, Object> service : compose.services().values()) {
            for (Object volume : (List<?>) service.getOrDefault("volumes", List.of())) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    files.add(source);
                }
            }
            if (service.get("build") instanceof Map<?, ?> build) {
                files.add(build.get("context") + "/" + build.get("dockerfile"));
            }
        }
        Matcher copies = Pattern.compile("(?m)^COPY (?!--from)(?:--chmod=\\d+ )?(.+) \\S+$").matcher(Files.readString(ROOT.resolve("deploy/docker/Dockerfile")));
        while (copies.find()) {
            for (String source : copies.group(1).split("\\s+")) {
                if (!source.equals(".")) {
                    files.add(source);
                }
            }
        }
        assertThat(files).contains("./data", "./monitoring/grafana/provisioning", "./deploy/docker/Dockerfile",
                "deploy/docker/eventflow.sh", "deploy/connect/jmx-exporter.yml", "deploy/connect/connect-start.sh",
                "deploy/connect/rest-jaas.conf");
        for (String file : files) {
            assertThat(ROOT.resolve(file)).as(file).exists();
        }
    }

    @Test
    void everyLongRunningServiceHasAHealthcheckAndEveryDependencyACondition() {
        Map<String, Map<String, Object>> services = compose.services();
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            boolean oneShot = "no".equals(service.getValue().get("restart"));
            assertThat(service.getValue().containsKey("healthcheck")).as(service.getKey() + " has a healthcheck").isEqualTo(!oneShot);
            Object dependsOn = service.getValue().get("depends_on");
            if (dependsOn == null) {
                continue;
            }
            assertThat(dependsOn).as(service.getKey() + "'s depends_on, with conditions").isInstanceOf(Map.class);
            ((Map<?, ?>) dependsOn).forEach((target, condition) -> {
                String wanted = ((Map<?, ?>) condition).get("condition").toString();
                Map<String, Object> dependency = services.get(target.toString());
                assertThat(dependency).as(service.getKey() + " depends on " + target).isNotNull();
                if (wanted.equals("service_healthy")) {
                    assertThat(dependency).as(target + " has a healthcheck").containsKey("healthcheck");
                } else {
                    assertThat(wanted).isEqualTo("service_completed_successfully");
                    assertThat(dependency.get("restart")).as(target + " runs once").isEqualTo("no");
                }
            });
        }
    }

    @Test
    void portsAreLocalVolumesNamedAndTheProcessorScales() {
        Set<String> declared = ((Map<?, ?>) compose.root.get("volumes")).keySet().stream().map(Object::toString)
                .collect(java.util.stream.Collectors.toSet());
        for (Map.Entry<String, Map<String, Object>> service : compose.services().entrySet()) {
            assertThat(service.getValue()).as(service.getKey()).doesNotContainKey("container_name");
            for (Object port : (List<?>) service.getValue().getOrDefault("ports", List.of())) {
                assertThat(port.toString()).as(service.getKey() + " publishes").startsWith("127.0.0.1:");
            }
            for (Object volume : (List<?>) service.getValue().getOrDefault("volumes", List.of())) {
                String source = volume.toString().split(":")[0];
                if (!source.startsWith(".")) {
                    assertThat(declared).as(service.getKey() + "'s volume " + source).contains(source);
                }
            }
        }
        Map<String, Object> processor = compose.services().get("stream-processor");
        assertThat(processor).doesNotContainKey("ports").doesNotContainKey("hostname");
        assertThat(volumes("stream-processor")).contains("streams-state:/var/lib/eventflow/state");
        assertThat(volumes("kafka")).contains("kafka-data:/var/lib/kafka/data");
        assertThat(volumes("postgres")).contains("postgres-data:/var/lib/postgresql/data");
    }

    @Test
    void secretsComeFromAnEnvFileThatIsNeverCommitted() throws Exception {
        Map<String, String> example = ComposeFile.envFile(ROOT.resolve(".env.example"));
        assertThat(compose.required).contains("EVENTFLOW_POSTGRES_OWNER_PASSWORD", "EVENTFLOW_SINK_PASSWORD", "GRAFANA_ADMIN_PASSWORD");
        assertThat(example.keySet()).containsAll(new HashSet<>(compose.required));
        assertThat(example.keySet()).containsAll(compose.withoutDefault);
        assertThat(example.keySet()).contains("POLL_PROVIDER", "EVENTFLOW_THE_ODDS_API_KEY", "EVENTFLOW_FOOTBALL_DATA_ORG_KEY",
                "EVENTFLOW_ALERT_SLACK_WEBHOOK_URL", "EVENTFLOW_ALERT_DISCORD_WEBHOOK_URL", "EVENTFLOW_ALERT_EMAIL_TO");
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).as("kept out of the image builds").contains(".env", "**/target");
        // Kafka: each service logs in as its own principal; only the one-shot admin services know the admin's password.
        assertThat(compose.required).contains("EVENTFLOW_SECURITY_ADMIN_PASSWORD", "EVENTFLOW_KAFKA_CONTROLLER_PASSWORD",
                "EVENTFLOW_SECURITY_INGEST_PASSWORD", "EVENTFLOW_SECURITY_PROCESSOR_PASSWORD", "EVENTFLOW_SECURITY_CONNECT_PASSWORD",
                "EVENTFLOW_SECURITY_READER_PASSWORD", "EVENTFLOW_SECURITY_MONITOR_PASSWORD");
        Map<String, String> principals = new HashMap<>();
        compose.services().forEach((name, service) -> {
            String user = ComposeFile.environment(service).get("EVENTFLOW_KAFKA_SASL_USERNAME");
            if (user != null) {
                principals.put(name, user);
            }
        });
        assertThat(principals).isEqualTo(Map.of("kafka-users", "eventflow-admin", "init", "eventflow-admin",
                "stream-processor", "eventflow-processor", "sink-supervisor", "eventflow-monitor", "ingest", "eventflow-ingest"));
        String adminPassword = example.get("EVENTFLOW_SECURITY_ADMIN_PASSWORD");
        compose.services().forEach((name, service) -> {
            if (!Set.of("kafka-format", "kafka", "kafka-users", "init").contains(name)) {
                assertThat(ComposeFile.environment(service).values()).as(name + " does not know the Kafka admin's password")
                        .noneMatch(value -> value.contains(adminPassword));
            }
        });
        // The sink logs in as its least-privilege role, never the owner.
        for (String service : List.of("sink-supervisor")) {
            assertThat(eventflowVariables(compose.services().get(service))).doesNotContainKey("EVENTFLOW_POSTGRES_OWNER_PASSWORD");
        }
        assertThat(renderedConnectors().values()).allSatisfy(connector ->
                assertThat(connector.path("connection.username").asText()).isEqualTo("eventflow_sink"));
    }

    @Test
    void everyMonitoringSettingCanBeSetFromTheEnvFile() {
        Map<String, String> env = eventflowVariables(compose.services().get("monitoring-config"));
        for (String key : MonitoringConfig.SPEC.keys()) {
            if (!key.startsWith("monitoring.local.")) {
                assertThat(env).as("monitoring-config passes " + key).containsKey(Config.ENV_PREFIX + Config.envName(key));
            }
        }
    }

    private static String app(String serviceName) {
        List<String> words = ComposeFile.commandLine(compose.services().get(serviceName));
        return words.get(0).equals(APP_BINARY) ? words.get(1) : words.get(0);
    }

    private static Map<String, String> eventflowVariables(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        ComposeFile.environment(service).forEach((name, value) -> {
            if (name.startsWith(Config.ENV_PREFIX)) {
                env.put(name, value);
            }
        });
        return env;
    }

    private static List<String> volumes(String service) {
        return ((List<?>) compose.services().get(service).get("volumes")).stream().map(Object::toString).toList();
    }

    private static Map<String, ObjectNode> renderedConnectors() {
        Map<String, String> env = eventflowVariables(compose.services().get("init"));
        return SinkMain.connectorConfigs(Config.load(InitMain.SPEC, null, env), "copy");
    }

    /** Ports each service listens on, from its settings and images. */
    private static Map<String, Set<Integer>> listeningPorts() throws Exception {
        Map<String, Set<Integer>> ports = new HashMap<>();
        for (Map.Entry<String, Map<String, Object>> service : compose.services().entrySet()) {
            Set<Integer> open = new HashSet<>();
            Map<String, String> env = ComposeFile.environment(service.getValue());
            env.forEach((name, value) -> {
                if (name.endsWith("METRICS_PORT")) {
                    open.add(Integer.parseInt(value));
                }
            });
            String listeners = env.get("KAFKA_LISTENERS");
            if (listeners != null) {
                Matcher matcher = Pattern.compile(":(\\d+)").matcher(listeners);
                while (matcher.find()) {
                    open.add(Integer.parseInt(matcher.group(1)));
                }
            }
            String image = String.valueOf(service.getValue().get("image")).split(":")[0];
            open.addAll(IMAGE_PORTS.getOrDefault(image, Set.of()));
            ports.put(service.getKey(), open);
        }
        String worker = Files.readString(ROOT.resolve("deploy/connect/connect-distributed.properties"));
        Matcher listener = Pattern.compile("(?m)^listeners=http://0\\.0\\.0\\.0:(\\d+)$").matcher(worker);
        assertThat(listener.find()).isTrue();
        ports.get("connect").add(Integer.parseInt(listener.group(1)));
        Matcher agent = Pattern.compile("jmx_prometheus_javaagent\\.jar=(\\d+):").matcher(Files.readString(ROOT.resolve("deploy/docker/Dockerfile")));
        assertThat(agent.find()).isTrue();
        ports.get("connect").add(Integer.parseInt(agent.group(1)));
        return ports;
    }

    private static String kafkaVersion() throws Exception {
        Matcher matcher = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
