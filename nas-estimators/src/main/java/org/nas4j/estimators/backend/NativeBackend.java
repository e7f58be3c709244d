package org.nas4j.estimators.backend;

import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says which ND4J backend and which native binary are in use, e.g. {@code CpuBackend, binary
 * linux-x86_64-onednn-avx2}. nas4j's examples and tests declare exactly one CPU binary, the oneDNN AVX2 one, which
 * was measured fastest on x86-64 (the generic binary is 20-30x slower for convolutions).
 */
public final class NativeBackend {
    private static final Logger LOG = LoggerFactory.getLogger(NativeBackend.class);

    private NativeBackend() {
    }

    /** The backend class's simple name, e.g. {@code CpuBackend} or {@code JCublasBackend}. Loads ND4J. */
    public static String backend() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }

    /**
     * The platform directory of the loaded libnd4j binary, e.g. {@code linux-x86_64-onednn-avx2}; "unknown" when
     * it cannot be told. Loads ND4J.
     */
    public static String binary() {
        Nd4j.getBackend();
        for (Map.Entry<String, String> lib : Loader.getLoadedLibraries().entrySet()) {
            String name = lib.getKey();
            if (name.equals("nd4jcpu") || name.equals("nd4jcuda")) {
                String path = lib.getValue().replace('\\', '/');
                int bindings = path.indexOf("/bindings/");
                if (bindings >= 0) {
                    int end = path.indexOf('/', bindings + "/bindings/".length());
                    if (end > 0) {
                        return path.substring(bindings + "/bindings/".length(), end);
                    }
                }
                return path;
            }
        }
        return "unknown";
    }

    /** A one-line description, also logged at INFO: backend, binary, threads. */
    public static String describe() {
        String d = backend() + ", binary " + binary() + ", omp.threads "
                + Nd4j.getExecutioner().getEnvironmentInformation().get("omp.threads");
        LOG.info("ND4J: {}", d);
        return d;
    }
}
