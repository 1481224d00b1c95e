package dev.nnkit.spi;

/**
 * A plugin could not be found, loaded or configured: an unknown name, a duplicate name, a spec
 * string that does not parse, an unknown, missing or invalid argument, or a provider that failed to
 * load. The message says what was wrong, with the offending value, and what would be right.
 */
public class PluginException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, the value, and what would be right */
    public PluginException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, the value, and what would be right
     * @param cause   the underlying failure
     */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
