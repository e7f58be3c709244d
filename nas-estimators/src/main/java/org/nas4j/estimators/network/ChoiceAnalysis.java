package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.estimators.network.SupernetLayout.Candidate;
import org.nas4j.estimators.network.SupernetLayout.Edge;
import org.nas4j.estimators.network.SupernetLayout.Kind;
import org.nas4j.estimators.network.SupernetLayout.Plans;
import org.nas4j.estimators.network.SupernetLayout.Position;
import org.nas4j.estimators.network.SupernetLayout.Variant;

/**
 * How the choices of a builder space that are not op choices reach its supernet, found from the space's plans: the
 * depths (which steps a shallower network leaves out), the channel values (the widest network, which layers each
 * sizes, their channels for each option), the input choices (which state each option reads). Used by
 * {@link SupernetLayout}.
 */
final class ChoiceAnalysis {

    private ChoiceAnalysis() {
    }

    /** The edge of input choice {@code c}: the cell edges whose state it picks, and the state of each option. */
    static Edge inputEdge(ComposedSpace space, Plans plans, Architecture base, NetworkPlan plan, int c) {
        Choice choice = space.choices().get(c);
        List<Position> positions = new ArrayList<>();
        List<int[]> states = new ArrayList<>();
        for (Position p : SupernetLayout.positions(plan)) {
            if (p.edge() < 0) {
                continue;
            }
            int[] from = new int[choice.size()];
            boolean governed = false;
            for (int o = 0; o < from.length; o++) {
                NetworkPlan.CellStep cell = (NetworkPlan.CellStep) plans.of(base.with(c, o)).steps().get(p.step());
                from[o] = cell.edges().get(p.edge()).from();
                governed |= from[o] != from[0];
            }
            if (governed) {
                positions.add(p);
                states.add(from);
            }
            NetworkPlan.CellStep cell = (NetworkPlan.CellStep) plan.steps().get(p.step());
            // a cell that projects its unused states keeps its width: the supernet gates each state's projection
            for (int o = 1; o < from.length && !cell.projectsUnusedStates(); o++) {
                if (!cell.concat().equals(((NetworkPlan.CellStep) plans.of(base.with(c, o)).steps().get(p.step()))
                        .concat())) {
                    throw SupernetLayout.refused(space, choice, "an input choice that changes which states cell step '"
                            + cell.name() + "' concatenates (option '" + choice.option(o) + "'); the supernet"
                            + " takes cells whose output does not depend on their inputs");
                }
            }
        }
        List<Candidate> options = new ArrayList<>();
        for (int o = 0; o < choice.size(); o++) {
            options.add(new Candidate(List.<int[]>of(new int[] {o})));
        }
        return new Edge(c, new int[0], options, positions, List.of(), Kind.INPUT, states);
    }

    /**
     * Finds the depth choices (values whose options change the number of steps) and returns the architecture of
     * option 0 everywhere but each depth at its deepest option.
     */
    static Architecture deepest(ComposedSpace space, Plans plans, List<Integer> depthValues) {
        Architecture zero = Architecture.of(space, new int[space.choices().size()]);
        Architecture deepest = zero;
        for (int c = 0; c < space.choices().size(); c++) {
            if (space.choices().get(c).kind() != Choice.Kind.VALUE) {
                continue;
            }
            int best = 0;
            int most = plans.of(zero).steps().size();
            boolean depth = false;
            for (int j = 1; j < space.choices().get(c).size(); j++) {
                int steps = plans.of(zero.with(c, j)).steps().size();
                depth |= steps != plans.of(zero).steps().size();
                if (steps > most) {
                    most = steps;
                    best = j;
                }
            }
            if (depth) {
                depthValues.add(c);
                deepest = deepest.with(c, best);
            }
        }
        return deepest;
    }

