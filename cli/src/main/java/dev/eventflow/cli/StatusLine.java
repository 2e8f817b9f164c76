package dev.eventflow.cli;

import java.io.PrintWriter;

/**
 * The live status of {@code eventflow local}: on a terminal one line redrawn in place (cut at the
 * terminal's width rather than wrapped, so that it can be redrawn); elsewhere (a file, CI) one line
 * each time.
 */
final class StatusLine {

    /** Carriage return and no automatic wrap (DECAWM off) before the line; erase to its end, wrap on again after. */
    private static final String BEGIN = "\r\033[?7l";
    private static final String END = "\033[K\033[?7h";

    private final PrintWriter out;
    private final boolean terminal;
    private boolean open;

    StatusLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    synchronized void show(String text) {
        if (terminal) {
            out.print(BEGIN + text + END);
            out.flush();
            open = true;
        } else {
            out.println(text);
        }
    }

    /** A line of its own, below the status line. */
    synchronized void println(String text) {
        end();
        out.println(text);
    }

    /** Ends a line drawn in place, so that what follows starts on a line of its own. */
    synchronized void end() {
        if (open) {
            out.println();
            open = false;
        }
    }
}
