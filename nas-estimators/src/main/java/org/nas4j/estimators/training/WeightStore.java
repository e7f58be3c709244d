package org.nas4j.estimators.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The trained weights of finished trials, one file per trial ({@code trial-<id>.weights}) in a directory that the
 * user gives and that belongs to one search (put it next to the search's journal). A trial's file is written
 * (atomically: a temporary file, then a rename) before its evaluation returns, so before the strategy hears of the
 * trial and can name it as a parent: a child always finds the weights of a parent that trained, whatever the thread
 * timing, and a resumed search finds those written before the kill. Thread-safe (each trial writes its own file).
 *
 * <p>Cost: one file per trained trial, of 4 bytes per trainable value for float networks (8 for double ones) plus
 * 16 bytes per batch-norm channel and the names; nothing is deleted, so a search of {@code T} trials of networks
 * with {@code P} parameters keeps about {@code 4 P T} bytes (NAS-Bench-201 at C=16, N=5: 73,306 to 1,531,546
 * parameters, files of 0.3 to 6.2 MB). Only one parent's weights are in memory at a time, while its child is
 * initialised.
 *
 * <pre>{@code
 * WeightStore store = WeightStore.in(Path.of("runs/lse/weights"));
 * store.save(7, trainedNetwork);
 * Optional<TrainedWeights> parent = store.load(7);
 * }</pre>
 */
public final class WeightStore {

    private static final int MAGIC = 0x4E344A57;   // "N4JW"
    private static final int VERSION = 1;
    private static final byte FLOAT32 = 'F';
    private static final byte FLOAT64 = 'D';

    private final Path directory;

    private WeightStore(Path directory) {
        this.directory = directory;
    }

    /** A store in {@code directory}, created on the first save if it does not exist. */
    public static WeightStore in(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("weight store directory must be a directory, but " + directory
                    + " is a file");
        }
        return new WeightStore(directory);
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    /** The file that holds (or would hold) the weights of trial {@code trialId}. */
    public Path file(int trialId) {
        if (trialId < 0) {
            throw new IllegalArgumentException("trialId must be >= 0, but was " + trialId);
        }
        return directory.resolve("trial-" + trialId + ".weights");
    }

    /** Writes the current weights and batch-norm statistics of {@code network} as those of trial {@code trialId}. */
    public void save(int trialId, TrainableNetwork network) {
        TrainedWeights w = TrainedWeights.of(network);
        boolean narrow = network.parameters().dataType() != DataType.DOUBLE;
        Path target = file(trialId);
        Path temporary = directory.resolve(target.getFileName() + ".tmp-" + Thread.currentThread().getId());
        try {
            Files.createDirectories(directory);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary),
                    1 << 16))) {
                write(out, trialId, w, narrow);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the weights of trial " + trialId + " to " + target, e);
        }
    }

    /** The weights of trial {@code trialId}, or empty if it has no file (it failed, or was never trained here). */
    public Optional<TrainedWeights> load(int trialId) {
        Path f = file(trialId);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
            return Optional.of(read(in, trialId, f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the weights of trial " + trialId + " from " + f, e);
        }
    }

    private static void write(DataOutputStream out, int trialId, TrainedWeights w, boolean narrow)
            throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(trialId);
        out.writeByte(narrow ? FLOAT32 : FLOAT64);
        out.writeInt(w.parameters().size());
        for (Map.Entry<String, TrainedWeights.NamedArray> p : w.parameters().entrySet()) {
            out.writeUTF(p.getKey());
            long[] shape = p.getValue().shape();
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            for (double v : p.getValue().values()) {
                if (narrow) {
                    out.writeFloat((float) v);
                } else {
                    out.writeDouble(v);
                }
            }
        }
        out.writeInt(w.states().size());
        for (Map.Entry<String, double[]> s : w.states().entrySet()) {
            out.writeUTF(s.getKey());
            out.writeInt(s.getValue().length);
            for (double v : s.getValue()) {
                out.writeDouble(v);
            }
        }
    }

    private static TrainedWeights read(DataInputStream in, int trialId, Path f) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException(f + " is not a nas4j weight file");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException(f + " has format version " + version + ", but this nas4j reads " + VERSION);
        }
        int id = in.readInt();
        if (id != trialId) {
            throw new IOException(f + " holds the weights of trial " + id + ", not " + trialId);
        }
        boolean narrow = in.readByte() == FLOAT32;
        int count = in.readInt();
        Map<String, TrainedWeights.NamedArray> parameters = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            long[] shape = new long[in.readInt()];
            long length = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                length = Math.multiplyExact(length, shape[d]);
            }
            double[] values = new double[Math.toIntExact(length)];
            for (int k = 0; k < values.length; k++) {
                values[k] = narrow ? in.readFloat() : in.readDouble();
            }
            parameters.put(name, new TrainedWeights.NamedArray(shape, values));
        }
        int states = in.readInt();
        Map<String, double[]> state = new LinkedHashMap<>();
        for (int i = 0; i < states; i++) {
            String name = in.readUTF();
            double[] values = new double[in.readInt()];
            for (int k = 0; k < values.length; k++) {
                values[k] = in.readDouble();
            }
            state.put(name, values);
        }
        return new TrainedWeights(parameters, state);
    }
}
