package org.nas4j.spaces;

import java.util.List;
import org.nas4j.core.registry.Registry;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nas4j.spaces.nasbench101.NasBench101Space;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.spaces.recurrent.RecurrentCellSpace;

/**
 * Factories of the built-in search spaces, their customisable builders, and the spaces by name.
 *
 * <pre>{@code
 * SearchSpace space = Spaces.nasBench201();
 * SearchSpace small = Spaces.nasBench201Builder().channels(8).cellsPerStage(1).inputChannels(1).imageSize(28).build();
 * SearchSpace named = Spaces.byName("darts");
 * }</pre>
 */
public final class Spaces {
    /** The one table of named spaces: {@link #names()}, {@link #byName} and the descriptions come from it. */
    private static final Registry<SearchSpace> REGISTRY = Registry.<SearchSpace>builder("space")
            .add("nas-bench-201", "NAS-Bench-201 cells with the benchmark's network (C=16, N=5, 32x32 RGB)",
                    Spaces::nasBench201)
            .add("nas-bench-101", "NAS-Bench-101: 7x7 adjacency matrix plus 5 op labels", Spaces::nasBench101)
            .add("darts", "DARTS normal and reduction cells of 4 nodes", Spaces::darts)
            .add("nasnet", "NASNet cells of 5 nodes over the NASNet op set", Spaces::nasnet)
            .add("pnas", "PNAS cells of 5 nodes over the 8 PNAS ops", Spaces::pnas)
            .add("pnas-progressive", "progressive PNAS: one cell of 1 to 5 blocks over the 8 PNAS ops",
                    Spaces::pnasProgressive)
            .add("enas-macro", "ENAS macro: 12 layers of 6 branches and any subset of skips (36 filters, 32x32 RGB)",
                    Spaces::enasMacro)
            .add("enas-macro-channels", "ENAS macro with whole_channels=False: 12 layers, every branch on a chosen"
                    + " channel range, and any subset of skips (36 filters, 32x32 RGB)", Spaces::enasMacroChannels)
            .add("enas-micro", "ENAS micro (fixed-arc child): cells of 5 nodes, two inputs and 5 ops each (6 layers,"
                    + " 20 filters, 32x32 RGB)", Spaces::enasMicro)
            .add("enas-micro-search", "ENAS micro search child: stride-1 cells after factorized reductions, the"
                    + " supernet ENAS' controller searches (6 layers, 20 filters, 32x32 RGB)", Spaces::enasMicroSearch)
            .add("darts-rnn", "DARTS recurrent cells of 8 nodes (activation and input per node) for language models",
                    Spaces::dartsRecurrent)
            .add("enas-rnn", "ENAS recurrent cells of 12 nodes whose loose ends are averaged", Spaces::enasRecurrent)
            .build();

    private Spaces() {
    }

    /** NAS-Bench-201 with the benchmark's network (C=16, N=5, 10 classes, 32x32 RGB images). */
    public static NasBench201Space nasBench201() {
        return NasBench201Space.standard();
    }

    /**
     * A builder of the NAS-Bench-201 cell space with another network around the cells (channels, cells per stage,
     * classes, input size); its defaults are {@link #nasBench201()}'s.
     */
    public static NasBench201Space.Builder nasBench201Builder() {
        return NasBench201Space.builder();
    }

    /** NAS-Bench-101: 7x7 adjacency matrix plus 5 op labels; canonical key = the benchmark's graph hash. */
    public static NasBench101Space nasBench101() {
        return NasBench101Space.create();
    }

    /** The DARTS cell space: normal and reduction cells of 4 nodes over the DARTS op set (without 'none'). */
    public static DartsSpace darts() {
        return DartsSpace.darts();
    }

    /**
     * A builder of cell spaces of the DARTS family (nodes, op set, input and concatenation rules); its defaults are
     * {@link #darts()}'s.
     */
    public static DartsSpace.Builder dartsBuilder() {
        return DartsSpace.builder();
    }

    /** The NASNet cell space: 5 nodes over the NASNet op set. */
    public static DartsSpace nasnet() {
        return DartsSpace.nasnet();
    }

    /** The PNAS cell space: normal and reduction cells of 5 nodes over the 8 PNAS ops. */
    public static DartsSpace pnas() {
        return DartsSpace.pnas();
    }

    /**
     * The space of progressive PNAS: one cell (normal, and reduction at stride 2) of 1 to 5 blocks over the 8 PNAS
     * ops; a {@link org.nas4j.core.space.ProgressiveSpace} with the paper's 136 one-block cells.
     */
    public static DartsSpace pnasProgressive() {
        return DartsSpace.pnasProgressive();
    }

    /**
     * ENAS' macro search space as its search script runs it: 12 layers, each one of six branches and any subset of
     * skip connections from earlier layers, 36 filters, 32x32 RGB, 10 classes ({@link EnasMacroSpace}).
     */
    public static ComposedSpace enasMacro() {
        return EnasMacroSpace.cifar10();
    }

    /**
     * ENAS' macro search space with {@code whole_channels=False} at the search script's sizes: 12 layers, each
     * running all six branches on channel ranges it chooses, and any subset of skips, 36 filters, 32x32 RGB
     * ({@link EnasMacroSpace#channels()}).
     */
    public static ComposedSpace enasMacroChannels() {
        return EnasMacroSpace.channels();
    }

    /**
     * ENAS' micro space as its fixed-arc child builds it, at the search script's sizes: 6 layers, normal and
     * reduction cells of 5 nodes, 20 filters, 32x32 RGB, 10 classes ({@link EnasMicroSpace}).
     */
    public static ComposedSpace enasMicro() {
        return EnasMicroSpace.cifar10();
    }

    /**
     * The ENAS micro search child ({@code _enas_layer} of {@code micro_child.py}) at the sizes of
     * {@code cifar10_micro_search.sh}: the space whose weight-sharing supernet ENAS' controller searches, where
     * {@link #enasMicro()} is the fixed-arc child that retrains a found cell.
     */
    public static ComposedSpace enasMicroSearch() {
        return EnasMicroSpace.searchChild();
    }

    /** DARTS' recurrent cell space: 8 nodes, each an input and one of tanh, relu, sigmoid, identity. */
    public static RecurrentCellSpace dartsRecurrent() {
        return RecurrentCellSpace.darts();
    }

    /** ENAS' recurrent cell space: {@code s0} and 11 nodes, the loose ends averaged. */
    public static RecurrentCellSpace enasRecurrent() {
        return RecurrentCellSpace.enas();
    }

    /** The names {@link #byName} knows, in a fixed order. */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /** The one-line description of the space called {@code name}; an exception listing the known names if none. */
    public static String description(String name) {
        return REGISTRY.entry(name).description();
    }

    /** The built-in space called {@code name}; an exception listing the known names if there is none. */
    public static SearchSpace byName(String name) {
        return REGISTRY.byName(name);
    }
}
