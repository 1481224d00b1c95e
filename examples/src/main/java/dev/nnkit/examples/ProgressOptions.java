package dev.nnkit.examples;

import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --no-progress}: the progress line within an epoch (batches done, examples per second,
 * time left in the epoch), shown only when standard output is a terminal, on standard error,
 * redrawn at most twice a second and only for epochs that last more than a second.
 */
final class ProgressOptions {

    @Option(names = "--no-progress", negatable = false, description = "Do not show the progress within an epoch.")
    boolean noProgress;

    /**
     * Whether progress within an epoch is drawn: not asked off with {@code --no-progress}, and the
     * output is a terminal (a redirected output or a pipe never gets a progress bar).
     */
    boolean shown() {
        return !noProgress && System.console() != null;
    }

    /** The listener drawing the progress line on {@code terminal}, or one that does nothing when it is off. */
    TrainingListener listener(int examples, int batchSize, PrintStream terminal) {
        if (!shown()) {
            return new TrainingListener() {
            };
        }
        return new Line(examples, batchSize, terminal, System::nanoTime);
    }

    /** The progress line itself; see the class documentation. */
    static final class Line implements TrainingListener {
        private final int examples;
        private final int batchSize;
        private final PrintStream terminal;
        private final java.util.function.LongSupplier clock;
        private long epochStart;
        private long lastDrawn;
        private int batchesDone;
        private boolean drawn;

        /** @param clock nanoseconds, {@link System#nanoTime} but in tests */
        Line(int examples, int batchSize, PrintStream terminal, java.util.function.LongSupplier clock) {
            this.clock = clock;
            this.examples = examples;
            this.batchSize = batchSize <= 0 ? examples : Math.min(batchSize, examples);
            this.terminal = terminal;
        }

        @Override
        public void onStep(TrainingContext context) {
            long now = clock.getAsLong();
            if (batchesDone == 0) {
                epochStart = now;
            }
            batchesDone++;
            int batches = context.stepsPerEpoch();
            if (now - epochStart > 1_000_000_000L && now - lastDrawn > 500_000_000L && batchesDone < batches) {
                lastDrawn = now;
                double seconds = (now - epochStart) / 1e9;
                long done = Math.min(examples, (long) batchesDone * batchSize);
                double rate = done / seconds;
                long left = Math.round((examples - done) / Math.max(rate, 1e-9));
                terminal.printf(Locale.ROOT, "\repoch %d: batch %d/%d, %.0f examples/s, %d:%02d left in the epoch   ",
                        context.epoch(), batchesDone, batches, rate, left / 60, left % 60);
                terminal.flush();
                drawn = true;
            }
        }

        @Override
        public void onEpochEnd(TrainingContext context) {
            if (drawn) {
                terminal.print("\r" + " ".repeat(79) + "\r");
                terminal.flush();
            }
            batchesDone = 0;
            drawn = false;
        }
    }
}
