package dev.nnkit;

import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Parameter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link ModelFileCrashTest}: saves one model file over and over, version
 * after version, announcing each save on standard output ({@code saving i}, {@code saved i}), until
 * it is killed. Version {@code i} has every parameter value {@code i * 1000 + k} for its index
 * {@code k} in the concatenation of the parameters, so a loaded file is provably one whole version.
 *
 * <p>Arguments: the file, and the first version to write.
 */
public final class ModelFileSaveLoop {

    private ModelFileSaveLoop() {
    }

    /** A network of about 85,000 parameters (a 680 kB file), so that a save takes a while. */
    static Network network() {
        return Network.builder(64).activation("sigmoid").initializer("test_gaussian(std=0.1)")
                .dense(256).dense(256).dense(10).loss("mean_squared_error").seed(1).build();
    }

    /** Sets every parameter of the network to version {@code version}. */
    static void setVersion(Network net, long version) {
        long k = 0;
        for (Parameter p : net.parameters()) {
            double[] d = p.value().data;
            for (int i = 0; i < p.value().getNumElements(); i++) {
                d[i] = version * 1000.0 + k++;
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long version = Long.parseLong(args[1]);
        Network net = network();
        PrintStream out = System.out;
        while (true) {
            setVersion(net, version);
            out.println("saving " + version);
            out.flush();
            ModelFile.save(net, file);
            out.println("saved " + version);
            out.flush();
            version++;
        }
    }
}
