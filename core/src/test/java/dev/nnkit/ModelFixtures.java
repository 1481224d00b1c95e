package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import dev.nnkit.training.TrainingState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import org.ejml.data.DMatrixRMaj;

/** Networks, data, a registry and an in-memory channel shared by the model-file and config tests. */
public final class ModelFixtures {

    private ModelFixtures() {
    }

    /** {@code test_l2(lambda=0.1)}: penalty (lambda / 2m) ||W||^2, defined here so core's tests have a regularizer. */
    public static final class L2 implements WeightPenalty {
        final double lambda;

        L2(double lambda) {
            this.lambda = lambda;
        }

        @Override
        public double penalty(DMatrixRMaj w, int m) {
            double sum = 0;
            for (int k = 0; k < w.getNumElements(); k++) {
                sum += w.data[k] * w.data[k];
            }
            return lambda / (2.0 * m) * sum;
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            for (int k = 0; k < w.getNumElements(); k++) {
                dW.data[k] += lambda / m * w.data[k];
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("test_l2").with("lambda", lambda).toString();
        }
    }

    /** Registers {@code test_l2}. */
    public static final class L2Provider extends NamedProvider<Regularizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public L2Provider() {
            super(Regularizer.class, "test_l2");
        }

        @Override
        public Regularizer create(Arguments arguments) {
            double lambda = arguments.getDouble("lambda", 0.1);
            if (lambda < 0) {
                throw arguments.invalid("lambda", lambda, ">= 0");
            }
            return new L2(lambda);
        }
    }

    private static final PluginRegistry REGISTRY = build(List.of(new L2Provider()));
    private static final PluginRegistry STEP_REGISTRY = build(List.of(new L2Provider(),
            new StepPlugins.DropoutProvider(), new StepPlugins.GainProvider(), new StepPlugins.RunningShiftProvider(), new StepPlugins.DoubleDenseProvider(),
            new TestPlugins.PlainSigmoidProvider(), new TestPlugins.SoftmaxProvider(), new TestPlugins.PlainSoftmaxProvider()));

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static PluginRegistry build(List<PluginProvider<?>> extra) {
        List<PluginProvider<?>> all = new ArrayList<>();
        for (PluginProvider provider : ServiceLoader.load(PluginProvider.class, ModelFixtures.class.getClassLoader())) {
            all.add(provider);
        }
        all.addAll(extra);
        return PluginRegistry.of(all);
    }

    /** Every plugin on the test class path plus {@code test_l2}. */
    public static PluginRegistry registry() {
        return REGISTRY;
    }

    /**
     * {@link #registry()} plus the plugins of the step-contract tests: {@code test_dropout},
     * {@code test_gain}, {@code running_shift}, {@code test_double_dense}, {@code test_plain_sigmoid}, {@code test_softmax} and
     * {@code test_plain_softmax}.
     */
    public static PluginRegistry stepRegistry() {
        return STEP_REGISTRY;
    }

    /** 2-3-1: sigmoid hidden layer with test_l2, sigmoid output, binary cross-entropy. */
    public static Network small(long seed) {
        return Network.builder(2).registry(REGISTRY)
                .layer(LayerConfig.dense(3).withActivation("sigmoid").withRegularizers("test_l2(lambda=0.01)"))
                .dense(1, "sigmoid")
                .initializer("test_gaussian(std=0.8)")
                .loss("binary_cross_entropy").seed(seed).build();
    }

    /** 4-8-6-3 with softmax-free outputs (mean squared error), for larger files and concurrency. */
    public static Network medium(long seed) {
        return Network.builder(4).registry(REGISTRY).activation("sigmoid").initializer("test_gaussian(std=0.7)")
                .dense(8).dense(6).dense(3, "test_scaled(factor=1.5)")
                .loss("mean_squared_error").seed(seed).build();
    }

    /** Points in the plane labelled by whether x1 * x2 > 0 (XOR-like), with 10% label noise. */
    public static Dataset quadrants(int m, long seed) {
        Random r = new Random(seed);
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            x.set(0, j, a);
            x.set(1, j, b);
            boolean label = a * b > 0;
            y.set(0, j, (r.nextDouble() < 0.1) != label ? 1 : 0);
        }
        return new Dataset(x, y);
    }

    public static DMatrixRMaj gaussian(int rows, int cols, long seed) {
        Random r = new Random(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = r.nextGaussian();
        }
        return m;
    }

    /** Every parameter value of the network, concatenated in order. */
    public static double[] flatParameters(Network network) {
        int n = 0;
        for (var p : network.parameters()) {
            n += p.value().getNumElements();
        }
        double[] out = new double[n];
        int at = 0;
        for (var p : network.parameters()) {
            System.arraycopy(p.value().data, 0, out, at, p.value().getNumElements());
            at += p.value().getNumElements();
        }
        return out;
    }

    /** The bytes with the trailing SHA-256 recomputed, so that a modified file passes the checksum. */
    public static byte[] reseal(byte[] file) {
        byte[] out = file.clone();
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(out, out.length - 32));
            System.arraycopy(sum, 0, out, out.length - 32, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static byte[] bytesOf(Network network, TrainingState state, Path directory) throws IOException {
        Path file = directory.resolve("bytes.nnkit");
        ModelFile.save(network, state, file);
        return Files.readAllBytes(file);
    }

    /** A read-only {@link SeekableByteChannel} over a byte array. */
    public static final class BytesChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;
        private boolean open = true;

        public BytesChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
