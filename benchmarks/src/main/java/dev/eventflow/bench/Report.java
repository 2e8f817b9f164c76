package dev.eventflow.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.model.serde.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run: printed as a table, written as JSON. */
final class Report {

    /**
     * One figure.
     *
     * @param id      stable name in the JSON ({@code topology.records_per_second})
     * @param label   what the table shows
     * @param value   the measured value
     * @param unit    its unit
     * @param ratio   value divided by the ceiling named in {@code ratioOf} (NaN: none)
     * @param ratioOf what the ratio is taken against
     * @param target  the goal as text ({@code >= 50000}), or null
     * @param met     whether the goal is met, or null without a goal
     */
    record Figure(String id, String label, double value, String unit, double ratio, String ratioOf, String target, Boolean met) {
    }

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> context = new LinkedHashMap<>();

    void context(String key, Object value) {
        context.put(key, value);
    }

    Figure add(String id, String label, double value, String unit, double ratio, String ratioOf, String target, Boolean met) {
        Figure figure = new Figure(id, label, value, unit, ratio, ratioOf, target, met);
        figures.add(figure);
        return figure;
    }

    /** A figure with no goal. */
    Figure add(String id, String label, double value, String unit, double ratio, String ratioOf) {
        return add(id, label, value, unit, ratio, ratioOf, null, null);
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    void print(PrintWriter out) {
        out.println();
        context.forEach((key, value) -> out.printf(Locale.ROOT, "%s: %s%n", key, value));
        out.println();
        out.printf(Locale.ROOT, "| %-58s | %14s | %-9s | %6s | %-34s | %-12s |%n", "measure", "value", "unit", "ratio", "ratio of", "target");
        out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(60), "-".repeat(16), "-".repeat(11), "-".repeat(8), "-".repeat(36),
                "-".repeat(14));
        for (Figure f : figures) {
            String target = f.target() == null ? "" : f.target() + (f.met() ? " met" : " MISSED");
            out.printf(Locale.ROOT, "| %-58s | %14s | %-9s | %6s | %-34s | %-12s |%n", f.label(), number(f.value()), f.unit(),
                    Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", f.ratio()), f.ratioOf() == null ? "" : f.ratioOf(),
                    target);
        }
        out.flush();
    }

    void writeJson(Path file) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode ctx = root.putObject("context");
        context.forEach((key, value) -> ctx.put(key, String.valueOf(value)));
        ArrayNode list = root.putArray("figures");
        for (Figure f : figures) {
            ObjectNode node = list.addObject().put("id", f.id()).put("label", f.label()).put("unit", f.unit());
            putNumber(node, "value", f.value());
            putNumber(node, "ratio", f.ratio());
            node.put("ratio_of", f.ratioOf());
            node.put("target", f.target());
            if (f.met() == null) {
                node.putNull("met");
            } else {
                node.put("met", f.met());
            }
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(value * 1000) / 1000.0);
        }
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
