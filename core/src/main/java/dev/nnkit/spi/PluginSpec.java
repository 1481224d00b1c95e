package dev.nnkit.spi;

import dev.nnkit.spi.PluginException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed spec string: a plugin name and its arguments, {@code name} or
 * {@code name(key=value, ...)}, e.g. {@code leaky_relu(alpha=0.2)}; an argument's value may itself
 * be a spec, e.g. {@code warmup(steps=500, then=cosine(epochs=20))}.
 *
 * <p>Grammar: a name and keys match {@code [a-z][a-z0-9_]*} (case-insensitive on input, stored in
 * lower case); a value is a number, {@code true}/{@code false}, a bare word of letters, digits and
 * {@code _ . + -}, or a nested spec {@code name(key=value, ...)}, up to {@value #MAX_NESTING} levels
 * deep; white space around tokens is ignored. Parentheses must balance: an unclosed {@code (} or
 * a stray {@code )} is reported with its position before anything else. {@link #toString()} gives
 * the canonical form ({@code name(k1=v1, k2=v2)}, nested specs in their canonical form too), which
 * plugins return from their own {@code toString()}, and which parses back to an equal spec:
 * <pre>{@code
 * return PluginSpec.of("leaky_relu").with("alpha", alpha).toString();
 * return PluginSpec.of("warmup").with("steps", steps).with("then", inner).toString();  // inner: a plugin or a PluginSpec
 * }</pre>
 * A nested value is kept as the text of its canonical spec in {@link #arguments()}; a provider
 * reads it with {@link Arguments#getSpec} or makes the plugin it names with
 * {@link Arguments#getPlugin}.
 *
 * @param name      the plugin name
 * @param arguments the values by key, in the order written (a nested spec as its canonical text)
 */
public record PluginSpec(String name, Map<String, String> arguments) {

    /** The deepest nesting of specs inside argument values: {@code a(x=b(y=c(z=1)))} nests 2 deep. */
    public static final int MAX_NESTING = 8;

    /** Checks the name and keeps an unmodifiable copy of the arguments, in their order. */
    public PluginSpec {
        Objects.requireNonNull(name, "name");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** A spec with a name and no arguments. */
    public static PluginSpec of(String name) {
        return new PluginSpec(name, Map.of());
    }

    /**
     * This spec with one more argument; numbers are written in their shortest exact form, a
     * {@code PluginSpec} or a plugin (whose {@code toString()} is its spec) as a nested spec.
     */
    public PluginSpec with(String key, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(arguments);
        copy.put(key, String.valueOf(value));
        return new PluginSpec(name, copy);
    }

    /**
     * Parses a spec string.
     *
     * @throws PluginException naming the text and the position of the first error
     */
    public static PluginSpec parse(String text) {
        return new SpecParser(text).parse();
    }

    @Override
    public String toString() {
        if (arguments.isEmpty()) {
            return name;
        }
        StringBuilder out = new StringBuilder(name).append('(');
        String separator = "";
        for (Map.Entry<String, String> e : arguments.entrySet()) {
            out.append(separator).append(e.getKey()).append('=').append(e.getValue());
            separator = ", ";
        }
        return out.append(')').toString();
    }

    /** A small recursive-descent parser; kept apart so the record stays a value. */
    private static final class SpecParser {
        private final String text;
        private int pos;

        SpecParser(String text) {
            if (text == null) {
                throw new PluginException("spec string is null; expected e.g. tanh or leaky_relu(alpha=0.2)");
            }
            this.text = text;
        }

        PluginSpec parse() {
            checkParentheses();
            skipSpaces();
            PluginSpec spec = spec(0);
            skipSpaces();
            if (pos != text.length()) {
                throw error("unexpected text after the spec", pos);
            }
            return spec;
        }

        /** Refuses unbalanced parentheses with the position of the first stray or unclosed one. */
        private void checkParentheses() {
            java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '(') {
                    open.push(i);
                } else if (c == ')') {
                    if (open.isEmpty()) {
                        throw error("unbalanced parentheses: the ')' has no matching '('", i);
                    }
                    open.pop();
                }
            }
            if (!open.isEmpty()) {
                throw error("unbalanced parentheses: the '(' is never closed (" + open.size() + " more '(' than ')')",
                        open.peekLast());
            }
        }

        /** {@code name} or {@code name(key=value, ...)} from the current position, {@code depth} levels nested. */
        private PluginSpec spec(int depth) {
            String name = identifier("a plugin name");
            Map<String, String> args = new LinkedHashMap<>();
            skipSpaces();
            if (peek() == '(') {
                pos++;
                skipSpaces();
                if (peek() == ')') {
                    pos++;
                } else {
                    while (true) {
                        skipSpaces();
                        int keyAt = pos;
                        String key = identifier("an argument name");
                        skipSpaces();
                        expect('=');
                        skipSpaces();
                        String value = value(depth);
                        if (args.put(key, value) != null) {
                            throw error("argument '" + key + "' is given twice", keyAt);
                        }
                        skipSpaces();
                        char c = peek();
                        pos++;
                        if (c == ')') {
                            break;
                        }
                        if (c != ',') {
                            throw error("expected ',' or ')'", pos - 1);
                        }
                    }
                }
            }
            return new PluginSpec(name, args);
        }

        private String identifier(String what) {
            int start = pos;
            if (pos < text.length() && Character.isLetter(text.charAt(pos)) && text.charAt(pos) < 128) {
                pos++;
                while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
                    pos++;
                }
            }
            if (start == pos) {
                throw error("expected " + what, start);
            }
            return text.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
        }

        /** A bare word, or a nested spec (a name followed by '('), as its canonical text. */
        private String value(int depth) {
            int start = pos;
            while (pos < text.length() && isValuePart(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a value", start);
            }
            String word = text.substring(start, pos);
            int end = pos;
            skipSpaces();
            if (peek() != '(') {
                pos = end;
                return word;
            }
            if (!Character.isLetter(word.charAt(0)) || !word.chars().allMatch(c -> isIdentifierPart((char) c))) {
                throw error("a value followed by '(' must be a plugin name, as in then=cosine(epochs=10); '" + word
                        + "' is not", start);
            }
            if (depth >= MAX_NESTING) {
                throw error("specs are nested more than " + MAX_NESTING + " deep", start);
            }
            pos = start;
            return spec(depth + 1).toString();
        }

        private static boolean isIdentifierPart(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
        }

        private static boolean isValuePart(char c) {
            return isIdentifierPart(c) || c == '.' || c == '+' || c == '-';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'", pos);
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private PluginException error(String problem, int at) {
            String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            return new PluginException("cannot parse spec string \"" + shown + "\": " + problem + " at position " + at
                    + "; expected name or name(key=value, ...), e.g. leaky_relu(alpha=0.2)");
        }
    }
}
