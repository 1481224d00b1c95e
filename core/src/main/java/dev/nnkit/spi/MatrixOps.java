package dev.nnkit.spi;

import org.ejml.data.DMatrixRMaj;

/**
 * The matrix products of forward and backward propagation on EJML's row-major matrices, computed
 * by the {@link ComputeBackend} chosen for this JVM (e.g. the bundled OpenBLAS, a system BLAS, the
 * Vector API, or EJML). Layers get it from {@link StepContext#ops()}; backends implement it.
 * Outputs are reshaped, never reallocated when their capacity suffices; no output may be the same
 * object as an input.
 */
public interface MatrixOps {

    /** What computes the products, e.g. {@code openblas (OpenBLAS 0.3.31 bundled ...)} or {@code ejml (...)}. */
    String name();

    /** {@code c = a b}; {@code a} is (M, K), {@code b} is (K, N), {@code c} becomes (M, N). Modified: {@code c}. */
    void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

    /** {@code c = a^T b}; {@code a} is (K, M), {@code b} is (K, N), {@code c} becomes (M, N). Modified: {@code c}. */
    void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

    /** {@code c = alpha a b^T}; {@code a} is (M, K), {@code b} is (N, K), {@code c} becomes (M, N). Modified: {@code c}. */
    void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);
}
