package dev.eventflow.sink.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or updates every sink connector, waits until each and its tasks are RUNNING, and reports
 * FAILED tasks with their trace. {@link #superviseOnce} restarts failed tasks, with a backoff per
 * task that doubles up to a limit, and logs every restart.
 */
public final class ConnectorDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorDeployer.class);

    private final ConnectClient connect;
    private final Map<String, Backoff> backoffs = new HashMap<>();
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public ConnectorDeployer(ConnectClient connect, Duration initialBackoff, Duration maxBackoff) {
        this.connect = connect;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The state of a connector (task -1) or of one of its tasks, with Connect's trace when it failed. */
    public record TaskState(String connector, int task, String state, String trace) {
    }

    /** PUTs every config (idempotent), then waits for RUNNING; throws with the traces of FAILED tasks. */
    public void deploy(Map<String, ObjectNode> configs, Duration timeout) throws IOException, InterruptedException {
        for (Map.Entry<String, ObjectNode> config : configs.entrySet()) {
            connect.put(config.getKey(), config.getValue());
            LOG.info("Connector {} created or updated", config.getKey());
        }
        Instant deadline = Instant.now().plus(timeout);
        List<TaskState> problems = List.of();
        while (Instant.now().isBefore(deadline)) {
            problems = problems(configs.keySet());
            if (problems.isEmpty()) {
                return;
            }
            if (problems.stream().anyMatch(p -> p.state().equals("FAILED"))) {
                break;
            }
            Thread.sleep(200);
        }
        StringBuilder message = new StringBuilder("Connectors not running:");
        for (TaskState problem : problems) {
            message.append("\n  ").append(problem.connector()).append(problem.task() < 0 ? "" : " task " + problem.task())
                    .append(": ").append(problem.state()).append(problem.trace() == null ? "" : "\n" + problem.trace());
        }
        throw new IOException(message.toString());
    }

    /**
     * The state of each connector of {@code names} (task -1) and of each of its tasks: Connect's states, plus
     * MISSING for a connector Connect does not know and UNASSIGNED (task 0) for one without tasks yet.
     */
    public List<TaskState> states(Iterable<String> names) throws IOException, InterruptedException {
        List<TaskState> states = new ArrayList<>();
        for (String name : names) {
            JsonNode status = connect.status(name);
            if (status == null) {
                states.add(new TaskState(name, -1, "MISSING", null));
                continue;
            }
            states.add(new TaskState(name, -1, status.path("connector").path("state").asText(),
                    status.path("connector").path("trace").asText(null)));
            if (status.path("tasks").isEmpty()) {
                states.add(new TaskState(name, 0, "UNASSIGNED", null));
            }
            for (JsonNode task : status.path("tasks")) {
                states.add(new TaskState(name, task.path("id").asInt(), task.path("state").asText(), task.path("trace").asText(null)));
            }
        }
        return states;
    }

    /** Connectors or tasks of {@code names} that are not RUNNING (a missing task list counts as not running). */
    public List<TaskState> problems(Iterable<String> names) throws IOException, InterruptedException {
        return problemsOf(states(names));
    }

    /** The entries of {@code states} that are not RUNNING. */
    public static List<TaskState> problemsOf(List<TaskState> states) {
        return states.stream().filter(state -> !state.state().equals("RUNNING")).toList();
    }

    /** One supervision pass: restarts each FAILED task whose backoff has passed; returns the restarts made. */
    public List<TaskState> superviseOnce(Iterable<String> names) throws IOException, InterruptedException {
        return restartFailed(states(names));
    }

    /** Restarts each FAILED task of {@code states} whose backoff has passed; returns the restarts made. */
    public List<TaskState> restartFailed(List<TaskState> states) throws IOException, InterruptedException {
        List<TaskState> restarted = new ArrayList<>();
        Instant now = Instant.now();
        for (TaskState problem : problemsOf(states)) {
            if (!problem.state().equals("FAILED") || problem.task() < 0) {
                continue;
            }
            String id = problem.connector() + "/" + problem.task();
            Backoff backoff = backoffs.computeIfAbsent(id, key -> new Backoff(initialBackoff, Instant.MIN));
            if (now.isBefore(backoff.notBefore())) {
                continue;
            }
            LOG.warn("Restarting failed task {} (next restart no sooner than in {}); it failed with: {}", id, backoff.delay(),
                    firstLine(problem.trace()));
            connect.restartTask(problem.connector(), problem.task());
            Duration next = backoff.delay().multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.delay().multipliedBy(2);
            backoffs.put(id, new Backoff(next, now.plus(backoff.delay())));
            restarted.add(problem);
        }
        return restarted;
    }

    private static String firstLine(String trace) {
        return trace == null ? "(no trace)" : trace.lines().findFirst().orElse("");
    }

    private record Backoff(Duration delay, Instant notBefore) {
    }
}