    /**
     * The edge of depth choice {@code v}: the layers of its repetitions in the deepest network, and for each option
     * how many of them it runs. Refused when a shallower network is not the deepest one with trailing layers left
     * out, shapes unchanged.
     */
    static Edge depthEdge(ComposedSpace space, Plans plans, Architecture base, NetworkPlan plan, int v) {
        Choice choice = space.choices().get(v);
        String prefix = choice.name() + "[";
        List<Position> group = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.steps().get(i).name().startsWith(prefix)) {
                if (!(plan.steps().get(i) instanceof NetworkPlan.LayerStep)) {
                    throw SupernetLayout.refused(space, choice, "a depth choice over cells (step '" + plan.steps().get(i).name()
                            + "'); the supernet takes repeated layers only");
                }
                group.add(new Position(i, -1));
            }
        }
        int firstStep = group.isEmpty() ? 0 : group.get(0).step();
        for (int k = 0; k < group.size(); k++) {
            if (group.get(k).step() != firstStep + k) {
                throw SupernetLayout.refused(space, choice, "a depth choice whose layers are not consecutive steps");
            }
        }
        int after = firstStep + group.size();
        if (after < plan.steps().size() && plan.steps().get(after) instanceof NetworkPlan.CellStep cell
                && cell.inputs().size() == 2) {
            throw SupernetLayout.refused(space, choice, "a depth choice followed by a two-input cell ('" + cell.name() + "'),"
                    + " which would read the step before the repeat's last");
        }
        List<int[]> runs = new ArrayList<>();
        List<Candidate> options = new ArrayList<>();
        for (int o = 0; o < choice.size(); o++) {
            NetworkPlan shallow = plans.of(base.with(v, o));
            int n = shallow.steps().size() - (plan.steps().size() - group.size());
            boolean prefixOfDeepest = n >= 0 && n <= group.size();
            for (int i = 0; prefixOfDeepest && i < shallow.steps().size(); i++) {
                int deep = i < firstStep + n ? i : i + group.size() - n;
                NetworkPlan.Step a = shallow.steps().get(i);
                NetworkPlan.Step b = plan.steps().get(deep);
                prefixOfDeepest = a.name().equals(b.name()) && a.output().equals(b.output());
            }
            if (!prefixOfDeepest) {
                throw SupernetLayout.refused(space, choice, "a depth choice whose option '" + choice.option(o) + "' is not the"
                        + " deepest network with its last repeated layers left out, shapes unchanged");
            }
            runs.add(new int[] {n});
            options.add(new Candidate(List.<int[]>of(new int[] {o})));
        }
        return new Edge(v, new int[0], options, group, List.of(), Kind.DEPTH, runs);
    }

    /** The architecture of option 0 everywhere, but each channel value at its widest option. */
    static Architecture widest(ComposedSpace space, Plans plans, Architecture deepest,
            List<Integer> channelValues) {
        Architecture base = deepest;
        for (int v : channelValues) {
            int best = 0;
            long widest = -1;
            for (int j = 0; j < space.choices().get(v).size(); j++) {
                long total = 0;
                for (NetworkPlan.Step s : plans.of(base.with(v, j)).steps()) {
                    total += s.output().channels();
                }
                if (total > widest) {
                    widest = total;
                    best = j;
                }
            }
            base = base.with(v, best);
        }
        return base;
    }

    static void checkChannelsOutsideCells(ComposedSpace space, Plans plans, Architecture base,
            NetworkPlan plan, int v) {
        Choice choice = space.choices().get(v);
        for (int j = 0; j < choice.size(); j++) {
            NetworkPlan other = plans.of(base.with(v, j));
            for (int i = 0; i < plan.steps().size(); i++) {
                if (plan.steps().get(i) instanceof NetworkPlan.CellStep cell
                        && (cell.channels() != ((NetworkPlan.CellStep) other.steps().get(i)).channels()
                        || !cell.inputs().equals(((NetworkPlan.CellStep) other.steps().get(i)).inputs()))) {
                    throw SupernetLayout.refused(space, choice, "a channel choice that sizes cell step '" + cell.name() + "' (at"
                            + " option '" + choice.option(j) + "'); the supernet slices channels of layers only");
                }
            }
        }
    }

    /**
     * Whether the options of channel value {@code v} change the input or output channels of layer {@code p}, at
     * the deepest network or at any depth of {@code depths}.
     */
    static boolean sizes(NetworkPlan plan, Position p, ComposedSpace space, Plans plans,
            List<Architecture> depths, int v) {
        String name = plan.steps().get(p.step()).name();
        for (Architecture depth : depths) {
            NetworkPlan.LayerStep wide = layer(plans.of(depth), name);
            for (int j = 0; wide != null && j < space.choices().get(v).size(); j++) {
                NetworkPlan.LayerStep l = layer(plans.of(depth.with(v, j)), name);
                if (l.input().channels() != wide.input().channels()
                        || l.output().channels() != wide.output().channels()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The layer step named {@code name}, or null if the network has none (a block its depth leaves out). */
    static NetworkPlan.LayerStep layer(NetworkPlan plan, String name) {
        for (NetworkPlan.Step s : plan.steps()) {
            if (s.name().equals(name)) {
                return (NetworkPlan.LayerStep) s;
            }
        }
        return null;
    }

    /** The channels of layer {@code p} for every option combination of the channel edges that size it. */
    static List<Variant> variants(ComposedSpace space, Plans plans, Architecture base, NetworkPlan plan,
            List<Edge> edges, Position p, List<Integer> sizing) {
        List<Variant> out = new ArrayList<>();
        List<int[]> combos = new ArrayList<>();
        combos.add(new int[sizing.size()]);
        for (int s = 0; s < sizing.size(); s++) {
            List<int[]> next = new ArrayList<>();
            for (int[] combo : combos) {
                for (int j = 0; j < edges.get(sizing.get(s)).candidates().size(); j++) {
                    int[] copy = combo.clone();
                    copy[s] = j;
                    next.add(copy);
                }
            }
            combos = next;
        }
        for (int[] combo : combos) {
            Architecture a = base;
            for (int s = 0; s < sizing.size(); s++) {
                a = a.with(edges.get(sizing.get(s)).choice(), combo[s]);
            }
            NetworkPlan.LayerStep l = layer(plans.of(a), plan.steps().get(p.step()).name());
            if (l != null) {
                out.add(new Variant(combo, l.input().channels(), l.output().channels()));
            }
        }
        return out;
    }
}
