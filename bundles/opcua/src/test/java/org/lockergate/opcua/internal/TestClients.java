package org.lockergate.opcua.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/** Milo clients for the tests (real TCP), and small read/browse/call helpers. */
final class TestClients {

    static final String CLIENT_URI = "urn:lockergate:test:client";

    final KeyPair keyPair;
    final X509Certificate certificate;

    TestClients() throws Exception {
        keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        certificate = new SelfSignedCertificateBuilder(keyPair).setCommonName("LockerGate test client")
                .setApplicationUri(CLIENT_URI).addDnsName("localhost").build();
    }

    /** Puts this client's certificate where an operator would: {pki}/trusted/certs. */
    void trustIn(Path pkiDir) throws Exception {
        Path dir = pkiDir.resolve("trusted").resolve("certs");
        Files.createDirectories(dir);
        Files.write(dir.resolve("test-client.der"), certificate.getEncoded());
    }

    OpcUaClient anonymous(String url) throws UaException {
        return connect(url, SecurityPolicy.None, MessageSecurityMode.None, new AnonymousProvider());
    }

    OpcUaClient secure(String url, MessageSecurityMode mode, String user, String password) throws UaException {
        return connect(url, SecurityPolicy.Basic256Sha256, mode, new UsernameProvider(user, password));
    }

    OpcUaClient connect(String url, SecurityPolicy policy, MessageSecurityMode mode, IdentityProvider identity)
            throws UaException {
        OpcUaClient client = OpcUaClient.create(url,
                endpoints -> pick(endpoints, policy, mode),
                transport -> { },
                config -> config.setApplicationUri(CLIENT_URI)
                        .setKeyPair(keyPair)
                        .setCertificate(certificate)
                        .setCertificateChain(new X509Certificate[] {certificate})
                        .setIdentityProvider(identity)
                        .setRequestTimeout(UInteger.valueOf(10_000)));
        return client.connect();
    }

    private static Optional<EndpointDescription> pick(List<EndpointDescription> endpoints, SecurityPolicy policy,
            MessageSecurityMode mode) {
        return endpoints.stream()
                .filter(e -> e.getSecurityPolicyUri().equals(policy.getUri()) && e.getSecurityMode() == mode)
                .findFirst();
    }

    static NodeId node(OpcUaClient client, String path) throws UaException {
        int index = client.readNamespaceTable().getIndex(OpcUaSettings.NAMESPACE_URI).intValue();
        return new NodeId(index, path);
    }

    static List<String> children(OpcUaClient client, NodeId parent) throws UaException {
        BrowseResult result = client.browse(new BrowseDescription(parent, BrowseDirection.Forward,
                NodeIds.HierarchicalReferences, true, UInteger.valueOf(0xFF), UInteger.valueOf(0x3F)));
        List<String> names = new ArrayList<>();
        ReferenceDescription[] references = result.getReferences();
        if (references != null) {
            for (ReferenceDescription reference : references) {
                names.add(reference.getBrowseName().name());
            }
        }
        return names;
    }

    /** The node id of a child by browse name (any hierarchical reference). */
    static NodeId child(OpcUaClient client, NodeId parent, String name) throws UaException {
        BrowseResult result = client.browse(new BrowseDescription(parent, BrowseDirection.Forward,
                NodeIds.HierarchicalReferences, true, UInteger.valueOf(0xFF), UInteger.valueOf(0x3F)));
        for (ReferenceDescription reference : result.getReferences()) {
            if (name.equals(reference.getBrowseName().name())) {
                return reference.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
            }
        }
        throw new AssertionError("no child " + name + " under " + parent);
    }

    static DataValue read(OpcUaClient client, NodeId node) throws UaException {
        return client.readValue(0.0, TimestampsToReturn.Both, node);
    }

    static Object attribute(OpcUaClient client, NodeId node, AttributeId attribute) throws UaException {
        return client.read(0.0, TimestampsToReturn.Neither, List.of(new ReadValueId(node, attribute.uid(), null,
                QualifiedName.NULL_VALUE))).getResults()[0].value().value();
    }

    static StatusCode call(OpcUaClient client, NodeId object, NodeId method, String reason) throws UaException {
        return client.call(List.of(new CallMethodRequest(object, method, new Variant[] {new Variant(reason)})))
                .getResults()[0].getStatusCode();
    }

    /** Polls until {@code condition} holds, failing after {@code timeout}. */
    static void await(Duration timeout, String what, ThrowingSupplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.sleep(20);
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    static <T> Supplier<T> unchecked(ThrowingSupplier<T> supplier) {
        return () -> {
            try {
                return supplier.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
