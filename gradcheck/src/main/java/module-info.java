/**
 * nnkit gradcheck: the gradient checker of whole networks ({@code dev.nnkit.gradcheck}) and the
 * plugin conformance kit ({@code dev.nnkit.gradcheck.kit}) for plugin authors' JUnit 5 tests.
 */
module dev.nnkit.gradcheck {
    requires transitive dev.nnkit.core;
    requires static transitive org.junit.jupiter.api;
    // com.sun.management.ThreadMXBean: the layer kit's allocation check
    requires jdk.management;

    exports dev.nnkit.gradcheck;
    exports dev.nnkit.gradcheck.kit;
}
