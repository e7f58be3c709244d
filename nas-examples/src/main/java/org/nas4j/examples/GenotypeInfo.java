package org.nas4j.examples;

import java.io.PrintStream;
import java.util.List;
import org.nas4j.spaces.darts.CellType;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.Genotype;
import org.nas4j.spaces.darts.Genotypes;

/**
 * Prints the parameter and multiply-add counts of the DARTS evaluation network built from a genotype, and its
 * cells as text.
 *
 * <pre>
 * GenotypeInfo GENOTYPE_NAME_OR_TEXT [--channels C] [--layers L] [--auxiliary] [--imagenet]
 *
 * mvn -q -pl nas-examples exec:java -Dexec.mainClass=org.nas4j.examples.GenotypeInfo -Dexec.args="DARTS_V2"
 * params=3349342 flops=528359040
 * </pre>
 *
 * <p>{@code params} counts every trainable parameter of the network as built (the auxiliary head included with
 * {@code --auxiliary}); {@code flops} is the multiply-adds of one inference pass (no auxiliary head).
 */
public final class GenotypeInfo {
    private static final String USAGE = "usage: GenotypeInfo GENOTYPE_NAME_OR_TEXT [--channels C] [--layers L]"
            + " [--auxiliary] [--imagenet]\n  names: " + Genotypes.names();

    private GenotypeInfo() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the program; returns the exit code (0, or 2 for bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String genotypeArg = null;
        Integer channels = null;
        Integer layers = null;
        boolean auxiliary = false;
        boolean imagenet = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--channels" -> channels = intArg(args, ++i, "--channels");
                    case "--layers" -> layers = intArg(args, ++i, "--layers");
                    case "--auxiliary" -> auxiliary = true;
                    case "--imagenet" -> imagenet = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                        }
                        if (genotypeArg != null) {
                            throw new IllegalArgumentException("only one genotype may be given, but got '"
                                    + genotypeArg + "' and '" + args[i] + "'");
                        }
                        genotypeArg = args[i];
                    }
                }
            }
            if (genotypeArg == null) {
                throw new IllegalArgumentException("a genotype name or text is required");
            }
            Genotype genotype = Genotypes.resolve(genotypeArg);
            DartsCostModel.Builder b = imagenet ? DartsCostModel.imagenet(genotype) : DartsCostModel.cifar(genotype);
            if (channels != null) {
                b.channels(channels);
            }
            if (layers != null) {
                b.layers(layers);
            }
            DartsCostModel net = b.auxiliary(auxiliary).build();
            print(net, out);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static int intArg(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        try {
            return Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, but was '" + args[i] + "'");
        }
    }

    static void print(DartsCostModel net, PrintStream out) {
        out.println("params=" + net.parameters() + " flops=" + net.multiplyAdds());
        out.println("network: " + net.variant() + " C=" + net.channels() + " layers=" + net.layers() + " auxiliary="
                + net.auxiliary() + " classes=" + net.numClasses() + " input=" + net.inputSize() + "x"
                + net.inputSize() + " params_without_auxiliary=" + net.parametersWithoutAuxiliary());
        Genotype g = net.genotype();
        out.println(g);
        for (CellType type : CellType.values()) {
            out.println(type.label() + " cell:");
            List<Genotype.Pair> pairs = g.pairs(type);
            for (int p = 0; p < pairs.size(); p += 2) {
                out.println("  node " + (2 + p / 2) + " = " + term(pairs.get(p)) + " + " + term(pairs.get(p + 1)));
            }
            out.println("  output = concat" + g.concat(type));
        }
    }

    private static String term(Genotype.Pair p) {
        return p.op() + "(" + p.input() + ")";
    }
}
