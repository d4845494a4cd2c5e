package org.lockergate.core.internal.kiosk;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.api.model.CompartmentState;

/**
 * Why a compartment is OPENING (a pickup, a courier's take-back or a staff open) and which state it returns to when the door closes.
 * In memory: after a restart an OPENING compartment is treated as a pickup (an empty door completes the pickup,
 * an item left raises {@code item_left}) and returns to FREE or OCCUPIED by its content.
 */
public final class OpenIntents {

    public enum Kind {
        PICKUP, MAINTENANCE, WITHDRAW
    }

    /**
     * @param resume the state to return to, or null for "by content" (FREE when empty, OCCUPIED otherwise)
     * @param actor who asked for the open (audit), or null
     */
    public record Intent(Kind kind, String parcelId, CompartmentState resume, String actor) {

        public Intent(Kind kind, String parcelId, CompartmentState resume) {
            this(kind, parcelId, resume, null);
        }
    }

    private final Map<String, Intent> intents = new ConcurrentHashMap<>();

    public void put(String key, Intent intent) {
        intents.put(key, intent);
    }

    public Optional<Intent> get(String key) {
        return Optional.ofNullable(intents.get(key));
    }

    public Optional<Intent> remove(String key) {
        return Optional.ofNullable(intents.remove(key));
    }
}
