package org.nas4j.estimators.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees, when it closes, the native memory of the long-lived arrays that the engine allocated on this thread while
 * it was open: layer buffers, parameters and gradients, optimizer state, data batches. Without it that memory goes
 * back only when the garbage collector finds the small Java objects that hold it, which on a large heap may be
 * never: a search of 150 small trials grew to 16 GiB of resident memory with the JVM's default heap (see
 * docs/reliability.md, "Memory").
 *
 * <pre>{@code
 * try (MemoryScope scope = MemoryScope.open()) {
 *     TrainableNetwork net = factory.build(architecture, seed);
 *     ... train and score net; nothing allocated here may be used after the scope closes ...
 * }
 * }</pre>
 *
 * Scopes nest: an inner scope frees only its own arrays. Arrays allocated outside any scope are left to the
 * garbage collector, as before (a network returned to the caller, e.g. for export, must be built outside one).
 * Not thread-safe: a scope belongs to the thread that opened it.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope outer;
    private final Thread owner;
    private final List<INDArray> arrays = new ArrayList<>();
    private boolean closed;

    private MemoryScope(MemoryScope outer) {
        this.outer = outer;
        this.owner = Thread.currentThread();
    }

    /** Opens a scope on the calling thread; arrays the engine allocates on it from now on belong to the scope. */
    public static MemoryScope open() {
        MemoryScope scope = new MemoryScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /**
     * Registers {@code array} with the calling thread's open scope, if any, and returns it. For arrays the engine
     * allocates to keep (buffers, parameters, optimizer state), not for views or temporaries.
     */
    public static INDArray track(INDArray array) {
        MemoryScope scope = CURRENT.get();
        if (scope != null) {
            scope.arrays.add(array);
        }
        return array;
    }

    /** Arrays registered with this scope so far. */
    public int trackedArrays() {
        return arrays.size();
    }

    /** Frees every array registered with this scope and makes the enclosing scope (if any) current again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a memory scope must be closed by the thread that opened it ("
                    + owner.getName() + "), but was closed by " + Thread.currentThread().getName());
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("memory scopes must be closed innermost first");
        }
        closed = true;
        CURRENT.set(outer);
        if (outer == null) {
            CURRENT.remove();
        }
        for (INDArray a : arrays) {
            if (!a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
        arrays.clear();
    }
}
