package org.nas4j.estimators.engine.optim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters that have a gradient, grouped into maximal contiguous ranges of the flat buffers, so that an
 * update runs one native call per range instead of one per parameter. Also caches the range views of any flat
 * buffer of the set's length (values, gradients, optimizer state).
 */
final class Segments {

    /** One contiguous range of parameters with a gradient, all with the same group key. */
    record Segment(long offset, long length, List<Integer> members, long key) {
    }

    private record ViewKey(INDArray flat, long offset, long length) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ViewKey k && k.flat == flat && k.offset == offset && k.length == length;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(flat) * 31 + Long.hashCode(offset * 1_000_003L + length);
        }
    }

    private final ParameterSet params;
    private final Map<ViewKey, INDArray> views = new HashMap<>();

    Segments(ParameterSet params) {
        this.params = params;
    }

    /**
     * The ranges of parameters with a gradient; two neighbours share a range only if {@code key} gives them the
     * same value (e.g. Adam's per-parameter step count).
     */
    List<Segment> withGradient(ToLongFunction<Integer> key) {
        List<Segment> out = new ArrayList<>();
        List<Parameter> all = params.parameters();
        long start = -1;
        long end = -1;
        long currentKey = 0;
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Parameter p = all.get(i);
            if (!p.hasGradient()) {
                continue;
            }
            long k = key.applyAsLong(i);
            if (start >= 0 && p.offset() == end && k == currentKey) {
                end += p.length();
                members.add(i);
                continue;
            }
            if (start >= 0) {
                out.add(new Segment(start, end - start, members, currentKey));
            }
            start = p.offset();
            end = start + p.length();
            currentKey = k;
            members = new ArrayList<>();
            members.add(i);
        }
        if (start >= 0) {
            out.add(new Segment(start, end - start, members, currentKey));
        }
        return out;
    }

    /** The view of {@code flat} for a segment (cached). */
    INDArray view(INDArray flat, Segment s) {
        return views.computeIfAbsent(new ViewKey(flat, s.offset(), s.length()),
                k -> ParameterSet.range(flat, k.offset(), k.length()));
    }

    void clearMarks() {
        for (Parameter p : params.parameters()) {
            p.clearGradient();
        }
    }
}
