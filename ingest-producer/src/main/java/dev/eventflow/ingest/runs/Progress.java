package dev.eventflow.ingest.runs;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long run: a progress bar with records/s and the time left on an interactive
 * terminal; a plain log line every few seconds otherwise (CI, containers, log files).
 */
public interface Progress extends AutoCloseable {

    /** One more unit done. */
    void step();

    @Override
    void close();

    /** The right kind for where the process runs. */
    static Progress start(String task, long total) {
        return System.console() != null ? new Bar(task, total) : new LogLines(task, total, Duration.ofSeconds(5));
    }

    /** Progress bar on the terminal. */
    final class Bar implements Progress {
        private final ProgressBar bar;

        Bar(String task, long total) {
            this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" rec", 1)
                    .showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).build();
        }

        @Override
        public void step() {
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Periodic log lines. */
    final class LogLines implements Progress {
        private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
        private final String task;
        private final long total;
        private final long intervalNanos;
        private final long started = System.nanoTime();
        private long lastLog = started;
        private long done;

        LogLines(String task, long total, Duration interval) {
            this.task = task;
            this.total = total;
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void step() {
            done++;
            long now = System.nanoTime();
            if (now - lastLog >= intervalNanos) {
                lastLog = now;
                double seconds = (now - started) / 1e9;
                double rate = done / Math.max(seconds, 1e-9);
                String eta = total > done && rate > 0 ? String.format(Locale.ROOT, ", about %.0f s left", (total - done) / rate) : "";
                LOG.info("{}: {} of {} ({} rec/s{})", task, done, total, String.format(Locale.ROOT, "%.0f", rate), eta);
            }
        }

        @Override
        public void close() {
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.info("{}: {} records in {} s", task, done, String.format(Locale.ROOT, "%.1f", seconds));
        }
    }
}
