package org.lockergate.upstream.mqtt.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CommandHandler} whiteboard: per command name, the handler with the lowest service id serves; a later one
 * for the same name is refused with an ERROR line and takes over when the first goes away.
 */
final class HandlerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

    private record Entry(long serviceId, CommandHandler handler, String owner) {
    }

    private final Map<String, List<Entry>> byName = new ConcurrentHashMap<>();

    /** Names from the service property: a String or String[] (or a collection). */
    static List<String> names(Object property) {
        List<String> out = new ArrayList<>();
        if (property instanceof String s) {
            out.add(s);
        } else if (property instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (property instanceof Iterable<?> it) {
            it.forEach(o -> out.add(String.valueOf(o)));
        }
        out.replaceAll(String::strip);
        out.removeIf(String::isEmpty);
        return out;
    }

    void add(Object nameProperty, CommandHandler handler, long serviceId, String owner) {
        List<String> names = names(nameProperty);
        if (names.isEmpty()) {
            LOG.error("命令处理器缺少 {} 属性，已拒绝 / A CommandHandler from {} has no {} property and is refused",
                    CommandHandler.COMMAND, owner, CommandHandler.COMMAND);
            return;
        }
        for (String name : names) {
            List<Entry> list = byName.computeIfAbsent(name, k -> new ArrayList<>());
            synchronized (list) {
                list.add(new Entry(serviceId, handler, owner));
                list.sort(Comparator.comparingLong(Entry::serviceId));
                if (list.size() > 1 && list.get(0).serviceId() != serviceId) {
                    LOG.error("命令 {} 已由 {} 处理，拒绝 {} / Command {} is already served by {}; refused {}", name,
                            list.get(0).owner(), owner, name, list.get(0).owner(), owner);
                }
            }
        }
    }

    void remove(long serviceId) {
        for (List<Entry> list : byName.values()) {
            synchronized (list) {
                list.removeIf(e -> e.serviceId() == serviceId);
            }
        }
    }

    CommandHandler get(String name) {
        List<Entry> list = byName.get(name);
        if (list == null) {
            return null;
        }
        synchronized (list) {
            return list.isEmpty() ? null : list.get(0).handler();
        }
    }

    /** Served command names, sorted. */
    List<String> names() {
        Map<String, Boolean> sorted = new TreeMap<>();
        byName.forEach((name, list) -> {
            synchronized (list) {
                if (!list.isEmpty()) {
                    sorted.put(name, true);
                }
            }
        });
        return List.copyOf(sorted.keySet());
    }
}
