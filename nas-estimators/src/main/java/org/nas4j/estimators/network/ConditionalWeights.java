package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathDropoutPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicy;

/**
 * The rule of {@link WeightSharing#CONDITIONAL} for one supernet: which op choice comes just before each place of
 * an op choice, and the copies of the candidates there. The order is the network's: the plan's steps in order, a
 * cell's edges in the order of its template (the order of the space's choices; NAS-Bench-201's arch string), so the
 * first edge of a cell follows the last op choice of the cell before it (UniNAS' {@code SplitWeightsMixedOp}, depth
 * 1: the architecture decision registered just before the op's own, across the whole network). The copies of a
 * candidate start equal: after the parameters are sealed, {@link #tie()} copies the first copy's initial values into
 * the others.
 */
final class ConditionalWeights {

    /** The op choice before a place: its policy edge and its candidate ops there. */
    record Previous(int edge, String[] ops) {
    }

    private final Map<SupernetLayout.Position, Previous> previous;
    private final List<List<Parameter>> firstCopies = new ArrayList<>();
    private final List<List<Parameter>> laterCopies = new ArrayList<>();
    private final List<double[]> firstStates = new ArrayList<>();
    private final List<double[]> laterStates = new ArrayList<>();
    // 1: split, each op runs the copy its previous op selects; 0: shared, each op runs its first copy (a state, so
    // that a checkpoint keeps it)
    private final double[] split = {1.0};

    private ConditionalWeights(Map<SupernetLayout.Position, Previous> previous) {
        this.previous = previous;
    }

    /**
     * The rule for {@code layout} under {@code policy}; an exception naming the policy for one that runs several
     * ops of an edge per pass or learns architecture weights, and naming the choice for a choice that is not an op
     * choice.
     */
    static ConditionalWeights of(ComposedSpace space, SupernetLayout layout, PathPolicy policy) {
        if (policy instanceof LearnedPathPolicy || policy instanceof PathDropoutPolicy) {
            throw new IllegalArgumentException("weightSharing CONDITIONAL needs one op per edge and pass from a policy"
                    + " without architecture weights (singlePath, fixed, or a path set with usePath: the copy an op"
                    + " runs is chosen by the one op of the edge before it), but the policy was "
                    + policy.getClass().getSimpleName());
        }
        for (SupernetLayout.Edge e : layout.edges()) {
            if (e.kind() == SupernetLayout.Kind.OP) {
                continue;
            }
            String rule = "weightSharing CONDITIONAL takes spaces whose choices are op choices, but ";
            if (e.state()) {
                NetworkPlan.Step cell = layout.plan().steps().get(e.positions().get(0).step());
                throw new IllegalArgumentException(rule + "the nodes of cell step '"
                        + ((NetworkPlan.CellStep) cell).name() + "' of space '" + space.name()
                        + "' are relaxed as DARTS does (an edge per candidate state)");
            }
            throw new IllegalArgumentException(rule + "choice '" + space.choices().get(e.choice()).name()
                    + "' of space '" + space.name() + "' is a " + e.kind().name().toLowerCase(Locale.ROOT)
                    + " choice");
        }
        Map<SupernetLayout.Position, Previous> before = new HashMap<>();
        Previous last = null;
        NetworkPlan plan = layout.plan();
        for (int s = 0; s < plan.steps().size(); s++) {
            // a layer is the place (step, -1); a cell's edges are (step, 0), (step, 1), ...
            boolean cell = plan.steps().get(s) instanceof NetworkPlan.CellStep;
            int places = cell ? ((NetworkPlan.CellStep) plan.steps().get(s)).edges().size() : 1;
            for (int i = 0; i < places; i++) {
                SupernetLayout.Position at = new SupernetLayout.Position(s, cell ? i : -1);
                int e = layout.edgeAt(at);
                if (e < 0) {
                    continue;
                }
                if (last != null) {
                    before.put(at, last);
                }
                SupernetLayout.Edge edge = layout.edges().get(e);
                last = new Previous(e, edge.ops().get(edge.positions().indexOf(at)));
            }
        }
        return new ConditionalWeights(before);
    }

    /** The op choice just before {@code at}, or null for the first (or a place that is no op choice). */
    Previous previous(SupernetLayout.Position at) {
        return previous.get(at);
    }

    /**
     * The candidate at {@code at}: {@code make} builds it given the suffix of its name. With no op choice before
     * {@code at} it is built once, without suffix; if the op declares no parameters and no state (zero, skip,
     * pooling), once (its name names nothing); else once per candidate of the previous op choice, suffixed
     * {@code |after<k>=<op>}, in a {@link ConditionalCandidate}.
     */
    Layer candidate(SupernetLayout.Position at, ParameterSet params, Function<String, Layer> make, PathPolicy path,
            ArrayPool pool, String place) {
        Previous before = previous.get(at);
        if (before == null) {
            return make.apply("");
        }
        Layer[] copies = new Layer[before.ops().length];
        int firstParam = params.parameters().size();
        int firstState = params.states().size();
        int firstStats = params.runningStatistics().size();
        copies[0] = make.apply(suffix(before, 0));
        List<Parameter> first = List.copyOf(params.parameters().subList(firstParam, params.parameters().size()));
        List<double[]> states = new ArrayList<>(params.states().values()).subList(firstState, params.states().size());
        if (first.isEmpty() && states.isEmpty() && params.runningStatistics().size() == firstStats) {
            return copies[0];
        }
        for (int k = 1; k < copies.length; k++) {
            int p = params.parameters().size();
            int st = params.states().size();
            copies[k] = make.apply(suffix(before, k));
            firstCopies.add(first);
            laterCopies.add(List.copyOf(params.parameters().subList(p, params.parameters().size())));
            List<double[]> all = new ArrayList<>(params.states().values());
            for (int i = 0; i < states.size(); i++) {
                firstStates.add(states.get(i));
                laterStates.add(all.get(st + i));
            }
        }
        return new ConditionalCandidate(place, before.edge(), copies, path, pool, split);
    }

    private static String suffix(Previous before, int k) {
        return "|after" + k + "=" + before.ops()[k];
    }

    /** Makes every copy the first copy of its candidate (values and states); after the parameters are sealed. */
    void tie() {
        for (int i = 0; i < firstCopies.size(); i++) {
            List<Parameter> from = firstCopies.get(i);
            List<Parameter> to = laterCopies.get(i);
            for (int p = 0; p < from.size(); p++) {
                to.get(p).value().assign(from.get(p).value());
            }
        }
        for (int i = 0; i < firstStates.size(); i++) {
            System.arraycopy(firstStates.get(i), 0, laterStates.get(i), 0, firstStates.get(i).length);
        }
    }

    /** Whether the copies are split (as compiled) rather than shared. */
    boolean isSplit() {
        return split[0] != 0;
    }

    /** From the next pass on, every op runs its first copy, whatever ran before it. */
    void share() {
        split[0] = 0;
    }

    /** If shared: copies each op's first copy into its others; from the next pass on each runs its own. */
    void split() {
        if (!isSplit()) {
            tie();
            split[0] = 1;
        }
    }

    /** The split flag as a state: 1 split, 0 shared; the array is the live one (a checkpoint restores it). */
    double[] splitState() {
        return split;
    }
}
