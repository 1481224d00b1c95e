package dev.nnkit.examples;

/**
 * A run that started and could not finish for a reason outside the user's settings (a disk that
 * filled up, a training run that diverged): the command line prints the message, without a stack
 * trace, and exits with status 1.
 */
final class RunFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
