package dev.nnkit.examples;

import dev.nnkit.Compute;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Gives the example applications a fast matrix-product path on machines without a native BLAS.
 * {@code java -jar} cannot add a JDK module, so when netlib found no native library and the
 * Vector API module ({@value #MODULE}) is present in the JDK but not loaded, {@code main} runs the
 * same command again in a child JVM with {@code --add-modules jdk.incubator.vector} (and the same
 * JVM options, class path and arguments) and exits with the child's status; the child stops when
 * the parent is stopped. The child prints the JDK's one-line incubator warning.
 * {@code -Dnnkit.relaunch=false} (set in the child), {@code -Dnnkit.compute=ejml|blas}, or a
 * debugger, agent, JMX or flight-recording option (which the child would repeat) turns this off.
 */
final class FastPathLauncher {

    static final String MODULE = "jdk.incubator.vector";

    private FastPathLauncher() {
    }

    /**
     * Runs the child JVM when it would be faster and returns its exit status; empty when this JVM
     * should run the command itself.
     */
    static OptionalInt relaunchIfUseful(String mainClass, String[] args) {
        boolean loaded = ModuleLayer.boot().findModule(MODULE).isPresent();
        boolean inJdk = ModuleFinder.ofSystem().find(MODULE).isPresent();
        String setting = System.getProperty("nnkit.compute", "auto");
        boolean allowed = Boolean.parseBoolean(System.getProperty("nnkit.relaunch", "true"));
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        // Compute.path() loads the BLAS, so it is asked last, only when everything else says yes
        if (!worthTrying(loaded, inJdk, setting, allowed) || attachesSomething(jvmOptions) || Compute.isNative()) {
            return OptionalInt.empty();
        }
        ProcessBuilder child = new ProcessBuilder(command(Path.of(System.getProperty("java.home")), jvmOptions,
                System.getProperty("java.class.path"), mainClass, args)).inheritIO();
        // their options are among jvmOptions already; inherited, the child would apply them twice
        child.environment().remove("JAVA_TOOL_OPTIONS");
        child.environment().remove("JDK_JAVA_OPTIONS");
        Process process;
        try {
            process = child.start();
        } catch (IOException e) {
            return OptionalInt.empty(); // no child JVM: run here, on the path this JVM has
        }
        Thread stopChild = new Thread(process::destroy, "nnkit-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild); // a killed parent takes the child with it
        try {
            return OptionalInt.of(process.waitFor());
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            return OptionalInt.of(130);
        }
    }

    /**
     * Whether the JVM options attach a debugger, an agent, JMX or a flight recording: a second JVM
     * with the same options would try to take the same port or file, so the command runs here.
     */
    static boolean attachesSomething(List<String> jvmOptions) {
        for (String option : jvmOptions) {
            if (option.startsWith("-agentlib") || option.startsWith("-agentpath") || option.startsWith("-javaagent")
                    || option.startsWith("-Xrunjdwp") || option.startsWith("-Xdebug")
                    || option.startsWith("-Dcom.sun.management.") || option.startsWith("-XX:StartFlightRecording")
                    || option.startsWith("-XX:+StartFlightRecording")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a child JVM with the Vector API could be faster than this one, apart from the native BLAS. */
    static boolean worthTrying(boolean moduleLoaded, boolean moduleInJdk, String computeSetting, boolean allowed) {
        return allowed && !moduleLoaded && moduleInJdk && computeSetting.trim().equalsIgnoreCase("auto");
    }

    /** The child's command line: the same java, JVM options, class path, main class and arguments, plus the module. */
    static List<String> command(Path javaHome, List<String> jvmOptions, String classPath, String mainClass, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmOptions);
        command.add("--add-modules");
        command.add(MODULE);
        command.add("-Dnnkit.relaunch=false");
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
