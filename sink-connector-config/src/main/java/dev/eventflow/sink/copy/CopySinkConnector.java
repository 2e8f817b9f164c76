package dev.eventflow.sink.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * eventflow's own Kafka Connect sink for the clean topics: each batch is copied into a staging
 * table with PostgreSQL's COPY, then upserted into the table with one statement that refuses to
 * replace a row by an older version ({@link CopySinkConfig}). Debezium's JDBC sink stays the
 * off-the-shelf alternative (docs/sink.md).
 */
public final class CopySinkConnector extends SinkConnector {

    private Map<String, String> settings;

    @Override
    public void start(Map<String, String> props) {
        new CopySinkConfig(props);
        settings = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CopySinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(settings);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CopySinkConfig.DEFINITION;
    }

    @Override
    public String version() {
        return CopySinkConfig.VERSION;
    }
}
