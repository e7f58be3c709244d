package org.nas4j.estimators.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * A text as a character-level language-modelling corpus: the vocabulary is the text's distinct characters in
 * ascending order, and the text is split by position into the first 90% (training), the next 5% (validation) and
 * the last 5% (test). Immutable.
 *
 * <pre>{@code
 * CharacterCorpus corpus = CharacterCorpus.read(Path.of("../shared/data/text/tinyshakespeare.txt"));
 * corpus.vocabulary();      // 65 characters for tiny Shakespeare
 * corpus.train().length;    // 1,003,854 of its 1,115,394 characters
 * }</pre>
 */
public final class CharacterCorpus {

    /** Where the tiny Shakespeare text lies beside a checkout of the project. */
    public static final String TINY_SHAKESPEARE = "shared/data/text/tinyshakespeare.txt";

    private final String name;
    private final char[] vocabulary;
    private final int[] train;
    private final int[] validation;
    private final int[] test;

    private CharacterCorpus(String name, char[] vocabulary, int[] ids) {
        this.name = name;
        this.vocabulary = vocabulary;
        int trainEnd = (int) (ids.length * 0.9);
        int validationEnd = (int) (ids.length * 0.95);
        this.train = Arrays.copyOfRange(ids, 0, trainEnd);
        this.validation = Arrays.copyOfRange(ids, trainEnd, validationEnd);
        this.test = Arrays.copyOfRange(ids, validationEnd, ids.length);
    }

    /**
     * Reads a UTF-8 text file.
     *
     * @throws NoSuchFileException naming the path when the file does not exist
     * @throws IOException         naming the path when it is empty or too short for three splits of two
     *                             characters (40 characters at least), or cannot be read
     */
    public static CharacterCorpus read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toAbsolutePath().toString(), null,
                    "the text file does not exist (tiny Shakespeare lies at " + TINY_SHAKESPEARE
                            + " beside the project)");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            throw new IOException("text file " + file.toAbsolutePath() + " is empty");
        }
        return of(file.getFileName().toString(), text, file.toAbsolutePath().toString());
    }

    /**
     * A corpus of {@code text}.
     *
     * @param name a name for descriptions (e.g. the file name)
     * @param text at least 40 characters
     */
    public static CharacterCorpus of(String name, String text) {
        try {
            return of(name, text, "text '" + name + "'");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static CharacterCorpus of(String name, String text, String where) throws IOException {
        if (text.length() < 40) {
            throw new IOException(where + " must have at least 40 characters (2 per split of 5%), but had "
                    + text.length());
        }
        TreeSet<Character> distinct = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) {
            distinct.add(text.charAt(i));
        }
        char[] vocabulary = new char[distinct.size()];
        int k = 0;
        for (char c : distinct) {
            vocabulary[k++] = c;
        }
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Arrays.binarySearch(vocabulary, text.charAt(i));
        }
        return new CharacterCorpus(name, vocabulary, ids);
    }

    /** The corpus' name (the file name when read from a file). */
    public String name() {
        return name;
    }

    /** The number of distinct characters. */
    public int vocabulary() {
        return vocabulary.length;
    }

    /** The character of token {@code id}. */
    public char character(int id) {
        return vocabulary[id];
    }

    /** Token ids of the first 90% of the text. */
    public int[] train() {
        return train.clone();
    }

    /** Token ids of the next 5%. */
    public int[] validation() {
        return validation.clone();
    }

    /** Token ids of the last 5%. */
    public int[] test() {
        return test.clone();
    }

    /** The whole text's length. */
    public int length() {
        return train.length + validation.length + test.length;
    }
}
