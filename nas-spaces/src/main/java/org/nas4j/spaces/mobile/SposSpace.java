package org.nas4j.spaces.mobile;

import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.ShuffleOps;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;

/**
 * Single Path One-Shot's search space: a ShuffleNetV2 backbone (3x3 convolution, BN, ReLU at stride 2; stages of
 * choice layers; 1x1 convolution, BN, ReLU; global pooling; linear without bias) whose layers {@code layer1},
 * {@code layer2}, ... each choose a block (Shuffle 3x3, 5x5, 7x7 or Xception, {@link ShuffleOps}) and, with the
 * channel search, a scale {@code scale1}, {@code scale2}, ... of the block's hidden width in 0.2 .. 1.6. The first
 * layer of each stage has stride 2.
 *
 * <p>{@link #imagenet()} has the sizes of the reference (megvii-model/ShuffleNet-Series, {@code OneShot/network.py}:
 * stem 16, stages 64 x 4, 160 x 4, 320 x 8, 640 x 4, last convolution 1024; 224x224 inputs, 1000 classes): 20
 * choice layers. {@link #small()} is a narrow version for 28x28 or 32x32 inputs. Its architectures compile to
 * trainable networks with {@code SpaceCompiler} (nas-estimators' {@code ShuffleModules}) and export to DL4J.
 *
 * <pre>{@code
 * ComposedSpace spos = SposSpace.imagenet();
 * ComposedSpace blocksOnly = SposSpace.builder().channelSearch(false).build();
 * }</pre>
 */
public final class SposSpace {

    /**
     * One stage of choice layers.
     *
     * @param width  output channels of every layer, even and >= 2
     * @param layers number of layers, >= 1 (the first has stride 2)
     */
    public record Stage(int width, int layers) {
        public Stage {
            if (width < 2 || width % 2 != 0) {
                throw new IllegalArgumentException("stage width must be even and >= 2, but was " + width);
            }
            if (layers < 1) {
                throw new IllegalArgumentException("stage layers must be >= 1, but was " + layers);
            }
        }
    }

    private SposSpace() {
    }

    /** A builder with the reference's ImageNet sizes. */
    public static Builder builder() {
        return new Builder("spos", 3, 224, 1000, 16, 2,
                List.of(new Stage(64, 4), new Stage(160, 4), new Stage(320, 8), new Stage(640, 4)), 1024, true);
    }

    /** The reference's ImageNet search space with the channel search. */
    public static ComposedSpace imagenet() {
        return builder().build();
    }

    /**
     * A builder of the small space: 1x28x28 inputs, 10 classes, stem 16 at stride 1, stages 32 x 2, 64 x 2,
     * 128 x 2, last convolution 256: 6 choice layers.
     */
    public static Builder small() {
        return new Builder("spos-small", 1, 28, 10, 16, 1,
                List.of(new Stage(32, 2), new Stage(64, 2), new Stage(128, 2)), 256, true);
    }

    /**
     * The architecture of a SPOS space with the channel search (this class's spaces) whose layer {@code i + 1} has
     * block {@code blocks.get(i)}, numbered as the reference's {@code architecture} (0, 1, 2 = Shuffle 3x3, 5x5, 7x7;
     * 3 = Xception), at channel scale {@code scales.get(i)} (one of {@link ShuffleOps#SCALES}).
     *
     * <pre>{@code
     * Architecture a = SposSpace.architecture(SposSpace.small().build(), List.of(0, 3, 1, 2, 0, 0),
     *         List.of("1.0", "0.6", "1.6", "1.0", "0.2", "1.4"));
     * }</pre>
     */
    public static Architecture architecture(ComposedSpace space, List<Integer> blocks, List<String> scales) {
        if (blocks.size() != scales.size()) {
            throw new IllegalArgumentException("blocks and scales must have one entry per layer, but had "
                    + blocks.size() + " and " + scales.size());
        }
        String[] names = {"shuffle_3x3", "shuffle_5x5", "shuffle_7x7", "shuffle_xception"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            int block = blocks.get(i);
            if (block < 0 || block >= names.length) {
                throw new IllegalArgumentException("blocks[" + i + "] must be in [0, 3], but was " + block);
            }
            int layer = i + 1;
            text.append(i == 0 ? "" : "; ").append("scale").append(layer).append('=').append(scales.get(i))
                    .append("; layer").append(layer).append('=').append(names[block]).append("_c{scale")
                    .append(layer).append('}');
        }
        return space.parse(text.toString());
    }

