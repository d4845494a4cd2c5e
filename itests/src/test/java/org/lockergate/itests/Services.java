package org.lockergate.itests;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Service lookups and bounded waits shared by the tests that run inside Felix (Pax Exam). */
final class Services {

    private Services() {
    }

    static <T> T service(BundleContext context, Class<T> type) {
        ServiceReference<T> reference = context.getServiceReference(type);
        return reference == null ? null : context.getService(reference);
    }

    static <T> T required(BundleContext context, Class<T> type) {
        T service = service(context, type);
        if (service == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service");
        }
        return service;
    }

    static List<ServiceReference<?>> references(BundleContext context, String type, String filter) {
        try {
            ServiceReference<?>[] references = context.getServiceReferences(type, filter);
            return references == null ? List.of() : List.of(references);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    static void awaitTrue(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
        await(what, deadline, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Polls every 10 ms until the value is not null; fails naming what it waited for. */
    static <T> T await(String what, Duration deadline, Supplier<T> value) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            T result = value.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
