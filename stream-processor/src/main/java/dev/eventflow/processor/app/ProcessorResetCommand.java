package dev.eventflow.processor.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventflow processor reset}: see {@link ProcessorReset}. */
@Command(name = "reset", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Makes the next start of the stream processor reprocess the raw topics from the beginning, with Kafka's own "
                    + "StreamsResetter: the application's offsets on the raw topics go back to the earliest ones, its internal "
                    + "topics (repartition, changelog) are deleted, and so is its local state directory (state.dir/<application.id>).",
            "The clean topics are left alone: reprocessing writes every key again. Refuses while any instance of the "
                    + "application is running. Takes the processor's settings (--config, EVENTFLOW_*)."
        })
final class ProcessorResetCommand implements Callable<Integer> {

    @ParentCommand
    private StreamProcessorMain parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "Show what would be reset and deleted, change nothing.")
    private boolean dryRun;

    @Override
    public Integer call() {
        ProcessorReset.Result result = ProcessorReset.run(parent.config(), dryRun);
        PrintWriter out = spec.commandLine().getOut();
        String would = result.dryRun() ? "would be " : "";
        out.println((result.dryRun() ? "Dry run, nothing changed. " : "") + "Reset of " + result.applicationId() + ":");
        out.println("  offsets of " + String.join(", ", result.inputTopics()) + " " + (result.dryRun() ? "would go" : "went")
                + " back to the earliest");
        out.println("  internal topics " + would + "deleted: " + (result.internalTopics().isEmpty() ? "none"
                : String.join(", ", result.internalTopics())));
        out.println("  local state " + result.stateDir() + ": " + (result.stateDirRemoved() ? would + "removed" : "not there"));
        if (!result.dryRun()) {
            out.println("The next start of the processor reprocesses the raw topics from the beginning.");
        }
        out.flush();
        return 0;
    }
}