    /** The sizes of a SPOS network; immutable, every setter returns a validated copy. */
    public static final class Builder {
        private final String name;
        private final int channels;
        private final int resolution;
        private final int classes;
        private final int stem;
        private final int stemStride;
        private final List<Stage> stages;
        private final int lastConv;
        private final boolean channelSearch;

        private Builder(String name, int channels, int resolution, int classes, int stem, int stemStride,
                List<Stage> stages, int lastConv, boolean channelSearch) {
            this.name = name;
            this.channels = channels;
            this.resolution = resolution;
            this.classes = classes;
            this.stem = stem;
            this.stemStride = stemStride;
            this.stages = List.copyOf(stages);
            this.lastConv = lastConv;
            this.channelSearch = channelSearch;
        }

        /** The space's name. Default {@code spos} ({@code spos-small}). */
        public Builder name(String spaceName) {
            if (spaceName == null || spaceName.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, but was '" + spaceName + "'");
            }
            return new Builder(spaceName, channels, resolution, classes, stem, stemStride, stages, lastConv,
                    channelSearch);
        }

        /** Square inputs of {@code inputChannels} x {@code size} x {@code size}. Default 3x224x224 (1x28x28). */
        public Builder input(int inputChannels, int size) {
            if (inputChannels < 1 || size < 1) {
                throw new IllegalArgumentException("input channels and size must be >= 1, but were "
                        + inputChannels + " and " + size);
            }
            return new Builder(name, inputChannels, size, classes, stem, stemStride, stages, lastConv,
                    channelSearch);
        }

        /** The number of classes, >= 2. Default 1000 (10). */
        public Builder classes(int classCount) {
            if (classCount < 2) {
                throw new IllegalArgumentException("classes must be >= 2, but was " + classCount);
            }
            return new Builder(name, channels, resolution, classCount, stem, stemStride, stages, lastConv,
                    channelSearch);
        }

        /** The choice stages, at least one. Default the reference's four. */
        public Builder stages(List<Stage> stageList) {
            if (stageList == null || stageList.isEmpty()) {
                throw new IllegalArgumentException("stages must hold at least one stage, but was " + stageList);
            }
            return new Builder(name, channels, resolution, classes, stem, stemStride, stageList, lastConv,
                    channelSearch);
        }

        /**
         * Whether each layer also chooses its channel scale (the paper's channel search); without, every block has
         * scale 1.0 (the block search alone). Default true.
         */
        public Builder channelSearch(boolean search) {
            return new Builder(name, channels, resolution, classes, stem, stemStride, stages, lastConv, search);
        }

        /** The space. */
        public ComposedSpace build() {
            SpaceBuilder b = SpaceBuilder.create(name).catalogue(ShuffleOps.catalogue())
                    .input(channels, resolution, resolution).classes(classes)
                    .layer("first_conv", "conv_bn_relu_3x3", Width.of(stem), stemStride);
            int layer = 1;
            for (Stage stage : stages) {
                for (int i = 0; i < stage.layers(); i++) {
                    String scale = "1.0";
                    if (channelSearch) {
                        b.value("scale" + layer, ShuffleOps.SCALES.toArray(String[]::new));
                        scale = "{scale" + layer + "}";
                    }
                    b.choice("layer" + layer, List.of(ShuffleOps.shuffleName(3, scale), ShuffleOps.shuffleName(5, scale),
                            ShuffleOps.shuffleName(7, scale), ShuffleOps.xceptionName(scale)),
                            Width.of(stage.width()), i == 0 ? 2 : 1);
                    layer++;
                }
            }
            return b.layer("conv_last", "conv_bn_relu_1x1", Width.of(lastConv)).head("pool_linear_no_bias").build();
        }
    }
}
