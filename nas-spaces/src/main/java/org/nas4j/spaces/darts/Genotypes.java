package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The published cells, as the DARTS code family writes them ({@code genotypes.py} of quark0/darts,
 * chenxin061/pdarts and yuhuixu1993/PC-DARTS), with lookup by name.
 *
 * <p>NASNet-A and AmoebaNet-A are the DARTS repository's transcription: five nodes, the output concatenating the
 * nodes no other node reads, and ops outside the DARTS search set ({@code sep_conv_7x7}, {@code conv_7x1_1x7}).
 *
 * <pre>{@code
 * Genotype g = Genotypes.byName("DARTS_V2");
 * DartsCostModel.cifar(g).build().parameters(false);   // 3,349,342
 * }</pre>
 */
public final class Genotypes {

    /** NASNet-A (Zoph et al., 2018) as in the DARTS repository. */
    public static final Genotype NASNET = Genotype.parse("Genotype("
            + "normal=[('sep_conv_5x5', 1), ('sep_conv_3x3', 0), ('sep_conv_5x5', 0), ('sep_conv_3x3', 0),"
            + " ('avg_pool_3x3', 1), ('skip_connect', 0), ('avg_pool_3x3', 0), ('avg_pool_3x3', 0),"
            + " ('sep_conv_3x3', 1), ('skip_connect', 1)], normal_concat=[2, 3, 4, 5, 6],"
            + " reduce=[('sep_conv_5x5', 1), ('sep_conv_7x7', 0), ('max_pool_3x3', 1), ('sep_conv_7x7', 0),"
            + " ('avg_pool_3x3', 1), ('sep_conv_5x5', 0), ('skip_connect', 3), ('avg_pool_3x3', 2),"
            + " ('sep_conv_3x3', 2), ('max_pool_3x3', 1)], reduce_concat=[4, 5, 6])");

    /** AmoebaNet-A (Real et al., 2019) as in the DARTS repository. */
    public static final Genotype AMOEBANET = Genotype.parse("Genotype("
            + "normal=[('avg_pool_3x3', 0), ('max_pool_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_5x5', 2),"
            + " ('sep_conv_3x3', 0), ('avg_pool_3x3', 3), ('sep_conv_3x3', 1), ('skip_connect', 1),"
            + " ('skip_connect', 0), ('avg_pool_3x3', 1)], normal_concat=[4, 5, 6],"
            + " reduce=[('avg_pool_3x3', 0), ('sep_conv_3x3', 1), ('max_pool_3x3', 0), ('sep_conv_7x7', 2),"
            + " ('sep_conv_7x7', 0), ('avg_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1),"
            + " ('conv_7x1_1x7', 0), ('sep_conv_3x3', 5)], reduce_concat=[3, 4, 6])");

    /** DARTS first order (Liu et al., 2019). */
    public static final Genotype DARTS_V1 = Genotype.parse("Genotype("
            + "normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0), ('sep_conv_3x3', 1),"
            + " ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)],"
            + " normal_concat=[2, 3, 4, 5],"
            + " reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0),"
            + " ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)],"
            + " reduce_concat=[2, 3, 4, 5])");

    /** DARTS second order (Liu et al., 2019), the paper's main cell; also known as {@code DARTS}. */
    public static final Genotype DARTS_V2 = Genotype.parse("Genotype("
            + "normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)],"
            + " normal_concat=[2, 3, 4, 5],"
            + " reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1),"
            + " ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)],"
            + " reduce_concat=[2, 3, 4, 5])");

    /** P-DARTS (Chen et al., 2019), CIFAR-10 search. */
    public static final Genotype PDARTS = Genotype.parse("Genotype("
            + "normal=[('skip_connect', 0), ('dil_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3', 0), ('dil_conv_5x5', 4)],"
            + " normal_concat=range(2, 6),"
            + " reduce=[('avg_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_3x3', 0), ('dil_conv_5x5', 2),"
            + " ('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1), ('dil_conv_5x5', 3)],"
            + " reduce_concat=range(2, 6))");

    /** PC-DARTS (Xu et al., 2020), CIFAR-10 search; also known as {@code PCDARTS}. */
    public static final Genotype PC_DARTS_CIFAR = Genotype.parse("Genotype("
            + "normal=[('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 0), ('dil_conv_3x3', 1),"
            + " ('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 0), ('dil_conv_3x3', 1)],"
            + " normal_concat=range(2, 6),"
            + " reduce=[('sep_conv_5x5', 1), ('max_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_5x5', 2),"
            + " ('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), ('sep_conv_3x3', 2)],"
            + " reduce_concat=range(2, 6))");

    /** PC-DARTS (Xu et al., 2020), ImageNet search. */
    public static final Genotype PC_DARTS_IMAGE = Genotype.parse("Genotype("
            + "normal=[('skip_connect', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 0), ('skip_connect', 1),"
            + " ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), ('dil_conv_5x5', 4)],"
            + " normal_concat=range(2, 6),"
            + " reduce=[('sep_conv_3x3', 0), ('skip_connect', 1), ('dil_conv_5x5', 2), ('max_pool_3x3', 1),"
            + " ('sep_conv_3x3', 2), ('sep_conv_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_3x3', 3)],"
            + " reduce_concat=range(2, 6))");

    private static final Map<String, Genotype> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        BY_NAME.put("NASNet", NASNET);
        BY_NAME.put("AmoebaNet", AMOEBANET);
        BY_NAME.put("DARTS_V1", DARTS_V1);
        BY_NAME.put("DARTS_V2", DARTS_V2);
        BY_NAME.put("PDARTS", PDARTS);
        BY_NAME.put("PC_DARTS_cifar", PC_DARTS_CIFAR);
        BY_NAME.put("PC_DARTS_image", PC_DARTS_IMAGE);
        ALIASES.put("DARTS", "DARTS_V2");
        ALIASES.put("PCDARTS", "PC_DARTS_cifar");
        ALIASES.put("NASNet-A", "NASNet");
        ALIASES.put("AmoebaNet-A", "AmoebaNet");
    }

    private Genotypes() {
    }

    /** The names of the shipped genotypes, as in the reference code ({@code "DARTS_V2"}, ...), without aliases. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * The genotype called {@code name}: a name of {@link #names()} or an alias ({@code DARTS} for DARTS_V2,
     * {@code PCDARTS} for PC_DARTS_cifar, {@code NASNet-A}, {@code AmoebaNet-A}), case-insensitive; empty if none.
     */
    public static Optional<Genotype> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim();
        String target = key;
        for (Map.Entry<String, String> a : ALIASES.entrySet()) {
            if (a.getKey().equalsIgnoreCase(key)) {
                target = a.getValue();
            }
        }
        for (Map.Entry<String, Genotype> e : BY_NAME.entrySet()) {
            if (e.getKey().equalsIgnoreCase(target)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** The genotype called {@code name} (see {@link #find}); an exception listing the known names if none. */
    public static Genotype byName(String name) {
        return find(name).orElseThrow(() -> {
            List<String> known = new ArrayList<>(BY_NAME.keySet());
            known.addAll(ALIASES.keySet());
            return new IllegalArgumentException("unknown genotype name '" + name + "'; known names: " + known);
        });
    }

    /**
     * A genotype from a name of {@link #byName} or, if {@code nameOrText} starts with {@code Genotype(}, from its
     * text ({@link Genotype#parse}).
     */
    public static Genotype resolve(String nameOrText) {
        if (nameOrText != null && nameOrText.trim().startsWith("Genotype")) {
            return Genotype.parse(nameOrText);
        }
        return byName(nameOrText);
    }
}
