package org.nas4j.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.Genotype;
import org.nas4j.spaces.darts.Genotypes;
import org.nas4j.spaces.mobile.ProxylessNets;
import org.nas4j.spaces.mobile.PublishedNetwork;
import org.nas4j.spaces.mobile.SposNets;

/**
 * Prints the parameter and multiply-add counts of a named published architecture of any space: the ProxylessNAS
 * networks ({@code proxyless-gpu}, {@code proxyless-cpu}, {@code proxyless-mobile}), the SPOS searched network
 * ({@code spos}) and the DARTS-family genotypes
 * (names or genotype text, as {@link GenotypeInfo}, whose options it accepts too).
 *
 * <pre>
 * ArchitectureInfo NAME [--classes N] [--resolution R] [--channels C] [--layers L] [--auxiliary] [--imagenet]
 *
 * mvn -q -pl nas-examples exec:java -Dexec.mainClass=org.nas4j.examples.ArchitectureInfo -Dexec.args="proxyless-gpu"
 * params=7119848 flops=465260160
 * </pre>
 *
 * <p>{@code --classes} and {@code --resolution} default to the network's own (1000 and 224 for ProxylessNAS and SPOS, the
 * CIFAR or ImageNet network's for a genotype); {@code --channels}, {@code --layers}, {@code --auxiliary} and
 * {@code --imagenet} apply to genotypes only.
 */
public final class ArchitectureInfo {
    private static final String USAGE = "usage: ArchitectureInfo NAME [--classes N] [--resolution R] [--channels C]"
            + " [--layers L] [--auxiliary] [--imagenet]\n  names: " + names();

    private ArchitectureInfo() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the program; returns the exit code (0, or 2 for bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String name = null;
        Integer classes = null;
        Integer resolution = null;
        List<String> genotypeOptions = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--classes" -> classes = intArg(args, ++i, "--classes");
                    case "--resolution" -> resolution = intArg(args, ++i, "--resolution");
                    case "--channels", "--layers" -> {
                        genotypeOptions.add(args[i]);
                        genotypeOptions.add(Integer.toString(intArg(args, i + 1, args[i])));
                        i++;
                    }
                    case "--auxiliary", "--imagenet" -> genotypeOptions.add(args[i]);
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                        }
                        if (name != null) {
                            throw new IllegalArgumentException("only one architecture may be given, but got '"
                                    + name + "' and '" + args[i] + "'");
                        }
                        name = args[i];
                    }
                }
            }
            if (name == null) {
                throw new IllegalArgumentException("an architecture name is required");
            }
            String key = name.toLowerCase(Locale.ROOT);
            if (ProxylessNets.NAMES.contains(key) || key.equals(SposNets.NAME)) {
                if (!genotypeOptions.isEmpty()) {
                    throw new IllegalArgumentException(genotypeOptions.get(0) + " applies to DARTS genotypes only,"
                            + " not to '" + name + "'");
                }
                int n = classes == null ? 1000 : classes;
                int r = resolution == null ? 224 : resolution;
                printChain(key.equals(SposNets.NAME) ? SposNets.searched(n, r) : ProxylessNets.byName(name, n, r),
                        out);
                return 0;
            }
            printGenotype(name, classes, resolution, genotypeOptions, out);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(ProxylessNets.NAMES);
        names.add(SposNets.NAME);
        names.addAll(Genotypes.names());
        return names;
    }

    private static void printChain(PublishedNetwork net, PrintStream out) {
        out.println("params=" + net.parameters() + " flops=" + net.multiplyAdds());
        out.println("network: " + net.name() + " classes=" + net.space().classes() + " input="
                + net.space().inputShape());
        out.println(net.space().format(net.architecture()));
        NetworkPlan plan = net.space().plan(net.architecture());
        for (NetworkPlan.Step step : plan.steps()) {
            if (step instanceof NetworkPlan.LayerStep l) {
                out.println("  " + l.name() + ": " + l.op() + " " + l.input() + " -> " + l.output() + " stride "
                        + l.stride() + " params=" + l.parameters() + " flops=" + l.multiplyAdds());
            }
        }
    }

    private static void printGenotype(String name, Integer classes, Integer resolution, List<String> options,
            PrintStream out) {
        Genotype genotype;
        try {
            genotype = Genotypes.resolve(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown architecture '" + name + "' (" + e.getMessage() + ")");
        }
        DartsCostModel.Builder b = options.contains("--imagenet") ? DartsCostModel.imagenet(genotype)
                : DartsCostModel.cifar(genotype);
        int channels = options.indexOf("--channels");
        if (channels >= 0) {
            b.channels(Integer.parseInt(options.get(channels + 1)));
        }
        int layers = options.indexOf("--layers");
        if (layers >= 0) {
            b.layers(Integer.parseInt(options.get(layers + 1)));
        }
        if (classes != null) {
            b.numClasses(classes);
        }
        if (resolution != null) {
            b.inputSize(resolution);
        }
        GenotypeInfo.print(b.auxiliary(options.contains("--auxiliary")).build(), out);
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
}
