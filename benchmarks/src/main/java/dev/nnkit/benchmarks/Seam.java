package dev.nnkit.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * Reflective access to core's compute seam {@code dev.nnkit.internal.MatrixProducts}, which is not
 * public API: the GEMM benchmarks measure exactly the code the dense layer runs, and the harness
 * reports which path the network uses. Works on the class path only (the shaded benchmarks jar).
 * If core's seam changes shape, this fails with a message naming what it looked for.
 */
public final class Seam {

    private static final String CLASS = "dev.nnkit.internal.MatrixProducts";

    private final Object impl;
    private final String name;
    private final MethodHandle mult;
    private final MethodHandle multTransA;
    private final MethodHandle multTransB;
    private final MethodHandle multF;
    private final MethodHandle multTransAF;
    private final MethodHandle multTransBF;

    private Seam(Object impl) throws ReflectiveOperationException {
        Class<?> type = Class.forName(CLASS);
        this.impl = impl;
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Method nameMethod = accessible(type.getMethod("name"));
        this.name = (String) nameMethod.invoke(impl);
        MethodType three = MethodType.methodType(void.class, Object.class, DMatrixRMaj.class, DMatrixRMaj.class,
                DMatrixRMaj.class);
        this.mult = lookup.unreflect(accessible(type.getMethod("mult", DMatrixRMaj.class, DMatrixRMaj.class,
                DMatrixRMaj.class))).asType(three);
        this.multTransA = lookup.unreflect(accessible(type.getMethod("multTransA", DMatrixRMaj.class,
                DMatrixRMaj.class, DMatrixRMaj.class))).asType(three);
        this.multTransB = lookup.unreflect(accessible(type.getMethod("multTransB", double.class, DMatrixRMaj.class,
                DMatrixRMaj.class, DMatrixRMaj.class))).asType(MethodType.methodType(void.class, Object.class,
                double.class, DMatrixRMaj.class, DMatrixRMaj.class, DMatrixRMaj.class));
        MethodType threeF = MethodType.methodType(void.class, Object.class, FMatrixRMaj.class, FMatrixRMaj.class,
                FMatrixRMaj.class);
        this.multF = lookup.unreflect(accessible(type.getMethod("mult", FMatrixRMaj.class, FMatrixRMaj.class,
                FMatrixRMaj.class))).asType(threeF);
        this.multTransAF = lookup.unreflect(accessible(type.getMethod("multTransA", FMatrixRMaj.class,
                FMatrixRMaj.class, FMatrixRMaj.class))).asType(threeF);
        this.multTransBF = lookup.unreflect(accessible(type.getMethod("multTransB", float.class, FMatrixRMaj.class,
                FMatrixRMaj.class, FMatrixRMaj.class))).asType(MethodType.methodType(void.class, Object.class,
                float.class, FMatrixRMaj.class, FMatrixRMaj.class, FMatrixRMaj.class));
    }

    /** A fresh implementation for {@code setting} ({@code auto}, {@code blas}, {@code ejml}), as core would choose it. */
    public static Seam choose(String setting) {
        try {
            Method choose = accessible(Class.forName(CLASS).getDeclaredMethod("choose", String.class));
            return new Seam(choose.invoke(null, setting));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach core's compute seam " + CLASS + ".choose(String): " + e, e);
        }
    }

    /** The implementation the network of this JVM uses ({@code MatrixProducts.get()}). */
    public static Seam current() {
        try {
            Method get = accessible(Class.forName(CLASS).getMethod("get"));
            return new Seam(get.invoke(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach core's compute seam " + CLASS + ".get(): " + e, e);
        }
    }

    /** The name of the path in use, or {@code unknown} when the seam cannot be reached. */
    public static String currentName() {
        try {
            return current().name();
        } catch (IllegalStateException e) {
            return "unknown";
        }
    }

    private static Method accessible(Method m) {
        m.setAccessible(true);
        return m;
    }

    /** The implementation's name, e.g. {@code blas (JNIBLAS)} or {@code ejml}. */
    public String name() {
        return name;
    }

    /** {@code c = a b}. */
    public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        try {
            mult.invokeExact(impl, a, b, c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code c = a^T b}. */
    public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        try {
            multTransA.invokeExact(impl, a, b, c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code c = alpha a b^T}. */
    public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        try {
            multTransB.invokeExact(impl, alpha, a, b, c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code c = a b} in float. */
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        try {
            multF.invokeExact(impl, a, b, c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code c = a^T b} in float. */
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        try {
            multTransAF.invokeExact(impl, a, b, c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code c = alpha a b^T} in float. */
    public void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        try {
            multTransBF.invokeExact(impl, alpha, a, b, c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
