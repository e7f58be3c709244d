package org.nas4j.spaces.nasbench101;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Counts the unique cells of the NAS-Bench-101 space by their graph hash, as the benchmark's
 * {@code generate_graphs.py} does: for every vertex count from 2 to {@code maxVertices}, every upper-triangular
 * adjacency matrix with at most {@code maxEdges} edges whose every vertex lies on an input-output path (no
 * pruning needed), every labelling of the interior vertices with the three ops, hashed; with the benchmark's
 * limits (7 vertices, 9 edges) this gives 423,624 unique graphs.
 *
 * <p>{@link #count} hashes one labelled graph per isomorphism class: it keeps one adjacency matrix per class of
 * unlabelled graphs (the smallest code over the permutations of the interior vertices) and, for it, the
 * labellings that are smallest among their images under the matrix's automorphisms; the number of distinct
 * hashes of those is the number of unique graphs, and it equals the number of classes only if the hash has
 * no collision. {@link #countExhaustive} hashes every labelled graph as the benchmark's script does (about
 * three times the work), which also checks that isomorphic graphs share their hash. Hashing is shared out
 * among {@code threads} workers, each with its own hasher and set of hashes.
 *
 * <pre>{@code
 * NasBench101Enumeration.Counts c = NasBench101Enumeration.count(7, 9, 2);
 * c.total();   // 423624
 * }</pre>
 */
public final class NasBench101Enumeration {
    private static final int CHUNK = 1 << 14;

    /**
     * The result of an enumeration.
     *
     * @param uniqueByVertices entry {@code i}: graphs with {@code i + 2} vertices whose hash no graph with fewer
     *                         vertices has
     * @param labelled         labelled graphs in the enumeration (before de-duplication)
     * @param hashed           labelled graphs hashed
     * @param total            unique graphs (distinct hashes) over all vertex counts
     */
    public record Counts(List<Integer> uniqueByVertices, long labelled, long hashed, int total) {
        public Counts {
            uniqueByVertices = List.copyOf(uniqueByVertices);
        }
    }

    private NasBench101Enumeration() {
    }

    /**
     * Counts by hashing one labelled graph per isomorphism class.
     *
     * @param maxVertices most vertices, input and output included, in [2, 7]
     * @param maxEdges    most edges, at least 1
     * @param threads     worker threads, at least 1
     * @throws IllegalArgumentException naming the parameter out of range
     */
    public static Counts count(int maxVertices, int maxEdges, int threads) {
        return run(maxVertices, maxEdges, threads, false);
    }

    /**
     * Counts by hashing every labelled graph, as the benchmark's {@code generate_graphs.py} does.
     *
     * @param maxVertices most vertices, input and output included, in [2, 7]
     * @param maxEdges    most edges, at least 1
     * @param threads     worker threads, at least 1
     * @throws IllegalArgumentException naming the parameter out of range
     */
    public static Counts countExhaustive(int maxVertices, int maxEdges, int threads) {
        return run(maxVertices, maxEdges, threads, true);
    }

    private static Counts run(int maxVertices, int maxEdges, int threads, boolean exhaustive) {
        if (maxVertices < 2 || maxVertices > 7) {
            throw new IllegalArgumentException("maxVertices must be in [2, 7], but was " + maxVertices);
        }
        if (maxEdges < 1) {
            throw new IllegalArgumentException("maxEdges must be >= 1, but was " + maxEdges);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nb101-enumeration");
            t.setDaemon(true);
            return t;
        });
        try {
            Hash128Set all = new Hash128Set(1 << 19);
            List<Integer> unique = new ArrayList<>();
            long labelled = 0;
            long hashed = 0;
            for (int v = 2; v <= maxVertices; v++) {
                int vertices = v;
                List<Future<Partial>> parts = new ArrayList<>();
                if (exhaustive) {
                    long matrices = 1L << (v * (v - 1) / 2);
                    for (long start = 0; start < matrices; start += CHUNK) {
                        long from = start;
                        long to = Math.min(matrices, start + CHUNK);
                        parts.add(pool.submit(() -> enumerate(vertices, maxEdges, from, to)));
                    }
                } else {
                    DagClasses classes = DagClasses.of(v, maxEdges);
                    List<DagClasses.Representative> reps = classes.representatives();
                    labelled += classes.fullDags() * labellings(v);
                    int chunk = Math.max(1, reps.size() / (8 * threads));
                    for (int start = 0; start < reps.size(); start += chunk) {
                        List<DagClasses.Representative> slice =
                                reps.subList(start, Math.min(reps.size(), start + chunk));
                        parts.add(pool.submit(() -> hashClasses(vertices, slice)));
                    }
                }
                int added = 0;
                for (Future<Partial> f : parts) {
                    Partial p = f.get();
                    if (exhaustive) {
                        labelled += p.hashed;
                    }
                    hashed += p.hashed;
                    added += all.addAll(p.hashes);
                }
                unique.add(added);
            }
            return new Counts(unique, labelled, hashed, all.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("enumeration interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("enumeration failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private record Partial(Hash128Set hashes, long hashed) {
    }

    private static int labellings(int n) {
        int l = 1;
        for (int i = 0; i < n - 2; i++) {
            l *= NasBench101Ops.OPERATIONS.size();
        }
        return l;
    }

    /** Hashes, for each representative matrix, the labellings that are canonical under its automorphisms. */
    private static Partial hashClasses(int n, List<DagClasses.Representative> reps) {
        GraphHasher hasher = new GraphHasher();
        Hash128Set hashes = new Hash128Set(1024);
        int[] labels = new int[n];
        int[] ops = new int[n];
        labels[0] = NasBench101Ops.INPUT_LABEL;
        labels[n - 1] = NasBench101Ops.OUTPUT_LABEL;
        int count = labellings(n);
        long hashed = 0;
        for (DagClasses.Representative r : reps) {
            for (int code = 0; code < count; code++) {
                decode(code, n, ops);
                if (!r.isCanonicalLabelling(ops, code)) {
                    continue;
                }
                for (int v = 1; v < n - 1; v++) {
                    labels[v] = ops[v];
                }
                hasher.hash(n, r.successors(), r.predecessors(), labels);
                hashes.add(hasher.hi(), hasher.lo());
                hashed++;
            }
        }
        return new Partial(hashes, hashed);
    }

    /** Interior op indices of labelling {@code code}: vertex v gets digit v - 1 of the code in base 3. */
    static void decode(int code, int n, int[] ops) {
        int c = code;
        for (int v = 1; v < n - 1; v++) {
            ops[v] = c % 3;
            c /= 3;
        }
    }

    /** Hashes every labelling of the full DAGs among matrices {@code [from, to)} of {@code n} vertices. */
    private static Partial enumerate(int n, int maxEdges, long from, long to) {
        GraphHasher hasher = new GraphHasher();
        Hash128Set hashes = new Hash128Set(1024);
        int[] succ = new int[n];
        int[] pred = new int[n];
        int[] labels = new int[n];
        labels[0] = NasBench101Ops.INPUT_LABEL;
        labels[n - 1] = NasBench101Ops.OUTPUT_LABEL;
        int interior = n - 2;
        int labellings = labellings(n);
        long labelled = 0;
        for (long bits = from; bits < to; bits++) {
            if (Long.bitCount(bits) > maxEdges || !DagClasses.toMatrix(n, bits, succ, pred)) {
                continue;
            }
            for (int code = 0; code < labellings; code++) {
                int c = code;
                for (int v = 1; v <= interior; v++) {
                    labels[v] = c % 3;
                    c /= 3;
                }
                hasher.hash(n, succ, pred, labels);
                hashes.add(hasher.hi(), hasher.lo());
                labelled++;
            }
        }
        return new Partial(hashes, labelled);
    }
}
