package dev.nnkit.io;

import dev.nnkit.ModelFixtures;
import java.io.IOException;

/** Model files in memory, for the tests of other packages. */
public final class ModelFileFixtures {

    private ModelFileFixtures() {
    }

    /** Reads a model file from memory, as {@link ModelFile#load} reads one from disk. */
    public static ModelFile.Contents read(byte[] file) throws IOException {
        return ModelFile.read(new ModelFixtures.BytesChannel(file), "model.nnkit", ModelFixtures.registry());
    }
}
