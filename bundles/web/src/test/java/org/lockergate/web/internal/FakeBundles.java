package org.lockergate.web.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/** Just enough of {@link Bundle} and {@link BundleContext} for the bundles listing. */
final class FakeBundles {

    private FakeBundles() {}

    static Bundle bundle(long id, String symbolicName, String version, int state, String fragmentHost) {
        Hashtable<String, String> headers = new Hashtable<>();
        headers.put(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        if (fragmentHost != null) {
            headers.put(Constants.FRAGMENT_HOST, fragmentHost);
        }
        return proxy(Bundle.class, (method, args) -> switch (method) {
            case "getBundleId" -> id;
            case "getSymbolicName" -> symbolicName;
            case "getVersion" -> Version.parseVersion(version);
            case "getState" -> state;
            case "getLocation" -> "file:bundle/" + symbolicName + ".jar";
            case "getHeaders" -> (Dictionary<String, String>) headers;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    static BundleContext context(List<Bundle> bundles) {
        return proxy(BundleContext.class, (method, args) -> switch (method) {
            case "getBundles" -> bundles.toArray(new Bundle[0]);
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(FakeBundles.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + "@fake";
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> answer.answer(method.getName(), args);
                }));
    }
}
