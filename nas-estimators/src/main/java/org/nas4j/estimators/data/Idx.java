package org.nas4j.estimators.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (gzipped or not): unsigned-byte images scaled to [0, 1] and
 * unsigned-byte labels.
 */
public final class Idx {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private Idx() {
    }

    /** Images and labels as a dataset with one channel and {@code classes} classes. */
    public static ImageDataset read(InputStream images, InputStream labels, String source, int classes)
            throws IOException {
        try (DataInputStream img = new DataInputStream(maybeGunzip(images));
             DataInputStream lab = new DataInputStream(maybeGunzip(labels))) {
            int magic = img.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IllegalArgumentException(source + ": images must start with the IDX magic 0x803, but "
                        + "started with 0x" + Integer.toHexString(magic));
            }
            int n = img.readInt();
            int rows = img.readInt();
            int cols = img.readInt();
            int labelMagic = lab.readInt();
            if (labelMagic != LABELS_MAGIC) {
                throw new IllegalArgumentException(source + ": labels must start with the IDX magic 0x801, but "
                        + "started with 0x" + Integer.toHexString(labelMagic));
            }
            int nl = lab.readInt();
            if (nl != n) {
                throw new IllegalArgumentException(source + ": " + n + " images but " + nl + " labels");
            }
            byte[] pixels = new byte[n * rows * cols];
            byte[] rawLabels = new byte[n];
            try {
                img.readFully(pixels);
                lab.readFully(rawLabels);
            } catch (EOFException e) {
                throw new IllegalArgumentException(source + ": the file is shorter than its header says (" + n
                        + " samples of " + rows + "x" + cols + ")", e);
            }
            float[] values = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                values[i] = (pixels[i] & 0xff) / 255f;
            }
            int[] labelsOut = new int[n];
            for (int i = 0; i < n; i++) {
                labelsOut[i] = rawLabels[i] & 0xff;
            }
            return new ImageDataset(values, labelsOut, 1, rows, cols, classes);
        }
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        PushbackInputStream p = new PushbackInputStream(in, 2);
        int b0 = p.read();
        int b1 = p.read();
        if (b1 >= 0) {
            p.unread(b1);
        }
        if (b0 >= 0) {
            p.unread(b0);
        }
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(p) : p;
    }
}
