package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.diagnostics.Diagnostics;
import dev.nnkit.internal.Access;
import dev.nnkit.io.ModelFile;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import dev.nnkit.training.TrainingState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network belongs to the thread training it: a second fit fails at once, and other threads'
 * reads are refused, while the training thread's listeners may read.
 */
@Timeout(60)
class ConcurrentTrainingTest {

    private static final Hyperparameters HP = new Hyperparameters("adam(learning_rate=0.05)", 3, 8, 3L, true);

    /** A fit on its own thread named {@code name} that stops in its listener at step 1 until released. */
    private static final class HeldFit {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Object> insideListener = new ArrayList<>();
        final Thread thread;

        HeldFit(String name, Network network, Dataset data, Hyperparameters hp) {
            thread = new Thread(() -> {
                try {
                    new Trainer(hp).listener(new TrainingListener() {
                        @Override
                        public void onStep(TrainingContext context) {
                            if (context.step() == 1) {
                                // the training thread itself may read the network
                                insideListener.add(network.predict(Access.data().x(data)));
                                insideListener.add(network.cost(data));
                                insideListener.add(network.accuracy(data));
                                started.countDown();
                                await(release);
                            }
                        }
                    }).fit(network, data);
                } catch (Throwable t) {
                    failure.set(t);
                    started.countDown();
                }
            }, name);
            thread.start();
            await(started);
        }

        void finish() throws InterruptedException {
            release.countDown();
            thread.join(30_000);
            assertNull(failure.get(), () -> "the held fit failed: " + failure.get());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSecondFitOfTheSameNetworkFailsAtOnceNamingTheNetworkAndTheThread() throws Exception {
        Network net = ModelFixtures.small(1);
        Dataset data = ModelFixtures.quadrants(50, 1);
        HeldFit held = new HeldFit("trainer-one", net, data, HP);
        try {
            // another batch size: without the guard the two runs share the network's buffers
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new Trainer(HP.withBatchSize(5)).fit(net, ModelFixtures.quadrants(30, 2)));
            assertEquals("network 2-3(sigmoid)-1(sigmoid), binary_cross_entropy is already being trained by thread "
                    + "'trainer-one'; a network trains in one fit at a time: wait for that fit to return, or train a copy (e.g. "
                    + "saved with ModelFile.save and loaded with ModelFile.load)", e.getMessage());
            TrainingState state = new TrainingState(HP, 1, 7, List.of());
            assertThrows(IllegalStateException.class, () -> new Trainer(HP).resume(net, data, state));
            // another network trains meanwhile, with the same settings
            new Trainer(HP).fit(ModelFixtures.small(2), data);
        } finally {
            held.finish();
        }
        // the held run was not disturbed: the same bits as a run on its own
        Network alone = ModelFixtures.small(1);
        new Trainer(HP).fit(alone, data);
        assertArrayEquals(ModelFixtures.flatParameters(alone), ModelFixtures.flatParameters(net), 0.0);
        // and the network is free again
        new Trainer(HP.withEpochs(1)).fit(net, data);
    }

    @Test
    void otherThreadsAreRefusedWhileTheTrainingThreadReads(@TempDir Path dir) throws Throwable {
        Network net = ModelFixtures.small(3);
        Dataset data = ModelFixtures.quadrants(40, 3);
        HeldFit held = new HeldFit("trainer-two", net, data, HP);
        List<Executable> refused = List.of(
                () -> net.predict(Access.data().x(data)),
                () -> net.classify(Access.data().x(data)),
                () -> net.cost(data),
                () -> net.cost(data, dev.nnkit.spi.StepContext.Mode.CHECKING),
                () -> net.accuracy(data),
                () -> net.forwardTrace(Access.data().x(data)),
                () -> net.parameter(1, "W"),
                () -> net.gradient(1, "W"),
                () -> net.computeGradients(data),
                () -> net.setParameter(1, "b", new DMatrixRMaj(3, 1)),
                () -> ModelFile.save(net, dir.resolve("during.nnkit")),
                () -> Diagnostics.measure(net, data));
        try {
            for (Executable call : refused) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertTrue(e.getMessage().startsWith("network 2-3(sigmoid)-1(sigmoid), binary_cross_entropy is being trained by "
                        + "thread 'trainer-two'; call "), e.getMessage());
                assertTrue(e.getMessage().endsWith(" after fit returns, or from a listener on the training thread"),
                        e.getMessage());
            }
            assertEquals("network 2-3(sigmoid)-1(sigmoid), binary_cross_entropy is being trained by thread 'trainer-two'; "
                    + "call predict after fit returns, or from a listener on the training thread",
                    assertThrows(IllegalStateException.class, () -> net.predict(Access.data().x(data))).getMessage());
        } finally {
            held.finish();
        }
        assertEquals(3, held.insideListener.size(), "the listener read the network on the training thread");
        // after fit returns every call works again, from any thread
        for (Executable call : refused) {
            call.execute();
        }
    }

    @Test
    void aFitThatFailsReleasesTheNetwork() throws Exception {
        Network net = ModelFixtures.small(4);
        Dataset data = ModelFixtures.quadrants(20, 4);
        RuntimeException boom = new RuntimeException("listener failed");
        Thread trainerThread = new Thread(() -> assertThrows(RuntimeException.class, () -> new Trainer(HP).listener(
                new TrainingListener() {
                    @Override
                    public void onStep(TrainingContext context) {
                        throw boom;
                    }
                }).fit(net, data)));
        trainerThread.start();
        trainerThread.join();
        net.predict(Access.data().x(data));
        new Trainer(HP.withEpochs(1)).fit(net, data);
    }

    @Test
    void aListenerCannotStartAFitOfTheNetworkItObserves() {
        Network net = ModelFixtures.small(5);
        Dataset data = ModelFixtures.quadrants(20, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Trainer(HP).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context) {
                new Trainer(HP).fit(net, data);
            }
        }).fit(net, data));
        assertTrue(e.getMessage().contains("(this thread: a listener cannot start a fit of the network it observes)"),
                e.getMessage());
        new Trainer(HP.withEpochs(1)).fit(net, data); // released
    }

    @Test
    void manyThreadsPredictAtOnceWhenNoFitRuns() throws Exception {
        Network net = ModelFixtures.small(6);
        Dataset data = ModelFixtures.quadrants(30, 6);
        DMatrixRMaj expected = net.predict(Access.data().x(data));
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int k = 0; k < 50; k++) {
                        assertArrayEquals(expected.data, net.predict(Access.data().x(data)).data, 0.0);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(failure.get());
    }
}
