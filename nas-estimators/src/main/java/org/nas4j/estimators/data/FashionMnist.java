package org.nas4j.estimators.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28x28 grey images of 10 kinds of clothing. nas4j ships a
 * subset (the first 10,000 training and the first 2,000 test images, MIT licence, credit in NOTICE); the full set
 * is read from a directory, e.g. Debian's {@code /usr/share/datasets/fashion-mnist}.
 *
 * <pre>{@code
 * TrainTest data = FashionMnist.bundled();
 * TrainTest full = FashionMnist.fromDirectory(Path.of("/usr/share/datasets/fashion-mnist"));
 * }</pre>
 */
public final class FashionMnist {
    /** The class names, by label. */
    public static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot"};
    private static final String RESOURCE = "fashion-mnist/";

    private FashionMnist() {
    }

    /** The subset shipped inside nas4j: 10,000 training and 2,000 test images. */
    public static TrainTest bundled() {
        try {
            return new TrainTest(read(resource("train-images-idx3-ubyte.gz"), resource("train-labels-idx1-ubyte.gz"),
                    "bundled Fashion-MNIST train"), read(resource("t10k-images-idx3-ubyte.gz"),
                    resource("t10k-labels-idx1-ubyte.gz"), "bundled Fashion-MNIST test"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled Fashion-MNIST subset", e);
        }
    }

    /**
     * The set in {@code dir}: files {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
     * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}.
     */
    public static TrainTest fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Fashion-MNIST directory must exist, but " + dir + " does not");
        }
        return new TrainTest(
                read(open(dir, "train-images-idx3-ubyte"), open(dir, "train-labels-idx1-ubyte"), dir + " (train)"),
                read(open(dir, "t10k-images-idx3-ubyte"), open(dir, "t10k-labels-idx1-ubyte"), dir + " (test)"));
    }

    private static ImageDataset read(InputStream images, InputStream labels, String source) throws IOException {
        return Idx.read(images, labels, source, 10);
    }

    private static InputStream resource(String name) {
        InputStream in = FashionMnist.class.getResourceAsStream(RESOURCE + name);
        if (in == null) {
            throw new IllegalStateException("the bundled file " + RESOURCE + name + " is missing from the class path");
        }
        return in;
    }

    private static InputStream open(Path dir, String base) throws IOException {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return Files.newInputStream(p);
            }
        }
        throw new IllegalArgumentException("directory " + dir + " must contain " + base + " or " + base + ".gz");
    }
}
