package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.estimators.network.SupernetLayout.Edge;
import org.nas4j.estimators.network.SupernetLayout.Position;

/**
 * From the weights of a supernet's candidates back to an architecture of its space (the rules are listed on
 * {@link SupernetLayout#derive}).
 */
final class SupernetDerivation {

    private SupernetDerivation() {
    }

    /** See {@link SupernetLayout#derive}. */
    static Architecture derive(SupernetLayout layout, double[][] weights) {
        ComposedSpace space = layout.space();
        List<Edge> edges = layout.edges();
        int[] v = new int[space.choices().size()];
        Map<Integer, double[]> scores = new LinkedHashMap<>();
        for (int e = 0; e < edges.size(); e++) {
            Edge edge = edges.get(e);
            for (int s = 0; s < edge.values().length; s++) {
                double[] score = scores.computeIfAbsent(edge.values()[s],
                        c -> new double[space.choices().get(c).size()]);
                for (int j = 0; j < score.length; j++) {
                    for (int k = 0; k < edge.candidates().size(); k++) {
                        if (edge.candidates().get(k).allows(s, j)) {
                            score[j] += weights[e][k];
                        }
                    }
                }
            }
        }
        scores.forEach((c, score) -> v[c] = argmax(score));
        for (int e = 0; e < edges.size(); e++) {
            Edge edge = edges.get(e);
            if (edge.choice() < 0) {
                continue;
            }
            if (edge.channel() || edge.input() || edge.depth()) {
                v[edge.choice()] = argmax(weights[e]);
                continue;
            }
            int best = -1;
            int option = 0;
            for (int k = 0; k < edge.candidates().size(); k++) {
                for (int[] combo : edge.candidates().get(k).combos()) {
                    if (consistent(edge, combo, v) && (best < 0 || weights[e][k] > weights[e][best])) {
                        best = k;
                        option = combo[0];
                        break;
                    }
                }
            }
            v[edge.choice()] = option;
        }
        summedNodes(layout, weights, v);
        resetAbsentRepetitions(layout, v);
        Architecture independent = Architecture.of(space, v);
        return space.isValid(independent) ? independent : Architecture.of(space, distinctInputs(layout, v, weights));
    }

    /**
     * The nodes relaxed as DARTS does, by the reference's rule ({@link StrongestStates}): a node that picks reads
     * its {@code k} strongest states, strongest first, each with its strongest op other than {@code none}; a node
     * that reads all its states takes the strongest op of each.
     */
    private static void summedNodes(SupernetLayout layout, double[][] weights, int[] v) {
        for (SummedNodes.Node node : layout.summed().nodes()) {
            int k = node.opChoices().length;
            if (!node.picks()) {
                for (int t = 0; t < k; t++) {
                    v[node.opChoices()[t]] = StrongestStates.strongestOp(weights[node.edge(node.fixedStates()[t])]) - 1;
                }
                continue;
            }
            double[][] rows = new double[node.states().length][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = weights[node.firstEdge() + i];
            }
            int[][] kept = StrongestStates.select(rows, k);
            for (int t = 0; t < k; t++) {
                v[node.inputChoices()[t]] = kept[t][0];
                v[node.opChoices()[t]] = kept[t][1] - 1;
            }
        }
    }

    /**
     * The input choices of each cell node re-assigned so that they read different states: the strongest
     * (input choice, state) weight of the node first, then the strongest among the choices and states left.
     */
    private static int[] distinctInputs(SupernetLayout layout, int[] vector, double[][] weights) {
        List<Edge> edges = layout.edges();
        NetworkPlan plan = layout.plan();
        int[] v = vector.clone();
        Map<String, List<Integer>> byNode = new LinkedHashMap<>();
        for (int e = 0; e < edges.size(); e++) {
            Edge edge = edges.get(e);
            if (edge.input() && !edge.positions().isEmpty()) {
                Position p = edge.positions().get(0);
                int to = ((NetworkPlan.CellStep) plan.steps().get(p.step())).edges().get(p.edge()).to();
                byNode.computeIfAbsent(p.step() + ":" + to, k -> new ArrayList<>()).add(e);
            }
        }
        for (List<Integer> node : byNode.values()) {
            List<Integer> open = new ArrayList<>(node);
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            while (!open.isEmpty()) {
                int bestEdge = -1;
                int bestOption = -1;
                for (int e : open) {
                    int[] states = edges.get(e).states().get(0);
                    for (int o = 0; o < states.length; o++) {
                        if (!taken.contains(states[o]) && (bestEdge < 0 || weights[e][o] > weights[bestEdge][bestOption])) {
                            bestEdge = e;
                            bestOption = o;
                        }
                    }
                }
                if (bestEdge < 0) {
                    break;
                }
                v[edges.get(bestEdge).choice()] = bestOption;
                taken.add(edges.get(bestEdge).states().get(0)[bestOption]);
                open.remove(Integer.valueOf(bestEdge));
            }
        }
        return v;
    }

    /** Sets the choices of repetitions a chosen depth leaves out to option 0, as the space's vectors have them. */
    private static void resetAbsentRepetitions(SupernetLayout layout, int[] v) {
        ComposedSpace space = layout.space();
        for (Edge edge : layout.edges()) {
            if (!edge.depth()) {
                continue;
            }
            String name = space.choices().get(edge.choice()).name();
            int present;
            try {
                present = Integer.parseInt(space.choices().get(edge.choice()).option(v[edge.choice()]));
            } catch (NumberFormatException e) {
                continue;
            }
            for (int c = 0; c < v.length; c++) {
                String other = space.choices().get(c).name();
                if (other.startsWith(name + "[")) {
                    int end = other.indexOf(']', name.length());
                    if (end > 0 && Integer.parseInt(other.substring(name.length() + 1, end)) >= present) {
                        v[c] = 0;
                    }
                }
            }
        }
    }

    private static boolean consistent(Edge edge, int[] combo, int[] v) {
        for (int s = 0; s < edge.values().length; s++) {
            if (combo[1 + s] != v[edge.values()[s]]) {
                return false;
            }
        }
        return true;
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
