package dev.eventflow.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml read the way Compose reads it: variables interpolated from an env file
 * ({@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?error}}), YAML anchors and merge keys resolved.
 */
final class ComposeFile {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    final Map<String, Object> root;
    final List<String> required = new ArrayList<>();
    final List<String> referenced = new ArrayList<>();
    /** Variables used without a default: .env must give them. */
    final List<String> withoutDefault = new ArrayList<>();

    private ComposeFile(String text, Map<String, String> env) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String operator = matcher.group(2);
            String argument = matcher.group(3);
            referenced.add(name);
            if (operator == null || operator.endsWith("?")) {
                withoutDefault.add(name);
            }
            String value = env.get(name);
            boolean unset = value == null || (operator != null && operator.startsWith(":") && value.isEmpty());
            if (operator != null && operator.endsWith("?")) {
                required.add(name);
                if (unset) {
                    throw new IllegalStateException("required variable " + name + " is not set: " + argument);
                }
            }
            if (unset) {
                value = operator != null && operator.endsWith("-") ? argument : "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        this.root = new Yaml(options).load(out.toString());
    }

    static ComposeFile load(Path env) throws IOException {
        return new ComposeFile(Files.readString(ROOT.resolve("docker-compose.yml")), envFile(env));
    }

    /** KEY=VALUE lines, comments and blank lines skipped. */
    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            env.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) root.get("services");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> map) {
            map.forEach((key, value) -> env.put(key.toString(), value == null ? "" : value.toString()));
        } else if (raw instanceof List<?> list) {
            for (Object entry : list) {
                String text = entry.toString();
                int equals = text.indexOf('=');
                env.put(text.substring(0, equals), text.substring(equals + 1));
            }
        }
        return env;
    }

    /** The command line a service runs: entrypoint then command, as words. */
    @SuppressWarnings("unchecked")
    static List<String> commandLine(Map<String, Object> service) {
        List<String> words = new ArrayList<>();
        for (String key : List.of("entrypoint", "command")) {
            Object value = service.get(key);
            if (value instanceof List<?> list) {
                list.forEach(word -> words.add(word.toString()));
            } else if (value != null) {
                words.addAll(List.of(value.toString().split("\\s+")));
            }
        }
        return words;
    }
}
