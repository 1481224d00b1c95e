package dev.nnkit;

/** The golden files' networks for tests in other packages. */
public final class GoldenFilesAccess {

    private GoldenFilesAccess() {
    }

    /** The network of {@code golden-v3.nnkit}. */
    public static Network version3Network() {
        return GoldenFiles.version3Network();
    }
}
