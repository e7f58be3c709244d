package org.nas4j.estimators.engine.darts;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
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
 *
 * <p>Memory: the edges take their buffers from the network's pool; the outputs of a node's
 * edges go back once the node sum has read them; at the end of the backward pass every buffer of the cell goes
 * back (the next cell's backward and the next step reuse them), except the two preprocessing layers' input
 * gradients, which the cell returns.
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
    private final ArrayPool pool;

    SearchCell(ParameterSet params, String name, int nodes, List<String> ops, int prevPrev, int prev, int channels,
            boolean reduction, boolean reductionPrev, PathPolicy policy, ArrayPool pool) {
        this.nodes = nodes;
        this.pool = pool;
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
                edges[i][j] = new SupernetEdge(offset + e, candidates, policy, pool);
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
        // empty buffers: this only makes every buffer take its arrays from the pool from the first pass on
        pre0.releaseBuffers(pool);
        pre1.releaseBuffers(pool);
        releaseAll();
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
            if (incoming.size() > 1) {
                // the sum is a buffer of its own: the edges' outputs are dead (their backward reads their inputs)
                for (int j = 0; j < i + 2; j++) {
                    edges[i][j].releaseOutput(pool);
                }
            }
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
        // g0 and g1 are buffers of pre0 and pre1; nothing else of the cell is alive (the next cells' backward,
        // the only readers of this cell's output, ran before this one)
        releaseAll();
        pre0.releaseOutput(pool);
        pre1.releaseOutput(pool);
        return new INDArray[] {g0, g1};
    }

    /** Pools the buffers of the candidates the current pass does not run (after the policy's beginPass). */
    void releaseUnusedCandidates() {
        for (SupernetEdge[] node : edges) {
            for (SupernetEdge edge : node) {
                edge.releaseUnusedCandidates();
            }
        }
    }

    /** Hands every buffer of the edges, sums and concatenation to the pool. */
    private void releaseAll() {
        for (SupernetEdge[] node : edges) {
            for (SupernetEdge edge : node) {
                edge.releaseBuffers(pool);
            }
        }
        for (Sum sum : nodeSums) {
            sum.releaseBuffers(pool);
        }
        for (Sum sum : gradientSums) {
            sum.releaseBuffers(pool);
        }
        concat.releaseBuffers(pool);
    }
}
