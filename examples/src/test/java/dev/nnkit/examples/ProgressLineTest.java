package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.training.ModelSnapshot;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line within an epoch, on a clock the test sets: when it is drawn, what it says, and that it is cleared. */
class ProgressLineTest {

    /** The context of epoch 2 of a run of 10 batches per epoch. */
    private static final TrainingContext CONTEXT = new TrainingContext() {
        @Override
        public Network network() {
            return null;
        }

        @Override
        public Hyperparameters hyperparameters() {
            return Hyperparameters.defaults();
        }

        @Override
        public long step() {
            return 0;
        }

        @Override
        public int epoch() {
            return 2;
        }

        @Override
        public int stepsPerEpoch() {
            return 10;
        }

        @Override
        public double learningRate() {
            return 0.01;
        }

        @Override
        public double stepCost() {
            return 0;
        }

        @Override
        public double epochCost() {
            return 0;
        }

        @Override
        public TrainingState state() {
            return null;
        }

        @Override
        public void requestStop() {
        }

        @Override
        public boolean stopRequested() {
            return false;
        }

        @Override
        public void restoreAtEnd(ModelSnapshot snapshot) {
        }

        @Override
        public void capture(ModelSnapshot snapshot) {
        }
    };

    @Test
    void aLongEpochShowsBatchesRateAndTimeLeftAtMostTwiceASecondThenClearsIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long[] now = {0};
        // 10 batches of 100 of 1,000 examples; each batch takes 0.4 s
        ProgressOptions.Line line = new ProgressOptions.Line(1000, 100, terminal, () -> now[0]);
        for (int b = 1; b <= 10; b++) {
            line.onStep(CONTEXT);
            now[0] += 400_000_000L;
        }
        line.onEpochEnd(CONTEXT);
        String out = bytes.toString(StandardCharsets.UTF_8);
        // the epoch starts at the first batch (t = 0): batch k ends at 0.4 (k - 1) s, drawn when > 1 s since the start
        // and > 0.5 s since the last drawing: batches 4 (1.2 s), 6 (2.0 s), 8 (2.8 s); never the last one
        // batch 4: 400 examples in 1.2 s = 333/s, 600 left: 1.8 s -> 0:02
        String[] drawn = out.split("\r");
        assertEquals("", drawn[0]);
        assertEquals("epoch 2: batch 4/10, 333 examples/s, 0:02 left in the epoch   ", drawn[1]);
        assertEquals("epoch 2: batch 6/10, 300 examples/s, 0:01 left in the epoch   ", drawn[2]);
        assertEquals("epoch 2: batch 8/10, 286 examples/s, 0:01 left in the epoch   ", drawn[3]);
        assertEquals(" ".repeat(79), drawn[4], "cleared at the end of the epoch");
        assertEquals(5, drawn.length);
    }

    @Test
    void shortEpochsAndNoProgressDrawNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long[] now = {0};
        ProgressOptions.Line line = new ProgressOptions.Line(1000, 100, terminal, () -> now[0]);
        for (int b = 1; b <= 10; b++) {
            line.onStep(CONTEXT);
            now[0] += 90_000_000L; // 0.9 s for the whole epoch
        }
        line.onEpochEnd(CONTEXT);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        ProgressOptions off = new ProgressOptions();
        off.noProgress = true;
        off.listener(1000, 100, terminal).onStep(CONTEXT);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
