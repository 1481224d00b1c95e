package dev.nnkit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * An example command that prints its tables and writes its pictures: picocli calls {@link #call()},
 * which runs it on standard output; the tests call {@link #run} with a stream of their own and read
 * what it returns.
 */
interface ExampleCommand extends Callable<Integer> {

    /** Runs the example, printing to {@code console}; returns what it produced. */
    Object run(PrintStream console) throws IOException;

    /** Runs the example on standard output; 0 once it has finished. */
    @Override
    default Integer call() throws IOException {
        run(System.out);
        return 0;
    }
}
