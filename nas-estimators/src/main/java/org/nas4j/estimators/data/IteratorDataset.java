package org.nas4j.estimators.data;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Reads any DL4J {@link DataSetIterator} (features [N,C,H,W] or [N,F], one-hot labels [N,K]) into memory. */
public final class IteratorDataset {
    private IteratorDataset() {
    }

    /** All batches of {@code iterator}, from its start. */
    public static ImageDataset read(DataSetIterator iterator) {
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        List<float[]> parts = new ArrayList<>();
        List<int[]> labelParts = new ArrayList<>();
        long[] shape = null;
        int classes = 0;
        int total = 0;
        while (iterator.hasNext()) {
            DataSet ds = iterator.next();
            INDArray f = ds.getFeatures();
            INDArray l = ds.getLabels();
            if (shape == null) {
                shape = f.shape();
                if (shape.length != 2 && shape.length != 4) {
                    throw new IllegalArgumentException("features must be [N,F] or [N,C,H,W], but had shape "
                            + java.util.Arrays.toString(shape));
                }
            }
            classes = (int) l.size(1);
            parts.add(f.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat());
            int[] y = l.argMax(1).toIntVector();
            labelParts.add(y);
            total += y.length;
        }
        if (shape == null) {
            throw new IllegalArgumentException("the iterator has no data");
        }
        int c = (int) shape[1];
        int h = shape.length == 4 ? (int) shape[2] : 1;
        int w = shape.length == 4 ? (int) shape[3] : 1;
        float[] values = new float[total * c * h * w];
        int[] labels = new int[total];
        int vo = 0;
        int lo = 0;
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i), 0, values, vo, parts.get(i).length);
            vo += parts.get(i).length;
            System.arraycopy(labelParts.get(i), 0, labels, lo, labelParts.get(i).length);
            lo += labelParts.get(i).length;
        }
        return new ImageDataset(values, labels, c, h, w, Math.max(2, classes));
    }
}
