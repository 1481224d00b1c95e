package dev.nnkit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.PluginProvider;

/**
 * Providers for the registry's own tests, listed only in private service folders (never in
 * src/test/resources), so the class path's registry stays as it is for every other test.
 */
public final class RegistryFixtures {

    private RegistryFixtures() {
    }

    /** A kind of plugin core does not know: a learning-rate warm-up, as a third party might add one. */
    public interface Warmup {
        /** The factor of the learning rate at {@code step} (from 1). */
        double factor(int step);
    }

    /** {@code linear_warmup(steps)}: the factor grows from 1/steps to 1 over the first {@code steps} steps. */
    public static final class LinearWarmupProvider implements PluginProvider<Warmup> {
        @Override
        public Class<Warmup> kind() {
            return Warmup.class;
        }

        @Override
        public String name() {
            return "linear_warmup";
        }

        @Override
        public Warmup create(Arguments arguments) {
            int steps = arguments.requireInt("steps");
            if (steps < 1) {
                throw arguments.invalid("steps", steps, ">= 1");
            }
            return step -> Math.min(1.0, (double) step / steps);
        }
    }

    /** Declares a class, not an interface, as its kind: only listed in private service folders. */
    public static final class NotAKindProvider implements PluginProvider<String> {
        @Override
        public Class<String> kind() {
            return String.class;
        }

        @Override
        public String name() {
            return "not_a_kind";
        }

        @Override
        public String create(Arguments arguments) {
            return "never";
        }
    }

    /** A third provider claiming {@code test_scaled}, a name the test class path already has. */
    public static final class ThirdScaled implements PluginProvider<Activation> {
        @Override
        public Class<Activation> kind() {
            return Activation.class;
        }

        @Override
        public String name() {
            return "test_scaled";
        }

        @Override
        public Activation create(Arguments arguments) {
            throw new UnsupportedOperationException("never created");
        }
    }
}
