package org.lockergate.transport.coap.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable trie of routes by path segment. {@link #match} prefers a literal segment over a variable and
 * backtracks, so {@code /rd/lookup} beats {@code /rd/{regId}} for {@code rd/lookup}, and {@code /a/{x}/d} still
 * serves {@code a/b/d} next to {@code /a/b/c}. The registry builds a new table on every change; requests read it
 * without locking.
 */
final class RouteTable {

    static final RouteTable EMPTY = new RouteTable(new Node());

    private final Node root;

    private RouteTable(Node root) {
        this.root = root;
    }

    /** A table of routes whose templates all have different shapes (the registry makes sure of that). */
    static RouteTable of(Collection<Route> routes) {
        Node root = new Node();
        for (Route route : routes) {
            PathTemplate template = route.template();
            Node node = root;
            for (int i = 0; i < template.size(); i++) {
                String literal = template.literal(i);
                if (literal == null) {
                    if (node.variable == null) {
                        node.variable = new Node();
                    }
                    node = node.variable;
                } else {
                    node = node.literals.computeIfAbsent(literal, key -> new Node());
                }
            }
            if (node.route != null) {
                throw new IllegalArgumentException("two routes of shape " + template.shape());
            }
            node.route = route;
        }
        return new RouteTable(root);
    }

    /** The route serving a path (segments without slashes; empty for the root). */
    Optional<Route> match(List<String> path) {
        return Optional.ofNullable(match(root, path, 0));
    }

    private static Route match(Node node, List<String> path, int index) {
        if (index == path.size()) {
            return node.route;
        }
        String segment = path.get(index);
        Node literal = node.literals.get(segment);
        if (literal != null) {
            Route found = match(literal, path, index + 1);
            if (found != null) {
                return found;
            }
        }
        if (node.variable != null && !segment.isEmpty()) {
            return match(node.variable, path, index + 1);
        }
        return null;
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node variable;
        Route route;
    }
}
