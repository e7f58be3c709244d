package org.nas4j.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.Genotype;
import org.nas4j.spaces.darts.Genotypes;
import org.nas4j.spaces.mobile.ProxylessNets;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nas4j.spaces.mobile.PublishedNetwork;
import org.nas4j.spaces.mobile.SposNets;
import org.nas4j.spaces.recurrent.LanguageModelSize;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nas4j.spaces.recurrent.RecurrentGenotypes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nas4j architecture}: prints the parameter and multiply-add counts of a named published architecture of any
 * space: the ProxylessNAS networks ({@code proxyless-gpu}, {@code proxyless-cpu}, {@code proxyless-mobile}), the
 * SPOS searched network ({@code spos}), ENAS' published macro and micro networks ({@code enas-macro},
 * {@code enas-micro}, default 10 classes at 32x32), the DARTS-family genotypes (names or genotype text, as
 * {@link GenotypeInfo}, whose options it accepts too), and the recurrent cells ({@code darts-v1-rnn},
 * {@code darts-v2-rnn}, {@code enas-rnn}: their language model at the PTB sizes, {@code --classes} the vocabulary).
 *
 * <pre>
 * nas4j architecture NAME [--classes N] [--resolution R] [--channels C] [--layers L] [--auxiliary] [--imagenet]
 *
 * java -jar nas-examples/target/nas4j.jar architecture proxyless-gpu
 * mvn -q -pl nas-examples exec:java -Dexec.mainClass=org.nas4j.examples.ArchitectureInfo -Dexec.args="proxyless-gpu"
 * params=7119848 flops=465260160
 * </pre>
 *
 * <p>{@code --classes} and {@code --resolution} default to the network's own (1000 and 224 for ProxylessNAS and
 * SPOS, 10 and 32 for ENAS, the CIFAR or ImageNet network's for a genotype); {@code --channels}, {@code --layers},
 * {@code --auxiliary} and {@code --imagenet} apply to genotypes only.
 */
@Command(name = "architecture", mixinStandardHelpOptions = true,
        description = "Prints the parameter and multiply-add counts of a published architecture (ProxylessNAS, SPOS,"
                + " DARTS-family genotypes) and its layers or cells.")
public final class ArchitectureInfo implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME", completionCandidates = Names.class,
            description = "an architecture name (${COMPLETION-CANDIDATES}) or a genotype's text")
    private String name;

    @Option(names = "--classes", description = "classes; default the network's own")
    private Integer classes;

    @Option(names = "--resolution", description = "input image size; default the network's own")
    private Integer resolution;

    @CommandLine.Mixin
    private GenotypeNetworkOptions network;

    /** The architecture names, for the usage help. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return names().iterator();
        }
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the program; returns the exit code (0, or 2 for bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return Nas4jCli.execute(new ArchitectureInfo(), args, out, err);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals(EnasMacroSpace.NAME)) {
            rejectGenotypeOptions();
            printChain(EnasMacroSpace.published(classes == null ? 10 : classes, resolution == null ? 32 : resolution),
                    out);
            return 0;
        }
        if (key.equals(EnasMicroSpace.NAME)) {
            rejectGenotypeOptions();
            printChain(EnasMicroSpace.published(classes == null ? 10 : classes, resolution == null ? 32 : resolution),
                    out);
            return 0;
        }
        if (ProxylessNets.NAMES.contains(key) || key.equals(SposNets.NAME)) {
            rejectGenotypeOptions();
            int n = classes == null ? 1000 : classes;
            int r = resolution == null ? 224 : resolution;
            printChain(key.equals(SposNets.NAME) ? SposNets.searched(n, r) : ProxylessNets.byName(name, n, r), out);
            return 0;
        }
        if (RecurrentGenotypes.all().containsKey(key)) {
            printRecurrent(key, out);
            return 0;
        }
        printGenotype(out);
        return 0;
    }

    private void rejectGenotypeOptions() {
        String genotypeOnly = network.firstGiven();
        if (genotypeOnly != null) {
            throw new IllegalArgumentException(genotypeOnly + " applies to DARTS genotypes only, not to '" + name
                    + "'");
        }
    }

    /** A published recurrent cell's language model at the PTB sizes (vocabulary {@code --classes}, default 10,000). */
    private void printRecurrent(String key, PrintWriter out) {
        String other = resolution != null ? "--resolution" : network.firstGiven();
        if (other != null) {
            throw new IllegalArgumentException(other + " does not apply to the recurrent cell '" + name + "'");
        }
        RecurrentGenotype cell = RecurrentGenotypes.byName(key);
        LanguageModelSize size = new LanguageModelSize(classes == null ? LanguageModelSize.PTB.vocabulary()
                : classes, LanguageModelSize.PTB.embedding(), LanguageModelSize.PTB.hidden());
        out.println("params=" + size.parameters(cell.size()) + " flops=" + size.multiplyAddsPerToken(cell.size()));
        out.println("language model: vocabulary=" + size.vocabulary() + " embedding=" + size.embedding() + " hidden="
                + size.hidden() + " (multiply-adds per token)");
        out.println(cell);
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(ProxylessNets.NAMES);
        names.add(SposNets.NAME);
        names.add(EnasMacroSpace.NAME);
        names.add(EnasMicroSpace.NAME);
        names.addAll(Genotypes.names());
        names.addAll(RecurrentGenotypes.all().keySet());
        return names;
    }

    private static void printChain(PublishedNetwork net, PrintWriter out) {
        out.println("params=" + net.parameters() + " flops=" + net.multiplyAdds());
        out.println("network: " + net.name() + " classes=" + net.space().classes() + " input="
                + net.space().inputShape());
        out.println(net.space().format(net.architecture()));
        NetworkPlan plan = net.space().plan(net.architecture());
        for (NetworkPlan.Step step : plan.steps()) {
            if (step instanceof NetworkPlan.LayerStep l) {
                out.println("  " + l.name() + ": " + l.op() + " " + l.input() + " -> " + l.output() + " stride "
                        + l.stride() + " params=" + l.parameters() + " flops=" + l.multiplyAdds());
            } else if (step instanceof NetworkPlan.CellStep c && c.join()) {
                List<String> ops = new ArrayList<>();
                for (NetworkPlan.EdgeStep e : c.edges()) {
                    ops.add(e.op() + "~" + c.sources().get(e.from()));
                }
                out.println("  " + c.name() + ": " + String.join(" + ", ops) + " -> " + c.output() + " params="
                        + c.parameters() + " flops=" + c.multiplyAdds());
            }
        }
    }

    private void printGenotype(PrintWriter out) {
        Genotype genotype;
        try {
            genotype = Genotypes.resolve(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown architecture '" + name + "' (" + e.getMessage() + "); names: "
                    + names());
        }
        DartsCostModel.Builder b = network.costModel(genotype);
        if (classes != null) {
            b.numClasses(classes);
        }
        if (resolution != null) {
            b.inputSize(resolution);
        }
        GenotypeInfo.print(b.build(), out);
    }
}
