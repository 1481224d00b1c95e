package dev.nnkit.examples;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;

/**
 * A second provider claiming the activation name {@code tanh}, as a stray jar would: listed only
 * in the private services folder of {@link PluginConflictCliTest}, never in src/test/resources.
 */
public final class DuplicateTanh extends NamedProvider<Activation> {
    /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
    public DuplicateTanh() {
        super(Activation.class, "tanh");
    }

    @Override
    public Activation create(Arguments arguments) {
        throw new UnsupportedOperationException("never created: the name is claimed twice");
    }
}
