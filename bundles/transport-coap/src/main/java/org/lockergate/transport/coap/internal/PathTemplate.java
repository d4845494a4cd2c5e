package org.lockergate.transport.coap.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A path template such as {@code /groups/{groupId}/state}: literal segments and {@code {name}} variables. Immutable.
 * Two templates with the same {@link #shape()} ({@code /rd/{regId}} and {@code /rd/{id}}) would serve the same
 * requests, so the registry treats them as one route.
 */
final class PathTemplate {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final Pattern LITERAL = Pattern.compile("[^{}/?#\\s]+");

    private final String text;
    private final List<String> segments; // literal text, or null for a variable
    private final List<String> variables; // variable name per segment, or null for a literal
    private final String shape;

    private PathTemplate(String text, List<String> segments, List<String> variables) {
        this.text = text;
        this.segments = segments;
        this.variables = variables;
        StringBuilder shape = new StringBuilder();
        for (String literal : segments) {
            shape.append('/').append(literal == null ? "{}" : literal);
        }
        this.shape = shape.length() == 0 ? "/" : shape.toString();
    }

    /**
     * Reads a template.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    static PathTemplate parse(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("empty path template");
        }
        String text = template.strip();
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("path template '" + text + "' must start with /");
        }
        List<String> segments = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String body = text.substring(1);
        if (!body.isEmpty()) {
            for (String segment : body.split("/", -1)) {
                if (segment.isEmpty()) {
                    throw new IllegalArgumentException("path template '" + text + "' has an empty segment");
                }
                var variable = VARIABLE.matcher(segment);
                if (variable.matches()) {
                    if (!names.add(variable.group(1))) {
                        throw new IllegalArgumentException(
                                "path template '" + text + "' uses {" + variable.group(1) + "} twice");
                    }
                    segments.add(null);
                    variables.add(variable.group(1));
                } else if (LITERAL.matcher(segment).matches()) {
                    segments.add(segment);
                    variables.add(null);
                } else {
                    throw new IllegalArgumentException("path template '" + text + "' has a bad segment '" + segment
                            + "' (a literal, or {name} with a name of letters, digits and _)");
                }
            }
        }
        return new PathTemplate(text, Collections.unmodifiableList(segments), Collections.unmodifiableList(variables));
    }

    /** The template as written, {@code /groups/{groupId}/state}. */
    String text() {
        return text;
    }

    /** The template with variable names dropped, {@code /groups/{}/state}: equal shapes match the same paths. */
    String shape() {
        return shape;
    }

    int size() {
        return segments.size();
    }

    /** The literal at a position, or null when the segment is a variable. */
    String literal(int index) {
        return segments.get(index);
    }

    /** The variable names, in order. */
    List<String> variableNames() {
        List<String> names = new ArrayList<>();
        for (String name : variables) {
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** The variables of a path this template matches (the caller has matched it). */
    Map<String, String> variables(List<String> path) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < variables.size() && i < path.size(); i++) {
            if (variables.get(i) != null) {
                values.put(variables.get(i), path.get(i));
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /** Whether a path (segments, no leading slash) matches this template on its own. */
    boolean matches(List<String> path) {
        if (path.size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            String literal = segments.get(i);
            String actual = path.get(i);
            if (literal == null ? actual.isEmpty() : !literal.equals(actual)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
