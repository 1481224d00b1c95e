package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FastPathLauncherTest {

    @Test
    void aChildIsWorthStartingOnlyWhenTheModuleExistsIsNotLoadedAndNothingIsForced() {
        assertTrue(FastPathLauncher.worthTrying(false, true, "auto", true));
        assertTrue(FastPathLauncher.worthTrying(false, true, " AUTO ", true));
        assertFalse(FastPathLauncher.worthTrying(true, true, "auto", true), "already loaded");
        assertFalse(FastPathLauncher.worthTrying(false, false, "auto", true), "a JDK without the module");
        assertFalse(FastPathLauncher.worthTrying(false, true, "ejml", true), "the user chose a path");
        assertFalse(FastPathLauncher.worthTrying(false, true, "blas", true), "the user chose a path");
        assertFalse(FastPathLauncher.worthTrying(false, true, "auto", false), "the child itself, or turned off");
    }

    @Test
    void optionsThatTakeAPortOrAFileKeepTheCommandInThisJvm() {
        assertFalse(FastPathLauncher.attachesSomething(List.of("-Xmx2g", "-Dfoo=1", "-XX:+UseG1GC")));
        for (String option : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-agentpath:/x.so",
                "-javaagent:a.jar", "-Xrunjdwp:transport=dt_socket", "-Dcom.sun.management.jmxremote.port=5057",
                "-XX:StartFlightRecording=filename=a.jfr")) {
            assertTrue(FastPathLauncher.attachesSomething(List.of("-Xmx1g", option)), option);
        }
    }

    @Test
    void theChildKeepsTheJvmOptionsClassPathAndArgumentsAndAddsTheModule() {
        List<String> command = FastPathLauncher.command(Path.of("/opt/jdk"), List.of("-Xmx2g", "-Dx=1"),
                "a.jar:lib/b.jar", "dev.nnkit.examples.Main", new String[] {"planar", "--hidden", "5"});
        assertEquals(List.of(Path.of("/opt/jdk", "bin", "java").toString(), "-Xmx2g", "-Dx=1", "--add-modules",
                "jdk.incubator.vector", "-Dnnkit.relaunch=false", "-cp", "a.jar:lib/b.jar", "dev.nnkit.examples.Main",
                "planar", "--hidden", "5"), command);
    }

    /** Runs {@code Main --version} in a new JVM with netlib's native library lookup pointed at nothing. */
    private static String versionWithoutNativeBlas(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Ddev.ludovic.netlib.blas.nativeLib=nnkit-no-native-blas.so");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "--version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    @Test
    void withoutANativeBlasTheExamplesRunOnTheVectorApi() throws IOException, InterruptedException {
        String relaunched = versionWithoutNativeBlas();
        assertTrue(relaunched.contains("matrix products: blas (VectorBLAS)"), relaunched);
        String stayed = versionWithoutNativeBlas("-Dnnkit.relaunch=false");
        assertTrue(stayed.contains("matrix products: ejml"), stayed);
    }
}
