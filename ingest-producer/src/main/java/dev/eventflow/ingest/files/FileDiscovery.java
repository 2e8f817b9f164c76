package dev.eventflow.ingest.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Turns command-line inputs (files, directories, globs such as {@code data/*.csv}) into a sorted list of provider files. */
public final class FileDiscovery {

    private FileDiscovery() {
    }

    public static List<Path> resolve(List<String> inputs) {
        Set<Path> files = new LinkedHashSet<>();
        for (String input : inputs) {
            Path path = Path.of(input);
            if (Files.isRegularFile(path)) {
                files.add(path.toAbsolutePath().normalize());
            } else if (Files.isDirectory(path)) {
                files.addAll(walk(path, p -> isProviderFile(p)));
            } else if (input.contains("*") || input.contains("?") || input.contains("[") || input.contains("{")) {
                files.addAll(glob(input));
            } else {
                throw new IllegalArgumentException("No such file or directory: " + input);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No provider files (.csv, .jsonl, .ndjson, .json, optionally .gz) in " + inputs);
        }
        return List.copyOf(files);
    }

    static boolean isProviderFile(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        return base.endsWith(".csv") || base.endsWith(".jsonl") || base.endsWith(".ndjson") || base.endsWith(".json");
    }

    private static List<Path> glob(String pattern) {
        Path pathPattern = Path.of(pattern);
        Path base = Path.of("").toAbsolutePath();
        int firstGlob = 0;
        for (Path part : pathPattern) {
            String text = part.toString();
            if (text.contains("*") || text.contains("?") || text.contains("[") || text.contains("{")) {
                break;
            }
            firstGlob++;
        }
        if (firstGlob > 0) {
            base = (pathPattern.isAbsolute() ? pathPattern.getRoot().resolve(pathPattern.subpath(0, firstGlob))
                    : Path.of("").toAbsolutePath().resolve(pathPattern.subpath(0, firstGlob))).normalize();
        } else if (pathPattern.isAbsolute()) {
            base = pathPattern.getRoot();
        }
        Path absolutePattern = pathPattern.isAbsolute() ? pathPattern : Path.of("").toAbsolutePath().resolve(pathPattern);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolutePattern.normalize());
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        return walk(base, p -> matcher.matches(p.toAbsolutePath().normalize()));
    }

    private static List<Path> walk(Path root, java.util.function.Predicate<Path> include) {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> found = new ArrayList<>(paths.filter(Files::isRegularFile).filter(include)
                    .map(p -> p.toAbsolutePath().normalize()).sorted().toList());
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root + ": " + e.getMessage(), e);
        }
    }
}
