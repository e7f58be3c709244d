package org.nas4j.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.nas4j.spaces.darts.CellType;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.Genotype;
import org.nas4j.spaces.darts.Genotypes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code nas4j genotype}: prints the parameter and multiply-add counts of the DARTS evaluation network built from a
 * genotype, and its cells as text.
 *
 * <pre>
 * nas4j genotype GENOTYPE_NAME_OR_TEXT [--channels C] [--layers L] [--auxiliary] [--imagenet]
 *
 * java -jar nas-examples/target/nas4j.jar genotype DARTS_V2
 * mvn -q -pl nas-examples exec:java -Dexec.mainClass=org.nas4j.examples.GenotypeInfo -Dexec.args="DARTS_V2"
 * params=3349342 flops=528359040
 * </pre>
 *
 * <p>{@code params} counts every trainable parameter of the network as built (the auxiliary head included with
 * {@code --auxiliary}); {@code flops} is the multiply-adds of one inference pass (no auxiliary head).
 */
@Command(name = "genotype", mixinStandardHelpOptions = true,
        description = "Prints the parameter and multiply-add counts of the DARTS network of a genotype, and its cells.")
public final class GenotypeInfo implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "GENOTYPE", completionCandidates = Names.class,
            description = "a genotype name (${COMPLETION-CANDIDATES}) or a genotype's text")
    private String genotype;

    @CommandLine.Mixin
    private GenotypeNetworkOptions network;

    /** The genotype names, for the usage help. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Genotypes.names().iterator();
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
        return Nas4jCli.execute(new GenotypeInfo(), args, out, err);
    }

    @Override
    public Integer call() {
        Genotype g = Genotypes.resolve(genotype);
        print(network.costModel(g).build(), spec.commandLine().getOut());
        return 0;
    }

    static void print(DartsCostModel net, PrintWriter out) {
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
