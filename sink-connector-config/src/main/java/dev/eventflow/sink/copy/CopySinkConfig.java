package dev.eventflow.sink.copy;

import dev.eventflow.sink.connect.ContractSchemas;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Settings of {@link CopySinkConnector}: where to write, which contract the topic holds, and how a row's version is read. */
final class CopySinkConfig extends AbstractConfig {

    static final String VERSION = "1";
    static final String URL = "connection.url";
    static final String USER = "connection.username";
    static final String PASSWORD = "connection.password";
    static final String TABLE = "table";
    static final String CONTRACT_TYPE = "contract.type";
    static final String KEY_COLUMN = "key.column";
    static final String VERSION_COLUMN = "version.column";
    static final String KEY_SEPARATOR = "key.separator";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(URL, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH, "JDBC URL of PostgreSQL")
            .define(USER, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH, "role to log in as")
            .define(PASSWORD, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
                    "its password (give it through a config provider, never in the connector config)")
            .define(TABLE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH, "table to upsert into")
            .define(CONTRACT_TYPE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.ValidString.in(ContractSchemas.types().toArray(String[]::new)), ConfigDef.Importance.HIGH,
                    "message type of the topic's values (docs/topics.md)")
            .define(KEY_COLUMN, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "primary-key column, or columns (comma-separated) when the record key joins several values")
            .define(KEY_SEPARATOR, ConfigDef.Type.STRING, "|", ConfigDef.Importance.LOW,
                    "what joins the values of a key of several columns (a tombstone's key is split on it to find its row)")
            .define(VERSION_COLUMN, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "column holding the row's version: a row is never replaced by one whose version is older (empty: always replaced)");

    final ContractSchemas.Contract contract;

    CopySinkConfig(Map<String, String> props) {
        super(DEFINITION, props);
        contract = ContractSchemas.of(getString(CONTRACT_TYPE));
        List<String> columns = contract.fields().stream().map(ContractSchemas.Field::column).toList();
        for (String keyColumn : keyColumns()) {
            if (!columns.contains(keyColumn)) {
                throw new ConfigException(KEY_COLUMN, keyColumn, "not a column of " + contract.type() + ": " + columns);
            }
        }
        if (!versionColumn().isEmpty() && !columns.contains(versionColumn())) {
            throw new ConfigException(VERSION_COLUMN, versionColumn(), "not a column of " + contract.type() + ": " + columns);
        }
    }

    String url() {
        return getString(URL);
    }

    String user() {
        return getString(USER);
    }

    String password() {
        Password password = getPassword(PASSWORD);
        return password == null ? "" : password.value();
    }

    String table() {
        return getString(TABLE);
    }

    /** The primary key's columns, in the order their values appear in the record key. */
    List<String> keyColumns() {
        return getList(KEY_COLUMN);
    }

    String keySeparator() {
        return getString(KEY_SEPARATOR);
    }

    String versionColumn() {
        return getString(VERSION_COLUMN);
    }
}
