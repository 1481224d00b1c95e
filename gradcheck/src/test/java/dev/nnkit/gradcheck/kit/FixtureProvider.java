package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.PluginProvider;
import java.util.function.Function;

/** A provider for a test fixture: a kind, a name and a factory (public for the checker's tests in the parent package). */
public class FixtureProvider<T> implements PluginProvider<T> {

    private final Class<T> kind;
    private final String name;
    private final Function<Arguments, T> factory;

    public FixtureProvider(Class<T> kind, String name, Function<Arguments, T> factory) {
        this.kind = kind;
        this.name = name;
        this.factory = factory;
    }

    @Override
    public Class<T> kind() {
        return kind;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public T create(Arguments arguments) {
        return factory.apply(arguments);
    }
}
