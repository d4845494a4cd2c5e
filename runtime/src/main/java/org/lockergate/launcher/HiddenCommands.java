package org.lockergate.launcher;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Hides Gogo commands that must not exist on a gateway from every other bundle, so the shell never sees them.
 * Today: {@code gogo:telnetd}, which would start an unauthenticated console on a TCP port. Registered on the
 * system bundle before any bundle starts, so no shell can have seen the command first.
 */
final class HiddenCommands implements FindHook, EventListenerHook {

    static final Set<String> HIDDEN = Set.of("telnetd");

    static void install(BundleContext systemContext) {
        HiddenCommands hooks = new HiddenCommands();
        systemContext.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
                hooks, null);
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        references.removeIf(ref -> hidden(ref) && ref.getBundle() != context.getBundle());
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (hidden(event.getServiceReference())) {
            listeners.keySet().removeIf(context -> context.getBundle() != event.getServiceReference().getBundle());
        }
    }

    static boolean hidden(ServiceReference<?> ref) {
        Object functions = ref.getProperty("osgi.command.function");
        List<?> names = functions instanceof Object[] array ? List.of(array)
                : functions instanceof Collection<?> c ? List.copyOf(c)
                : functions == null ? List.of() : List.of(functions);
        return names.stream().anyMatch(n -> HIDDEN.contains(String.valueOf(n)));
    }
}
