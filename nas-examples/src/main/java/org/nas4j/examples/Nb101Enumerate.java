package org.nas4j.examples;

import java.util.List;
import org.nas4j.spaces.nasbench101.NasBench101Enumeration;

/**
 * Enumerates the NAS-Bench-101 space and counts its unique cells by graph hash (423,624 with the benchmark's
 * limits). Arguments: {@code [threads] [exhaustive]} (default: available processors; {@code exhaustive} hashes
 * every labelled graph as the benchmark's script does instead of one per isomorphism class).
 *
 * <pre>
 * mvn -B -o -q -pl nas-examples -am install -DskipTests
 * java -cp nas-examples/target/classes:nas-spaces/target/classes:nas-core/target/classes \
 *     org.nas4j.examples.Nb101Enumerate 2
 * </pre>
 */
public final class Nb101Enumerate {
    private Nb101Enumerate() {
    }

    /** Prints {@code vertices=<v> unique=<n>} per vertex count, then {@code total=<n> seconds=<s>}. */
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        long start = System.nanoTime();
        boolean exhaustive = args.length > 1 && args[1].equals("exhaustive");
        NasBench101Enumeration.Counts counts = exhaustive
                ? NasBench101Enumeration.countExhaustive(7, 9, threads)
                : NasBench101Enumeration.count(7, 9, threads);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Integer> unique = counts.uniqueByVertices();
        for (int i = 0; i < unique.size(); i++) {
            System.out.println("vertices=" + (i + 2) + " unique=" + unique.get(i));
        }
        System.out.printf("total=%d seconds=%.2f%n", counts.total(), seconds);
    }
}
