package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.CellOutput;
import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;

/**
 * The NASNet / DARTS / PNAS cell spaces written with the {@link SpaceBuilder}, with the DARTS reference's CIFAR
 * network around the cells ({@code NetworkCIFAR}: stem 3x3 convolution to 3C and BN; {@code layers} cells, the
 * cells at {@code layers/3} and {@code 2*layers/3} reducing and doubling C; each cell's inputs preprocessed from the
 * two previous cells; optionally the auxiliary head after cell {@code 2*layers/3}; global pooling and a linear
 * classifier). Counts agree with {@link DartsCostModel}.
 *
 * <pre>{@code
 * ComposedSpace darts = DartsDefinition.cifar(DartsSpace.darts(), 36, 20, false).build();
 * darts.parameters(DartsDefinition.architecture(darts, Genotypes.DARTS_V2));   // 3,349,342
 * }</pre>
 */
public final class DartsDefinition {

    private DartsDefinition() {
    }

    /**
     * The normal ({@code reduction} false) or reduction cell of {@code space}: its B nodes each pick 2 of the
     * earlier states, each with an op of the space.
     */
    public static CellTemplate cell(DartsSpace space, boolean reduction) {
        if (space.progressive() || space.sharedCell()) {
            throw new IllegalArgumentException("space must have a fixed block count and two cells, but was "
                    + space.identity());
        }
        return CellTemplate.builder(reduction ? "reduce" : "normal").inputs(2)
                .output(space.concatRule() == ConcatRule.ALL_INTERMEDIATE ? CellOutput.CONCAT_ALL
                        : CellOutput.CONCAT_UNUSED)
                .reduction(reduction)
                .nodes(space.nodes(), node -> node.pick(2).ops(space.ops()).distinct(space.distinctInputs()))
                .build();
    }

    /** The builder of the CIFAR network with {@code channels} C and {@code layers} cells around {@code space}'s cells. */
    public static SpaceBuilder cifar(DartsSpace space, int channels, int layers, boolean auxiliary) {
        if (channels < 1 || layers < 3) {
            throw new IllegalArgumentException("channels must be >= 1 and layers >= 3, but were " + channels + " and "
                    + layers);
        }
        CellTemplate normal = cell(space, false);
        CellTemplate reduce = cell(space, true);
        SpaceBuilder b = SpaceBuilder.create(space.name()).input(3, 32, 32).classes(10)
                .layer("stem", "conv_bn_3x3", Width.of(3 * channels));
        int c = channels;
        for (int i = 0; i < layers; i++) {
            boolean reduces = i == layers / 3 || i == 2 * layers / 3;
            if (reduces) {
                c *= 2;
            }
            b.cell(reduces ? reduce : normal, Width.of(c));
            if (auxiliary && i == 2 * layers / 3) {
                b.auxiliaryHead("darts_auxiliary_head");
            }
        }
        return b.head("pool_linear");
    }

    /** {@code genotype} as an architecture of a space built from {@link #cifar} (or cells from {@link #cell}). */
    public static Architecture architecture(ComposedSpace space, Genotype genotype) {
        List<String> entries = new ArrayList<>();
        for (CellType type : new CellType[] {CellType.NORMAL, CellType.REDUCE}) {
            String cell = type == CellType.NORMAL ? "normal" : "reduce";
            List<Genotype.Pair> pairs = genotype.pairs(type);
            for (int p = 0; p < pairs.size(); p += 2) {
                Genotype.Pair a = pairs.get(p);
                Genotype.Pair b = pairs.get(p + 1);
                boolean fixed = p == 0 && space.choices().stream().noneMatch(c -> c.name().equals(cell + ".n2.in0"));
                if (fixed && a.input() > b.input()) {
                    Genotype.Pair t = a;
                    a = b;
                    b = t;
                }
                entries.add(cell + ".n" + (2 + p / 2) + "=" + a.op() + "~" + a.input() + "+" + b.op() + "~"
                        + b.input());
            }
        }
        return space.parse(String.join("; ", entries));
    }
}
