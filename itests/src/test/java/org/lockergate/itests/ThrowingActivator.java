package org.lockergate.itests;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Packed into a test bundle by {@link ManagementIT}: a new version whose activator fails, which must be rolled back. */
public class ThrowingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("this version fails on purpose at start");
    }

    @Override
    public void stop(BundleContext context) {
    }
}
