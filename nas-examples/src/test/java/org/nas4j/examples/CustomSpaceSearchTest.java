package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;

class CustomSpaceSearchTest {

    @Test
    void searchesPrintsTheResultAndExports(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("best.zip");
        String out = capture("--trials", "3", "--steps", "2", "--final-steps", "2", "--parallelism", "1",
                "--export", model.toString());
        Matcher m = Pattern.compile("RESULT space=fashion-blocks best=(.*) params=(\\d+) valid_acc=([0-9.]+)")
                .matcher(out);
        assertTrue(m.find(), out);
        ComposedSpace space = CustomSpaceSearch.space();
        Architecture best = space.parse(m.group(1));
        assertEquals(space.parameters(best), Long.parseLong(m.group(2)));
        assertTrue(space.isValid(best));
        assertTrue(Files.isRegularFile(model), out);
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(model.toFile(), false);
        assertEquals(space.parameters(best), graph.numParams() - batchNormStatistics(graph));
    }

    private static long batchNormStatistics(ComputationGraph graph) {
        long n = 0;
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            for (var e : layer.paramTable().entrySet()) {
                if (e.getKey().equals("mean") || e.getKey().equals("var")) {
                    n += e.getValue().length();
                }
            }
        }
        return n;
    }

    private static String capture(String... args) throws Exception {
        return StandardOutput.of(() -> CustomSpaceSearch.main(args));
    }
}
