package dev.nnkit.spi;

import org.ejml.data.FMatrixRMaj;

/**
 * The single-precision products: a capability that a backend's {@link MatrixOps} implements when
 * its library multiplies float matrices natively (BLAS {@code sgemm}), detected by core with {@code instanceof}. The same three products as
 * {@link MatrixOps}, on EJML's row-major {@link FMatrixRMaj}; the same rules: outputs are reshaped,
 * never reallocated when their capacity suffices; no output may be the same object as an input;
 * deterministic for a given shape and thread count; nothing allocated on the Java heap per call.
 *
 * <p><b>Why a capability and not a second abstract method set.</b> Float32 training (opt-in per
 * network; fp64 stays the default and is what the gradient checker uses) needs float products on
 * every backend, but a backend author must not be forced to write two kernels. A backend whose
 * ops do not implement this interface still works in a float32 network: core widens the float
 * operands into per-thread double scratch matrices, calls the backend's double product and rounds
 * the result back to float. Its cost, stated so a backend author can judge it: three conversion
 * passes over {@code M K + K N + M N} numbers per product (negligible next to the {@code M N K}
 * multiply-adds of the products worth sending to a backend, which start at 2^14 multiply-adds),
 * twice the memory traffic of a float kernel, and double-precision speed instead of float's. The
 * result is at least as accurate as a float kernel's (it is the exactly rounded double product of
 * the float operands, rounded once to float). Products under 2^14 multiply-adds never reach a
 * backend: core computes them with its own pure-Java float kernels, as it does doubles with EJML.
 *
 * <p><b>Accuracy.</b> With unit roundoff {@code u = 2^-24} and an inner dimension {@code K}, a
 * float product computed by any summation order satisfies, entry by entry,
 * {@code |C - C_exact| <= gamma_K |A| |B|} where {@code gamma_K = K u / (1 - K u)} (Higham,
 * <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., §3.5); for K = 784 that is about
 * 4.7e-5 relative to {@code |A| |B|}. Backends are tested against this bound, not against each
 * other's bits: different backends sum in different orders.
 */
public interface FloatMatrixOps {

    /** {@code c = a b}; {@code a} is (M, K), {@code b} is (K, N), {@code c} becomes (M, N). Modified: {@code c}. */
    void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** {@code c = a^T b}; {@code a} is (K, M), {@code b} is (K, N), {@code c} becomes (M, N). Modified: {@code c}. */
    void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** {@code c = alpha a b^T}; {@code a} is (M, K), {@code b} is (N, K), {@code c} becomes (M, N). Modified: {@code c}. */
    void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);
}
