package dev.nnkit.spark;

/**
 * Hands a Spark ML stage its uid while its superclass constructor runs: Spark's param traits
 * create their params (which record the owner's uid) before a Java subclass can assign a field,
 * so a stage's constructor stashes the uid here first ({@code this(Uids.stash(uid), ...)}) and its
 * {@code uid()} answers from here until the field is set.
 */
final class Uids {

    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    private Uids() {
    }

    static String stash(String uid) {
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("a Spark ML stage needs a non-blank uid; got " + (uid == null ? "null" : "\"" + uid + "\""));
        }
        PENDING.set(uid);
        return uid;
    }

    static String pending() {
        return PENDING.get();
    }

    static void clear() {
        PENDING.remove();
    }
}
