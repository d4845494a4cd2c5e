package org.lockergate.management;

/**
 * The end of a bundle operation.
 *
 * @param symbolicName the bundle
 * @param version the version now running (after a rollback: the previous one again)
 * @param previousVersion the version before the operation, {@code null} for a fresh install
 * @param state the bundle's state afterwards, e.g. {@code ACTIVE}, {@code UNINSTALLED}
 * @param rolledBack whether the gateway went back to the previous version (or removed a failed fresh install)
 * @param message what happened, for the operator (zh-CN / English)
 * @param signer the trust-store key that signed the artifact, {@code null} when nothing was installed
 */
public record BundleOutcome(String symbolicName, String version, String previousVersion, String state,
        boolean rolledBack, String message, String signer) {
}
