package org.nas4j.spaces.mobile;

import static org.nas4j.core.config.Require.atLeast;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.MobileOps;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;

/**
 * ProxylessNAS' search space: a MobileNetV2 backbone (first convolution, a fixed 3x3 MBConv block of expansion 1,
 * stages of searchable layers, a 1x1 feature-mix convolution, global pooling and a linear classifier) whose
 * searchable layers each choose an MBConv block of kernel 3, 5 or 7 and expansion 3 or 6, or {@code zero} (the layer
 * skipped) where the block has an identity shortcut: stride 1 and as many channels in as out. The layers are named
 * {@code layer1}, {@code layer2}, ... in network order.
 *
 * <p>{@link #imagenet()} has the sizes of the reference's ImageNet search ({@code imagenet_arch_search.py} of
 * mit-han-lab/proxylessnas: width stages 24, 40, 80, 96, 192, 320; 4, 4, 4, 4, 4, 1 layers; strides 2, 2, 2, 1, 2,
 * 1; first convolution 32, first block 16, feature mix 1280; 224x224 inputs, 1000 classes): 21 searchable layers,
 * 6 or 7 candidates each. {@link #small()} is a narrow, shallow version for 28x28 or 32x32 inputs that trains on
 * a CPU. Other sizes through {@link #builder()}; immutable builders, validated setters.
 *
 * <pre>{@code
 * ComposedSpace space = ProxylessSpace.imagenet();
 * ComposedSpace cifar = ProxylessSpace.small().input(3, 32, 32).build();
 * }</pre>
 */
public final class ProxylessSpace {

    /** The searchable ops of every layer, in the reference's order ({@code 3x3_MBConv3} ... {@code 7x7_MBConv6}). */
    public static final List<String> CANDIDATES = List.of(MobileOps.mbConvName(3, 3), MobileOps.mbConvName(3, 6),
            MobileOps.mbConvName(5, 3), MobileOps.mbConvName(5, 6), MobileOps.mbConvName(7, 3),
            MobileOps.mbConvName(7, 6));
    /** The op of a skipped layer. */
    public static final String ZERO = "zero";

    /**
     * One stage of searchable layers.
     *
     * @param width  output channels of every layer, >= 1
     * @param layers number of layers, >= 1
     * @param stride stride of the first layer (the others have 1), 1 or 2
     */
    public record Stage(int width, int layers, int stride) {
        public Stage {
            if (width < 1) {
                throw new IllegalArgumentException("stage width must be >= 1, but was " + width);
            }
            if (layers < 1) {
                throw new IllegalArgumentException("stage layers must be >= 1, but was " + layers);
            }
            if (stride != 1 && stride != 2) {
                throw new IllegalArgumentException("stage stride must be 1 or 2, but was " + stride);
            }
        }
    }

    private ProxylessSpace() {
    }

    /** A builder with the reference's ImageNet sizes (see the class comment). */
    public static Builder builder() {
        return new Builder("proxyless", 3, 224, 224, 1000, 32, 2, 16,
                List.of(new Stage(24, 4, 2), new Stage(40, 4, 2), new Stage(80, 4, 2), new Stage(96, 4, 1),
                        new Stage(192, 4, 2), new Stage(320, 1, 1)), 1280);
    }

    /** The reference's ImageNet search space. */
    public static ComposedSpace imagenet() {
        return builder().build();
    }

    /**
     * A builder of the small space: 1x28x28 inputs (change with {@link Builder#input}), 10 classes, first
     * convolution 16 at stride 1, first block 8, stages 16 x 2 (stride 2), 24 x 2 (stride 2), 32 x 2, 48 x 1,
     * feature mix 256: 7 searchable layers, 3 of which may be skipped.
     */
    public static Builder small() {
        return new Builder("proxyless-small", 1, 28, 28, 10, 16, 1, 8,
                List.of(new Stage(16, 2, 2), new Stage(24, 2, 2), new Stage(32, 2, 1), new Stage(48, 1, 1)), 256);
    }

    /** The sizes of a ProxylessNAS network; immutable, every setter returns a validated copy. */
    public static final class Builder {
        private final String name;
        private final int channels;
        private final int height;
        private final int width;
        private final int classes;
        private final int firstConv;
        private final int firstStride;
        private final int firstBlock;
        private final List<Stage> stages;
        private final int featureMix;

