package dev.nnkit.examples;

import dev.nnkit.CostLogger;
import dev.nnkit.Dataset;
import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.Trainer;
import dev.nnkit.TrainingHistory;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The flagship example: the notes' flower data, first as logistic regression (a network with no
 * hidden layer), then with one hidden layer; every plugin is chosen by name from the options.
 */
@Command(name = "planar", aliases = "flower", mixinStandardHelpOptions = true,
        description = {"Classifies the 2-D 'flower' data of the lecture notes (m = 400): logistic regression "
                + "(no hidden layer) against a network with one hidden layer.",
                "Plugins are chosen by name: try --init he_normal, --activation relu, --reg l2(lambda=0.5)."})
final class PlanarCommand implements Callable<Integer> {

    @Option(names = "--hidden", defaultValue = "4", description = "Units in the hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--activation", defaultValue = "tanh",
            description = "Activation of the hidden layer, a spec string (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--init", defaultValue = "small_random(scale=0.01)",
            description = "Weight initializer, a spec string (default: ${DEFAULT-VALUE}, the notes' 0.01 * randn).")
    String initializer;

    @Option(names = "--reg", description = "A regularizer spec, e.g. l2(lambda=0.5) or dropout(keep_prob=0.9); repeatable.")
    List<String> regularizers = List.of();

    @Option(names = "--optimizer", defaultValue = "sgd(learning_rate=1.2)",
            description = "Optimizer spec with its learning rate (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--iterations", defaultValue = "10000",
            description = "Full-batch gradient descent iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data, the initialization and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--log-every", defaultValue = "1000", description = "Log the cost every N iterations (default: ${DEFAULT-VALUE}).")
    long logEvery;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Dataset data = PlanarData.flower(200, seed);
        out.printf(Locale.ROOT, "flower data: m = %d points, 2 classes; %d iterations of %s; init %s%s%n%n", data.size(),
                iterations, optimizer, initializer, regularizers.isEmpty() ? "" : "; regularizers " + regularizers);
        Result logistic = train(data, 0);
        Result shallow = train(data, hidden);
        out.printf(Locale.ROOT, "%-44s %9s %11s%n", "model", "accuracy", "final cost");
        for (Result r : List.of(logistic, shallow)) {
            out.printf(Locale.ROOT, "%-44s %8.2f%% %11.6f%n", r.description, 100 * r.accuracy, r.finalCost);
        }
        return 0;
    }

    /** Trains one model: logistic regression when {@code hiddenUnits == 0}. */
    Result train(Dataset data, int hiddenUnits) {
        Network.Builder builder = Network.builder(2)
                .activation(activation)
                .initializer(initializer)
                .regularizers(regularizers.toArray(String[]::new))
                .loss("binary_cross_entropy")
                .seed(seed);
        if (hiddenUnits > 0) {
            builder.dense(hiddenUnits);
        }
        Network network = builder.dense(1, "sigmoid").build();
        Trainer trainer = new Trainer(Hyperparameters.defaults().withOptimizer(optimizer).withEpochs(iterations).withSeed(seed));
        if (logEvery > 0) {
            trainer.listener(new CostLogger(logEvery));
        }
        TrainingHistory history = trainer.fit(network, data);
        String description = hiddenUnits == 0 ? "logistic regression " + network
                : "one hidden layer " + network;
        return new Result(description.replace(", binary_cross_entropy", ""), network.accuracy(data), history.finalCost());
    }

    /** What one model reached. */
    record Result(String description, double accuracy, double finalCost) {
    }
}
