package org.nas4j.core.journal;

/** A journal cannot be resumed by this search: it was written for another configuration, or its content disagrees. */
public final class JournalMismatchException extends IllegalStateException {
    public JournalMismatchException(String message) {
        super(message);
    }
}
