package org.nas4j.estimators.engine.nb201;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Relu;
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
    /** ReLU of nodes 0-2, computed once per pass for the ReLU-conv-BN ops of all outgoing edges. */
    private final Relu[] nodeRelus = new Relu[3];
    private final Sum[] reluGradientSums = new Sum[3];
    private final ArrayPool pool;
    /** What the edges and node 0's ReLU returned in the last backward pass (to find who owns the input gradient). */
    private final INDArray[] edgeGradients = new INDArray[EDGES.length];
    private INDArray reluGradientOfNode0;

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
            boolean[] takesRelu = new boolean[ops.length];
            for (int k = 0; k < ops.length; k++) {
                if (candidates[e][k]) {
                    layers[k] = ops[k].createOnRelu(params, name + ".edge" + e, channels);
                    takesRelu[k] = ops[k].startsWithRelu();
                }
            }
            edges[e] = new SupernetEdge(e, layers, takesRelu, policy, pool);
        }
        for (int j = 0; j < 4; j++) {
            nodeSums[j] = new Sum();
            gradientSums[j] = new Sum();
        }
        for (int j = 0; j < 3; j++) {
            nodeRelus[j] = new Relu();
            reluGradientSums[j] = new Sum();
        }
        // empty buffers: this only makes every buffer take its arrays from the pool from the first pass on
        releaseAll(null);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        INDArray[] nodes = new INDArray[4];
        INDArray[] reluNodes = new INDArray[3];
        nodes[0] = x;
        for (int j = 1; j < 4; j++) {
            List<INDArray> incoming = new ArrayList<>(j);
            for (int e = 0; e < EDGES.length; e++) {
                if (EDGES[e][1] == j) {
                    int i = EDGES[e][0];
                    if (reluNodes[i] == null && edges[e].needsReluInput()) {
                        reluNodes[i] = nodeRelus[i].forward(nodes[i], mode);
                    }
                    incoming.add(edges[e].forward(nodes[i], reluNodes[i], mode));
                }
            }
            nodes[j] = nodeSums[j].forward(incoming);
            if (incoming.size() > 1) {
                // the sum is a buffer of its own: the edges' outputs are dead (their backward reads their inputs)
                for (int e = 0; e < EDGES.length; e++) {
                    if (EDGES[e][1] == j) {
                        edges[e].releaseOutput(pool);
                    }
                }
            }
        }
        return nodes[3];
    }

    @Override
    public INDArray backward(INDArray gy) {
        // last pass's edge gradients are dead: releasing (nothing, after the first pass) also tells every gradient
        // buffer to take its arrays from the pool, which a buffer does only once it has been released
        releaseGradients();
        reluGradientOfNode0 = null;
        java.util.Arrays.fill(edgeGradients, null);
        List<List<INDArray>> contributions = new ArrayList<>();
        List<List<INDArray>> reluContributions = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            contributions.add(new ArrayList<>(3));
            reluContributions.add(new ArrayList<>(3));
        }
        contributions.get(3).add(gy);
        for (int j = 3; j >= 0; j--) {
            if (!reluContributions.get(j).isEmpty()) {
                // d ReLU(x) / dx is a 0/1 mask, so one ReLU backward of the summed gradients of all ReLU-conv-BN
                // ops on this node equals the sum of their separate ReLU backwards
                INDArray gRelu = reluGradientSums[j].forward(reluContributions.get(j));
                INDArray g = nodeRelus[j].backward(gRelu);
                contributions.get(j).add(g);
                if (j == 0) {
                    reluGradientOfNode0 = g;
                }
            }
            if (j == 0) {
                break;
            }
            INDArray gradNode = gradientSums[j].forward(contributions.get(j));
            for (int e = EDGES.length - 1; e >= 0; e--) {
                if (EDGES[e][1] == j) {
                    int i = EDGES[e][0];
                    INDArray g = edges[e].backward(gradNode);
                    edgeGradients[e] = g;
                    if (g != null) {
                        contributions.get(i).add(g);
                    }
                    if (edges[e].reluGradient() != null) {
                        reluContributions.get(i).add(edges[e].reluGradient());
                    }
                }
            }
        }
        INDArray gx = gradientSums[0].forward(contributions.get(0));
        if (contributions.get(0).size() > 1) {
            // gx is the sum's own buffer, so no edge or ReLU gradient is alive any more
            releaseGradients();
            releaseAll(null);
        } else {
            // gx is the buffer of one edge or of node 0's ReLU: keep that layer's buffers, pool all others
            Layer owner = gx == reluGradientOfNode0 ? nodeRelus[0] : null;
            for (int e = 0; e < EDGES.length && owner == null; e++) {
                if (EDGES[e][0] == 0 && gx == edgeGradients[e]) {
                    owner = edges[e];
                }
            }
            if (owner != null) {
                releaseAll(owner);
            }
        }
        return gx;
    }

    /** Pools the buffers of the candidates the current pass does not run (after the policy's beginPass). */
    void releaseUnusedCandidates() {
        boolean[] reluUsed = new boolean[3];
        for (int e = 0; e < EDGES.length; e++) {
            edges[e].releaseUnusedCandidates();
            reluUsed[EDGES[e][0]] |= edges[e].needsReluInput();
        }
        for (int j = 0; j < 3; j++) {
            if (!reluUsed[j]) {
                nodeRelus[j].releaseBuffers(pool);
            }
        }
    }

    /**
     * Hands every activation and gradient buffer of the cell except {@code gradientSums[0]} and {@code keep} (the
     * owners of the cell's input gradient, which the caller still reads) to the pool: after the cell's backward pass nothing of it is alive,
     * so the next cell's backward and the next step's forward reuse these arrays, and the pool holds about one
     * step's need instead of the union over all architectures drawn so far.
     */
    private void releaseAll(Layer keep) {
        for (SupernetEdge edge : edges) {
            if (edge != keep) {
                edge.releaseBuffers(pool);
            }
        }
        for (int j = 0; j < 4; j++) {
            nodeSums[j].releaseBuffers(pool);
            if (j > 0) {
                gradientSums[j].releaseBuffers(pool);
            }
        }
        for (int j = 0; j < 3; j++) {
            if (nodeRelus[j] != keep) {
                nodeRelus[j].releaseBuffers(pool);
            }
            reluGradientSums[j].releaseBuffers(pool);
        }
    }

    private void releaseGradients() {
        for (SupernetEdge edge : edges) {
            edge.releaseGradientBuffers(pool);
        }
        for (int j = 0; j < 3; j++) {
            nodeRelus[j].releaseGradientBuffers(pool);
            reluGradientSums[j].releaseBuffers(pool);
        }
    }
}
