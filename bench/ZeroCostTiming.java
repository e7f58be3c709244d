import java.util.SplittableRandom;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.zerocost.ZeroCostEstimator;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * Seconds per cell of each named proxy alone: NAS-Bench-201 C=8, one cell per stage, 28x28, batch 64, 8 random
 * cells after one warm-up (docs/estimators/zero-cost.md, Cost).
 * Run: {@code java -cp <classpath> bench/ZeroCostTiming.java snip fisher}.
 */
public class ZeroCostTiming {
    public static void main(String[] args) {
        ComposedSpace space = NasBench201Definition.of(NasBench201Space.builder().channels(8).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build());
        for (String proxy : args) {
            ZeroCostEstimator e = ZeroCostEstimator.builder(FashionMnist.bundled()).proxies(proxy).build();
            SplittableRandom rng = new SplittableRandom(1);
            e.scores(space.sample(rng), 0);
            long start = System.nanoTime();
            double last = 0;
            for (int i = 0; i < 8; i++) {
                last = e.scores(space.sample(rng), i + 1).values().iterator().next();
            }
            System.out.printf("TIMING proxy=%s seconds_per_cell=%.3f last=%.6g%n", proxy,
                    (System.nanoTime() - start) / 1e9 / 8, last);
        }
    }
}
