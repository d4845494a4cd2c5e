package org.lockergate.devices.coap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.lockergate.devices.coap.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows the gateway's development notifications log ({@code {data}/logs/notifications.log}, one JSON object per
 * line: {@code parcelId, groupId, cabinetId, compartment, code, phoneMasked, freeUntil}) like {@code tail -F}: it
 * waits for the file to appear, reads only complete lines, starts again from the top when the file is truncated or
 * replaced by a shorter one, and skips lines that are not such objects. The latest notice per parcel wins (a
 * resent code voids the old one).
 *
 * <p>Polls on its own daemon thread ({@link #start()}; default every 100 ms) or on demand ({@link #poll()}).
 */
public final class NotificationLogTailer implements PickupCodeSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationLogTailer.class);

    private final Path file;
    private final Duration interval;
    private final List<Consumer<PickupNotice>> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    /** Serialises readers of the file (the thread and callers of poll); guards position and partial. */
    private final Object readLock = new Object();
    private final Map<String, PickupNotice> notices = new HashMap<>();
    private long position;
    private byte[] partial = new byte[0];
    private Thread thread;
    private volatile boolean running;

    /** Follows {@code file} from its beginning, polling every {@code interval}. */
    public NotificationLogTailer(Path file, Duration interval) {
        this.file = Objects.requireNonNull(file, "file");
        this.interval = interval;
    }

    public NotificationLogTailer(Path file) {
        this(file, Duration.ofMillis(100));
    }

    public Path file() {
        return file;
    }

    /** Starts following on a daemon thread. */
    public NotificationLogTailer start() {
        synchronized (lock) {
            if (thread != null) {
                return this;
            }
            running = true;
            thread = new Thread(this::run, "lockergate-notifications-tailer");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    @Override
    public void close() {
        Thread current;
        synchronized (lock) {
            running = false;
            current = thread;
            thread = null;
            lock.notifyAll();
        }
        if (current != null) {
            current.interrupt();
            try {
                current.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called with every notice read, on the tailer's thread. */
    public void addListener(Consumer<PickupNotice> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Optional<PickupNotice> await(String parcelId, Duration timeout) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                PickupNotice notice = notices.get(parcelId);
                long left = deadline - System.nanoTime();
                if (notice != null || left <= 0) {
                    return Optional.ofNullable(notice);
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The latest notice of every parcel read so far. */
    public Map<String, PickupNotice> notices() {
        synchronized (lock) {
            return Map.copyOf(notices);
        }
    }

    /** Reads whatever complete lines were appended since the last poll; returns how many notices were read. */
    public int poll() {
        List<PickupNotice> read;
        try {
            synchronized (readLock) {
                read = readNewLines();
            }
        } catch (NoSuchFileException notYet) {
            return 0;
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", file, e.toString());
            return 0;
        }
        if (read.isEmpty()) {
            return 0;
        }
        synchronized (lock) {
            read.forEach(n -> notices.put(n.parcelId(), n));
            lock.notifyAll();
        }
        for (PickupNotice notice : read) {
            listeners.forEach(l -> l.accept(notice));
        }
        return read.size();
    }

    private List<PickupNotice> readNewLines() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < position) {
                LOG.info("{} was truncated or replaced; reading it again from the start", file);
                position = 0;
                partial = new byte[0];
            }
            if (size == position) {
                return List.of();
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - position, 4 * 1024 * 1024));
            channel.position(position);
            int count = channel.read(buffer);
            if (count <= 0) {
                return List.of();
            }
            position += count;
            byte[] bytes = new byte[partial.length + count];
            System.arraycopy(partial, 0, bytes, 0, partial.length);
            System.arraycopy(buffer.array(), 0, bytes, partial.length, count);
            int lastNewline = -1;
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            partial = Arrays.copyOfRange(bytes, lastNewline + 1, bytes.length);
            if (lastNewline < 0) {
                return List.of();
            }
            String complete = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
            List<PickupNotice> read = new ArrayList<>();
            for (String line : complete.split("\n")) {
                PickupNotice notice = parse(line.strip());
                if (notice != null) {
                    read.add(notice);
                }
            }
            return read;
        }
    }

    /** One line of the log as a notice, or {@code null} when it is not one. */
    static PickupNotice parse(String line) {
        if (line.isEmpty()) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.JSON_MAPPER.readTree(line);
        } catch (IOException e) {
            LOG.debug("skipping a line that is not JSON: {}", line);
            return null;
        }
        if (node == null || !node.isObject() || !node.path("parcelId").isTextual() || !node.path("code").isValueNode()) {
            LOG.debug("skipping a line without parcelId and code: {}", line);
            return null;
        }
        return new PickupNotice(node.path("parcelId").asText(), text(node, "groupId"), text(node, "cabinetId"),
                text(node, "compartment"), node.path("code").asText(), text(node, "phoneMasked"),
                time(text(node, "freeUntil")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static OffsetDateTime time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void run() {
        while (running) {
            poll();
            try {
                Thread.sleep(Math.max(10, interval.toMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "NotificationLogTailer[" + file + "]";
    }

    /** Whether the followed file exists yet. */
    public boolean fileExists() {
        return Files.exists(file);
    }
}
