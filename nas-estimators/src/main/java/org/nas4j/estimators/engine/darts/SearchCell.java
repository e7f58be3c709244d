package org.nas4j.estimators.engine.darts;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Concat;
import org.nas4j.estimators.engine.ops.DartsLayers;
import org.nas4j.estimators.engine.ops.FactorizedReduce;
import org.nas4j.estimators.engine.ops.Sum;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.SupernetEdge;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One cell of the DARTS search network ({@code model_search.Cell}): its two inputs preprocessed to C channels
 * (ReLU-conv1x1-BN, or a factorized reduce for input 0 after a reduction cell; no affine batch norm); node
 * {@code i} sums one {@link SupernetEdge} from every earlier state, edges numbered in the reference's order
 * ({@code (node 0: states 0, 1), (node 1: states 0, 1, 2), ...}); output the concatenation of all nodes. In a
 * reduction cell the edges from the two inputs have stride 2. The policy sees edge {@code e} of a normal cell as
 * index {@code e} and of a reduction cell as {@code edgesPerCell + e}.
 */
final class SearchCell {

    private final int nodes;
    private final boolean reduction;
    private final Layer pre0;
    private final Layer pre1;
    /** edges[i][j]: the edge from state j into node i (state i + 2). */
    private final SupernetEdge[][] edges;
    private final Sum[] nodeSums;
    private final Sum[] gradientSums;
    private final Concat concat = new Concat();
    private final INDArray[] states;

    SearchCell(ParameterSet params, String name, int nodes, List<String> ops, int prevPrev, int prev, int channels,
            boolean reduction, boolean reductionPrev, PathPolicy policy) {
        this.nodes = nodes;
        this.reduction = reduction;
        this.pre0 = reductionPrev ? new FactorizedReduce(params, name + ".pre0", prevPrev, channels, false)
                : DartsLayers.reluConvBn(params, name + ".pre0", prevPrev, channels, 1, 1, false);
        this.pre1 = DartsLayers.reluConvBn(params, name + ".pre1", prev, channels, 1, 1, false);
        int offset = reduction ? edgesPerCell(nodes) : 0;
        this.edges = new SupernetEdge[nodes][];
        int e = 0;
        for (int i = 0; i < nodes; i++) {
            edges[i] = new SupernetEdge[i + 2];
            for (int j = 0; j < i + 2; j++, e++) {
                int stride = reduction && j < 2 ? 2 : 1;
                Layer[] candidates = new Layer[ops.size()];
                for (int k = 0; k < candidates.length; k++) {
                    candidates[k] = SearchOps.create(params, name + ".edge" + e, ops.get(k), channels, stride);
                }
                edges[i][j] = new SupernetEdge(offset + e, candidates, policy);
            }
        }
        this.nodeSums = new Sum[nodes];
        this.gradientSums = new Sum[nodes + 2];
        for (int i = 0; i < nodes; i++) {
            nodeSums[i] = new Sum();
        }
        for (int s = 0; s < nodes + 2; s++) {
            gradientSums[s] = new Sum();
        }
        this.states = new INDArray[nodes + 2];
    }

    /** Edges of one cell with {@code nodes} intermediate nodes: 2 + 3 + ... + (nodes + 1). */
    static int edgesPerCell(int nodes) {
        return nodes * (nodes + 3) / 2;
    }

    boolean reduction() {
        return reduction;
    }

    INDArray forward(INDArray s0, INDArray s1, Mode mode) {
        states[0] = pre0.forward(s0, mode);
        states[1] = pre1.forward(s1, mode);
        List<INDArray> incoming = new ArrayList<>(nodes + 1);
        for (int i = 0; i < nodes; i++) {
            incoming.clear();
            for (int j = 0; j < i + 2; j++) {
                incoming.add(edges[i][j].forward(states[j], mode));
            }
            states[i + 2] = nodeSums[i].forward(incoming);
        }
        List<INDArray> out = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            out.add(states[i + 2]);
        }
        return concat.forward(out);
    }

    /** Back-propagates the output gradient; returns the gradients of the two cell inputs (before preprocessing). */
    INDArray[] backward(INDArray gy) {
        List<List<INDArray>> contributions = new ArrayList<>(nodes + 2);
        for (int s = 0; s < nodes + 2; s++) {
            contributions.add(new ArrayList<>(nodes + 1));
        }
        List<INDArray> fromConcat = concat.backward(gy);
        for (int i = 0; i < nodes; i++) {
            contributions.get(i + 2).add(fromConcat.get(i));
        }
        for (int i = nodes - 1; i >= 0; i--) {
            INDArray gradNode = gradientSums[i + 2].forward(contributions.get(i + 2));
            for (int j = i + 1; j >= 0; j--) {
                contributions.get(j).add(edges[i][j].backward(gradNode));
            }
        }
        INDArray g0 = pre0.backward(gradientSums[0].forward(contributions.get(0)));
        INDArray g1 = pre1.backward(gradientSums[1].forward(contributions.get(1)));
        return new INDArray[] {g0, g1};
    }
}
