package dev.nnkit.examples;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.PluginProvider;

/**
 * A second provider claiming the activation name {@code tanh}, as a stray jar would: listed only
 * in the private services folder of {@link PluginConflictCliTest}, never in src/test/resources.
 */
public final class DuplicateTanh implements PluginProvider<Activation> {

    @Override
    public Class<Activation> kind() {
        return Activation.class;
    }

    @Override
    public String name() {
        return "tanh";
    }

    @Override
    public Activation create(Arguments arguments) {
        throw new UnsupportedOperationException("never created: the name is claimed twice");
    }
}
