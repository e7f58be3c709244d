package org.nas4j.estimators.engine.nb201;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Sum;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.SupernetEdge;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A NAS-Bench-201 cell: four nodes, node 0 its input, node {@code j = sum over i < j of edge(j <- i)(node i)},
 * output node 3. Edge {@code k} in benchmark order ({@code 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2}) has index k
 * for the path policy.
 *
 * <p>Memory: the edges take their buffers from the network's pool. The input gradients the edges return are dead
 * once the cell's own input gradient is summed, so the cell hands their buffers back to the pool at the end of
 * its backward pass: the next cell's backward reuses them, and the network holds gradient buffers for about one
 * cell at a time instead of for all of them.
 */
final class Nb201Cell implements Layer {

    /** Source and target node of each edge, in benchmark order. */
    private static final int[][] EDGES = {{0, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 3}, {2, 3}};

    private final SupernetEdge[] edges = new SupernetEdge[EDGES.length];
    private final Sum[] nodeSums = new Sum[4];
    private final Sum[] gradientSums = new Sum[4];
    private final ArrayPool pool;

    /**
     * @param candidates for each edge, the ops to instantiate (null entries are left out)
     * @param pool       the network's pool of spare buffers
     */
    Nb201Cell(ParameterSet params, String name, int channels, boolean[][] candidates, PathPolicy policy,
            ArrayPool pool) {
        this.pool = pool;
        Nb201Op[] ops = Nb201Op.values();
        for (int e = 0; e < EDGES.length; e++) {
            Layer[] layers = new Layer[ops.length];
            for (int k = 0; k < ops.length; k++) {
                if (candidates[e][k]) {
                    layers[k] = ops[k].create(params, name + ".edge" + e, channels);
                }
            }
            edges[e] = new SupernetEdge(e, layers, policy, pool);
        }
        for (int j = 0; j < 4; j++) {
            nodeSums[j] = new Sum();
            gradientSums[j] = new Sum();
        }
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        INDArray[] nodes = new INDArray[4];
        nodes[0] = x;
        for (int j = 1; j < 4; j++) {
            List<INDArray> incoming = new ArrayList<>(j);
            for (int e = 0; e < EDGES.length; e++) {
                if (EDGES[e][1] == j) {
                    incoming.add(edges[e].forward(nodes[EDGES[e][0]], mode));
                }
            }
            nodes[j] = nodeSums[j].forward(incoming);
        }
        return nodes[3];
    }

    @Override
    public INDArray backward(INDArray gy) {
        // last pass's edge gradients are dead: releasing (nothing, after the first pass) also tells every gradient
        // buffer to take its arrays from the pool, which a buffer does only once it has been released
        for (SupernetEdge edge : edges) {
            edge.releaseGradientBuffers(pool);
        }
        List<List<INDArray>> contributions = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            contributions.add(new ArrayList<>(3));
        }
        contributions.get(3).add(gy);
        for (int j = 3; j >= 1; j--) {
            INDArray gradNode = gradientSums[j].forward(contributions.get(j));
            for (int e = EDGES.length - 1; e >= 0; e--) {
                if (EDGES[e][1] == j) {
                    contributions.get(EDGES[e][0]).add(edges[e].backward(gradNode));
                }
            }
        }
        INDArray gx = gradientSums[0].forward(contributions.get(0));
        if (contributions.get(0).size() > 1) {
            // gx is the sum's own buffer, so no edge gradient is alive any more (with one contribution gx would
            // be that edge's buffer; keep everything then)
            for (SupernetEdge edge : edges) {
                edge.releaseGradientBuffers(pool);
            }
        }
        return gx;
    }

    /** Pools the buffers of the candidates the current pass does not run (after the policy's beginPass). */
    void releaseUnusedCandidates() {
        for (SupernetEdge edge : edges) {
            edge.releaseUnusedCandidates();
        }
    }
}
