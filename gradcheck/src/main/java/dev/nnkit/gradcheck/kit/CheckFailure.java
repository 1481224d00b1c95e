package dev.nnkit.gradcheck.kit;

/** Thrown inside a check's body to fail it with a message that says what failed and by how much. */
final class CheckFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CheckFailure(String message) {
        super(message, null, false, false);
    }
}