        private Builder(String name, int channels, int height, int width, int classes, int firstConv,
                int firstStride, int firstBlock, List<Stage> stages, int featureMix) {
            this.name = name;
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.classes = classes;
            this.firstConv = firstConv;
            this.firstStride = firstStride;
            this.firstBlock = firstBlock;
            this.stages = List.copyOf(stages);
            this.featureMix = featureMix;
        }

        /** The space's name. Default {@code proxyless} ({@code proxyless-small} for {@link #small()}). */
        public Builder name(String spaceName) {
            if (spaceName == null || spaceName.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, but was '" + spaceName + "'");
            }
            return new Builder(spaceName, channels, height, width, classes, firstConv, firstStride, firstBlock,
                    stages, featureMix);
        }

        /** One sample's shape. Default 3x224x224 (1x28x28 for {@link #small()}). */
        public Builder input(int inputChannels, int inputHeight, int inputWidth) {
            atLeast("input channels", inputChannels, 1);
            atLeast("input height", inputHeight, 1);
            atLeast("input width", inputWidth, 1);
            return new Builder(name, inputChannels, inputHeight, inputWidth, classes, firstConv, firstStride,
                    firstBlock, stages, featureMix);
        }

        /** The number of classes, >= 2. Default 1000 (10 for {@link #small()}). */
        public Builder classes(int classCount) {
            if (classCount < 2) {
                throw new IllegalArgumentException("classes must be >= 2, but was " + classCount);
            }
            return new Builder(name, channels, height, width, classCount, firstConv, firstStride, firstBlock,
                    stages, featureMix);
        }

        /** The first convolution's width and stride (1 or 2). Default 32, stride 2. */
        public Builder firstConv(int convWidth, int stride) {
            atLeast("firstConv width", convWidth, 1);
            if (stride != 1 && stride != 2) {
                throw new IllegalArgumentException("firstConv stride must be 1 or 2, but was " + stride);
            }
            return new Builder(name, channels, height, width, classes, convWidth, stride, firstBlock, stages,
                    featureMix);
        }

        /** The width of the fixed 3x3 MBConv block of expansion 1 after the first convolution. Default 16. */
        public Builder firstBlock(int blockWidth) {
            atLeast("firstBlock width", blockWidth, 1);
            return new Builder(name, channels, height, width, classes, firstConv, firstStride, blockWidth, stages,
                    featureMix);
        }

        /** The stages of searchable layers, at least one. Default the reference's six. */
        public Builder stages(List<Stage> stageList) {
            if (stageList == null || stageList.isEmpty()) {
                throw new IllegalArgumentException("stages must hold at least one stage, but was " + stageList);
            }
            return new Builder(name, channels, height, width, classes, firstConv, firstStride, firstBlock, stageList,
                    featureMix);
        }

        /** The width of the 1x1 feature-mix convolution before the pooling. Default 1280. */
        public Builder featureMix(int mixWidth) {
            atLeast("featureMix width", mixWidth, 1);
            return new Builder(name, channels, height, width, classes, firstConv, firstStride, firstBlock, stages,
                    mixWidth);
        }

        /** The number of searchable layers. */
        public int layers() {
            return stages.stream().mapToInt(Stage::layers).sum();
        }

        /** The space. */
        public ComposedSpace build() {
            SpaceBuilder b = SpaceBuilder.create(name).input(channels, height, width).classes(classes)
                    .layer("first_conv", "conv_bn_relu6_3x3", Width.of(firstConv), firstStride)
                    .layer("first_block", MobileOps.mbConvName(3, 1), Width.of(firstBlock));
            int in = firstBlock;
            int layer = 1;
            for (Stage stage : stages) {
                for (int i = 0; i < stage.layers(); i++) {
                    int stride = i == 0 ? stage.stride() : 1;
                    List<String> ops = new ArrayList<>(CANDIDATES);
                    if (stride == 1 && in == stage.width()) {
                        ops.add(ZERO);
                    }
                    b.choice("layer" + layer, ops, Width.of(stage.width()), stride);
                    in = stage.width();
                    layer++;
                }
            }
            return b.layer("feature_mix", "conv_bn_relu6_1x1", Width.of(featureMix)).head("pool_linear").build();
        }
    }
}
