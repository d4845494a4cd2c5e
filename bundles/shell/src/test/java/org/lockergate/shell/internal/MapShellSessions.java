package org.lockergate.shell.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.identity.Operator;
import org.lockergate.identity.ShellSessions;

/** The identity bundle's session registry, as a map the tests can look into. */
final class MapShellSessions implements ShellSessions {

    final Map<Object, Operator> bound = new ConcurrentHashMap<>();

    @Override
    public void bind(Object commandSession, Operator operator) {
        bound.put(commandSession, operator);
    }

    @Override
    public void unbind(Object commandSession) {
        bound.remove(commandSession);
    }

    @Override
    public Optional<Operator> operatorOf(Object commandSession) {
        return Optional.ofNullable(bound.get(commandSession));
    }
}
