package org.nas4j.spaces.mobile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.mobile.ProxylessSpace.Stage;

/**
 * The networks ProxylessNAS published for ImageNet, searched for a GPU, a CPU and a mobile phone, each a member of
 * a {@link ProxylessSpace} with its own widths. At 1000 classes and 224x224 they have the reference
 * implementation's parameter counts (GPU 7,119,848; CPU 4,361,648; mobile 4,080,512) and multiply-adds (465.3M,
 * 439.2M, 320.4M as its logs print them); docs/spaces/mobile.md says where each layer comes from.
 *
 * <pre>{@code
 * PublishedNetwork cpu = ProxylessNets.byName("proxyless-cpu");
 * PublishedNetwork cifar = ProxylessNets.byName("proxyless-mobile", 10, 32);   // 10 classes, 32x32 inputs
 * }</pre>
 */
public final class ProxylessNets {

    /** The names {@link #byName} knows. */
    public static final List<String> NAMES = List.of("proxyless-gpu", "proxyless-cpu", "proxyless-mobile");

    private static final List<Integer> LAYERS = List.of(4, 4, 4, 4, 4, 1);
    private static final List<Integer> STRIDES = List.of(2, 2, 2, 1, 2, 1);

    private ProxylessNets() {
    }

    /** The network {@code name} (case-insensitive) at 1000 classes and 224x224. */
    public static PublishedNetwork byName(String name) {
        return byName(name, 1000, 224);
    }

    /**
     * The network {@code name} (case-insensitive) for {@code classes} classes and {@code resolution} x
     * {@code resolution} RGB inputs; an exception listing {@link #NAMES} for an unknown name.
     */
    public static PublishedNetwork byName(String name, int classes, int resolution) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "proxyless-gpu" -> gpu(classes, resolution);
            case "proxyless-cpu" -> cpu(classes, resolution);
            case "proxyless-mobile" -> mobile(classes, resolution);
            default -> throw new IllegalArgumentException("unknown ProxylessNAS network '" + name + "'; known: "
                    + NAMES);
        };
    }

    /** ProxylessNAS-GPU. */
    public static PublishedNetwork gpu(int classes, int resolution) {
        return network("proxyless-gpu", classes, resolution, 40, 24, List.of(32, 56, 112, 128, 256, 432), 1728,
                "5x5_e3 zero zero zero 7x7_e3 zero zero 3x3_e3 7x7_e6 zero zero 5x5_e3 5x5_e6 zero 3x3_e3 5x5_e3"
                        + " 7x7_e6 7x7_e6 7x7_e6 5x5_e6 7x7_e6");
    }

    /** ProxylessNAS-CPU. */
    public static PublishedNetwork cpu(int classes, int resolution) {
        return network("proxyless-cpu", classes, resolution, 40, 24, List.of(32, 48, 88, 104, 216, 360), 1432,
                "3x3_e6 3x3_e3 3x3_e3 3x3_e3 3x3_e6 3x3_e3 3x3_e3 5x5_e3 3x3_e6 zero zero 3x3_e3 5x5_e6 3x3_e3"
                        + " 3x3_e3 3x3_e3 5x5_e6 5x5_e3 5x5_e3 3x3_e3 5x5_e6");
    }

    /** ProxylessNAS-Mobile. */
    public static PublishedNetwork mobile(int classes, int resolution) {
        return network("proxyless-mobile", classes, resolution, 32, 16, List.of(32, 40, 80, 96, 192, 320), 1280,
                "5x5_e3 3x3_e3 zero zero 7x7_e3 3x3_e3 5x5_e3 5x5_e3 7x7_e6 5x5_e3 5x5_e3 5x5_e3 5x5_e6 5x5_e3"
                        + " 5x5_e3 5x5_e3 7x7_e6 7x7_e6 7x7_e3 7x7_e3 7x7_e6");
    }

    /** {@code layers}: one entry per searchable layer, {@code zero} or {@code <k>x<k>_e<e>}. */
    private static PublishedNetwork network(String name, int classes, int resolution, int firstConv, int firstBlock,
            List<Integer> widths, int featureMix, String layers) {
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be >= 1, but was " + resolution);
        }
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < widths.size(); i++) {
            stages.add(new Stage(widths.get(i), LAYERS.get(i), STRIDES.get(i)));
        }
        ComposedSpace space = ProxylessSpace.builder().name(name).input(3, resolution, resolution).classes(classes)
                .firstConv(firstConv, 2).firstBlock(firstBlock).stages(stages).featureMix(featureMix).build();
        StringBuilder text = new StringBuilder();
        String[] ops = layers.split(" ");
        for (int i = 0; i < ops.length; i++) {
            String op = ops[i].equals(ProxylessSpace.ZERO) ? ops[i] : "mbconv_" + ops[i];
            text.append(i == 0 ? "" : "; ").append("layer").append(i + 1).append('=').append(op);
        }
        Architecture architecture = space.parse(text.toString());
        return new PublishedNetwork(name, space, architecture);
    }
}
