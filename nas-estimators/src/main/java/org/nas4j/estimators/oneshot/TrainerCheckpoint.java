package org.nas4j.estimators.oneshot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The binary checkpoint of a one-shot trainer ({@link SupernetTrainer}, the recurrent cell's
 * {@code language.RecurrentSupernetTrainer}) at an epoch's or segment's end: a header (format, the trainer's
 * description, the epochs or segments done), the weights, the running statistics by name, the architecture weights,
 * both optimizers' states, and the caller's extra text. Written to a temporary file and moved over the old one, so a
 * kill during the write leaves the previous checkpoint whole.
 *
 * @param epochs                epochs (or segments) done
 * @param weightOptimizer       the weight optimizer's state
 * @param architectureOptimizer the architecture optimizer's state, null if none was saved
 * @param extra                 the caller's text
 */
public record TrainerCheckpoint(int epochs, Sgd.State weightOptimizer, Adam.State architectureOptimizer, String extra) {

    private static final String FORMAT = "nas4j-supernet-checkpoint-1";

    static void write(Path file, String description, int epochs, Supernet supernet, Sgd.State sgd,
            Adam.State adam, String extra) throws IOException {
        write(file, description, epochs, supernet.weights(), supernet.states(), supernet.architectureParameters(), sgd,
                adam, extra);
    }

    /**
     * Writes a checkpoint.
     *
     * @param file         where (its folder is made if missing)
     * @param description  the trainer's settings; {@link #read} refuses a checkpoint of another description
     * @param epochs       epochs or segments done
     * @param weights      the weights
     * @param states       running statistics (and any other state held as numbers) by name
     * @param architecture the architecture weights (may be empty)
     * @param sgd          the weight optimizer's state
     * @param adam         the architecture optimizer's state, or null
     * @param extra        the caller's text
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, String description, int epochs, ParameterSet weights,
            Map<String, double[]> states, ParameterSet architecture, Sgd.State sgd, Adam.State adam, String extra)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeUTF(FORMAT);
            writeString(out, description);
            out.writeInt(epochs);
            writeDoubles(out, weights.values().toDoubleVector());
            out.writeInt(states.size());
            for (Map.Entry<String, double[]> e : states.entrySet()) {
                out.writeUTF(e.getKey());
                writeDoubles(out, e.getValue());
            }
            writeDoubles(out, values(architecture));
            writeDoubles(out, sgd.velocity());
            out.writeLong(sgd.steps());
            out.writeBoolean(adam != null);
            if (adam != null) {
                writeDoubles(out, adam.firstMoment());
                writeDoubles(out, adam.secondMoment());
                out.writeInt(adam.updates().length);
                for (long u : adam.updates()) {
                    out.writeLong(u);
                }
                out.writeLong(adam.steps());
            }
            writeString(out, extra);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads {@code file} and writes its weights, statistics and architecture weights into {@code supernet}. */
    static TrainerCheckpoint read(Path file, String description, Supernet supernet) throws IOException {
        return read(file, description, supernet.weights(), supernet.states(), supernet.architectureParameters());
    }

    /**
     * Reads {@code file}, writes its weights and architecture weights into the given sets and its running
     * statistics into {@code states}' arrays (each name must be there, of the same length), and returns the rest.
     *
     * @throws IllegalArgumentException if the file is of another format, another trainer's description or sizes
     * @throws IOException              if the file cannot be read
     */
    public static TrainerCheckpoint read(Path file, String description, ParameterSet weights,
            Map<String, double[]> states, ParameterSet architecture) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String format = in.readUTF();
            if (!format.equals(FORMAT)) {
                throw new IllegalArgumentException("checkpoint " + file + " has format " + format + ", expected "
                        + FORMAT);
            }
            String written = readString(in);
            if (!written.equals(description)) {
                throw new IllegalArgumentException("checkpoint " + file + " was written by a different trainer: "
                        + written + ", but this one is " + description);
            }
            int epochs = in.readInt();
            assign(weights, readDoubles(in), "weights", file);
            Map<String, double[]> stats = states;
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                double[] v = readDoubles(in);
                double[] target = stats.get(name);
                if (target == null || target.length != v.length) {
                    throw new IllegalArgumentException("checkpoint " + file + " holds running statistic " + name
                            + " that this trainer does not have");
                }
                System.arraycopy(v, 0, target, 0, v.length);
            }
            assign(architecture, readDoubles(in), "architecture weights", file);
            Sgd.State sgd = new Sgd.State(readDoubles(in), in.readLong());
            Adam.State adam = null;
            if (in.readBoolean()) {
                double[] m = readDoubles(in);
                double[] v = readDoubles(in);
                long[] updates = new long[in.readInt()];
                for (int i = 0; i < updates.length; i++) {
                    updates[i] = in.readLong();
                }
                adam = new Adam.State(m, v, updates, in.readLong());
            }
            return new TrainerCheckpoint(epochs, sgd, adam, readString(in));
        }
    }

    private static double[] values(ParameterSet set) {
        return set.size() == 0 ? new double[0] : set.values().toDoubleVector();
    }

    private static void assign(ParameterSet set, double[] v, String what, Path file) {
        if (v.length != set.size()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + v.length + " " + what
                    + ", but this trainer has " + set.size());
        }
        if (v.length > 0) {
            set.values().assign(Nd4j.createFromArray(v).castTo(set.values().dataType()));
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) {
            out.writeDouble(d);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
