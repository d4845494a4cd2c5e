package org.lockergate.identity.internal;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.lockergate.identity.Operator;
import org.lockergate.identity.ShellSessions;
import org.osgi.service.component.annotations.Component;

/** Remote shell sessions and their operators, by session identity; a forgotten session is collected with it. */
@Component(service = ShellSessions.class)
public class ShellSessionRegistry implements ShellSessions {

    // Gogo's CommandSessionImpl does not override equals/hashCode, so this is keyed by identity
    private final Map<Object, Operator> sessions = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public void bind(Object commandSession, Operator operator) {
        sessions.put(commandSession, operator);
    }

    @Override
    public void unbind(Object commandSession) {
        sessions.remove(commandSession);
    }

    @Override
    public Optional<Operator> operatorOf(Object commandSession) {
        return commandSession == null ? Optional.empty() : Optional.ofNullable(sessions.get(commandSession));
    }
}
