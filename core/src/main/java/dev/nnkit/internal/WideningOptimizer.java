package dev.nnkit.internal;

import dev.nnkit.spi.FloatOptimizer;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The float update of an optimizer that has only a double one: each step the float values and
 * gradients are widened (exactly) into double mirrors, the double update runs (its state stays
 * double), and the values are rounded back to float; four passes over the parameters per step.
 * The mirrors are made at the first step and reused while the same list of parameters is given,
 * so a warm step allocates nothing. One network's optimizer: not for concurrent steps.
 */
public final class WideningOptimizer implements FloatOptimizer {

    private final Optimizer doubles;
    private List<FloatParameter> mirrored;
    private List<Parameter> mirrors;

    private WideningOptimizer(Optimizer doubles) {
        this.doubles = doubles;
    }

    /** {@code optimizer}'s own float update when it has one, else this adapter around its double one. */
    public static FloatOptimizer of(Optimizer optimizer) {
        return optimizer instanceof FloatOptimizer f ? f : new WideningOptimizer(optimizer);
    }

    @Override
    public void floatUpdate(List<FloatParameter> parameters, long step, double learningRate) {
        if (parameters != mirrored) {
            mirrors = new ArrayList<>(parameters.size());
            for (FloatParameter p : parameters) {
                mirrors.add(new Parameter(p.name(), p.role(), new DMatrixRMaj(p.value().numRows, p.value().numCols),
                        new DMatrixRMaj(p.value().numRows, p.value().numCols)));
            }
            mirrored = parameters;
        }
        for (int idx = 0; idx < parameters.size(); idx++) {
            FloatParameter p = parameters.get(idx);
            Parameter d = mirrors.get(idx);
            WideningProducts.widen(p.value(), d.value());
            WideningProducts.widen(p.gradient(), d.gradient());
        }
        doubles.update(mirrors, step, learningRate);
        for (int idx = 0; idx < parameters.size(); idx++) {
            FMatrixRMaj value = parameters.get(idx).value();
            WideningProducts.narrow(mirrors.get(idx).value(), value);
        }
    }

    @Override
    public String toString() {
        return doubles.toString();
    }
}
