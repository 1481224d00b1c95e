package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import java.util.function.Function;

/** A provider for a test fixture: a kind, a name and a factory (public for the checker's tests in the parent package). */
public class FixtureProvider<T> extends NamedProvider<T> {

    private final Function<Arguments, T> factory;

    public FixtureProvider(Class<T> kind, String name, Function<Arguments, T> factory) {
        super(kind, name);
        this.factory = factory;
    }

    @Override
    public T create(Arguments arguments) {
        return factory.apply(arguments);
    }
}
