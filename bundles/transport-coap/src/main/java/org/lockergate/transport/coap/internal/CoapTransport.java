package org.lockergate.transport.coap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.DaemonThreadFactory;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapMethod;
import org.lockergate.transport.coap.CoapReply;
import org.lockergate.transport.coap.CoapRequestException;
import org.lockergate.transport.coap.CoapRequestException.Reason;
import org.lockergate.transport.coap.CoapResponseCode;
import org.lockergate.transport.coap.CoapService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's CoAP endpoints on Californium: plain UDP and DTLS-PSK, one routing deliverer for both, a bounded
 * pool for handlers, and the client side of {@link CoapService}. Plain Java, so tests run it without a framework;
 * {@link CoapTransportComponent} is the DS component around it.
 *
 * <p>An endpoint whose port cannot be bound is logged as one ERROR line and left out; the transport runs with what
 * it has (even with no endpoint at all).
 */
final class CoapTransport implements CoapService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoapTransport.class);
    private static final long SWEEP_MILLIS = 250;
    private static final Duration OBSERVED_IDLE = Duration.ofMinutes(1);

    private final TransportSettings settings;
    private final HandlerRegistry registry;
    private final PskFileStore psk;
    private final Codec codec = new Codec();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    private ThreadPoolExecutor handlers;
    private ScheduledExecutorService protocol;
    private ScheduledThreadPoolExecutor timer;
    private Resources resources;
    private volatile CoapEndpoint plain;
    private volatile CoapEndpoint secure;
    private volatile boolean closed;
    private volatile InetAddress bound;

    /**
     * @param psk the keys for the DTLS endpoint; {@code null} leaves DTLS off whatever the settings say
     */
    CoapTransport(TransportSettings settings, HandlerRegistry registry, PskFileStore psk) {
        this.settings = settings;
        this.registry = registry;
        this.psk = psk;
    }

    /** Starts the endpoints that can start; logs where it listens. Never throws for a port in use. */
    synchronized void start() {
        if (closed || handlers != null) {
            throw new IllegalStateException("CoAP transport already started or closed");
        }
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();

        BlockingQueue<Runnable> queue = settings.handlerQueue() == 0 ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(settings.handlerQueue());
        handlers = new ThreadPoolExecutor(settings.handlerThreads(), settings.handlerThreads(), 60, TimeUnit.SECONDS,
                queue, new DaemonThreadFactory("LockerGate-CoAP-handler#"), new ThreadPoolExecutor.AbortPolicy());
        handlers.allowCoreThreadTimeOut(true);
        Configuration base = configuration(settings.port() == null ? 0 : settings.port(), false);
        protocol = ExecutorsUtil.newScheduledThreadPool(base.get(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT),
                new DaemonThreadFactory("LockerGate-CoAP#"));
        timer = ExecutorsUtil.newDefaultSecondaryScheduler("LockerGate-CoAP-timer#");
        Dispatcher dispatcher = new Dispatcher(codec, settings.maxPayloadBytes(), handlers, timer);
        resources = new Resources(registry, dispatcher);
        registry.onRemoved(resources::removed);
        RoutingDeliverer deliverer = new RoutingDeliverer(resources, base);

        InetAddress address = bindAddress();
        bound = address;
        if (address != null && settings.port() != null) {
            plain = startEndpoint(false, new InetSocketAddress(address, settings.port()), deliverer);
        }
        if (address != null && settings.securePort() != null && psk != null) {
            secure = startEndpoint(true, new InetSocketAddress(address, settings.securePort()), deliverer);
        }
        LOG.info(Messages.listening(localAddress(false).orElse(null), localAddress(true).orElse(null),
                settings.securePort() != null && psk != null));

        long acceptAfter = settings.acceptAfter().toNanos();
        tasks.add(timer.scheduleWithFixedDelay(() -> dispatcher.acceptSlowCalls(acceptAfter), SWEEP_MILLIS,
                SWEEP_MILLIS, TimeUnit.MILLISECONDS));
        tasks.add(timer.scheduleWithFixedDelay(() -> resources.sweep(OBSERVED_IDLE.toNanos()), 10, 10,
                TimeUnit.SECONDS));
        if (psk != null) {
            long every = Math.max(10, settings.pskReload().toMillis());
            tasks.add(timer.scheduleWithFixedDelay(psk::reloadIfChanged, every, every, TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public Optional<InetSocketAddress> localAddress(boolean secure) {
        CoapEndpoint endpoint = secure ? this.secure : this.plain;
        if (endpoint == null) {
            return Optional.empty();
        }
        // the configured address with the bound port: a socket on 0.0.0.0 reports itself as [::] on dual-stack hosts
        InetSocketAddress actual = endpoint.getAddress();
        InetAddress address = bound;
        return Optional.of(address == null ? actual : new InetSocketAddress(address, actual.getPort()));
    }

    @Override
    public void changed(String path) {
        Resources current = resources;
        if (current != null && !closed) {
            current.changed(path);
        }
    }

    @Override
    public CompletableFuture<CoapReply> request(CoapMethod method, InetSocketAddress peer, boolean secure,
            String path, Object jsonBody, Duration timeout) {
        byte[] payload = jsonBody == null ? null : codec.write(jsonBody, false);
        return send(method, peer, secure, path, payload, CoapCall.JSON, timeout);
    }

    @Override
    public CompletableFuture<CoapReply> requestBytes(CoapMethod method, InetSocketAddress peer, boolean secure,
            String path, byte[] payload, int contentFormat, Duration timeout) {
        return send(method, peer, secure, path, payload == null || payload.length == 0 ? null : payload.clone(),
                contentFormat, timeout);
    }

    private CompletableFuture<CoapReply> send(CoapMethod method, InetSocketAddress peer, boolean secure,
            String path, byte[] payload, int contentFormat, Duration timeout) {
        if (method == null || peer == null || path == null || timeout == null) {
            throw new NullPointerException("method, peer, path and timeout are required");
        }
        String target = method + " " + (secure ? "coaps://" : "coap://") + Messages.hostAndPort(peer)
                + (path.startsWith("/") ? "" : "/") + path;
        CompletableFuture<CoapReply> future = new CompletableFuture<>();
        CoapEndpoint endpoint = secure ? this.secure : this.plain;
        if (endpoint == null || closed) {
            future.completeExceptionally(new CoapRequestException(Reason.NO_ENDPOINT, "CoAP " + target + "："
                    + (secure ? "CoAPs" : "CoAP") + " 端点未运行 / the " + (secure ? "CoAPs (DTLS)" : "plain CoAP")
                    + " endpoint is not running"));
            return future;
        }
        Request request = new Request(CoAP.Code.valueOf(method.name()), CoAP.Type.CON);
        request.setDestinationContext(new AddressEndpointContext(peer));
        int query = path.indexOf('?');
        request.getOptions().setUriPath(query < 0 ? path : path.substring(0, query));
        if (query >= 0) {
            request.getOptions().setUriQuery(path.substring(query + 1));
        }
        if (payload != null) {
            request.setPayload(payload);
            request.getOptions().setContentFormat(contentFormat);
        }
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                int format = response.getOptions().hasContentFormat() ? response.getOptions().getContentFormat() : -1;
                future.complete(new CoapReply(CoapResponseCode.valueOf(response.getCode().name()),
                        codec.readLenient(response.getPayload(), format), response.getPayload(), format));
            }

            @Override
            public void onReject() {
                future.completeExceptionally(new CoapRequestException(Reason.REJECTED, "CoAP " + target
                        + "：对端以 RST 拒绝 / the peer answered with a reset (RST)"));
            }

            @Override
            public void onTimeout() {
                future.completeExceptionally(new CoapRequestException(Reason.TIMEOUT, "CoAP " + target
                        + "：重传后仍无应答 / no answer after all retransmissions"));
            }

            @Override
            public void onCancel() {
                future.completeExceptionally(new CoapRequestException(Reason.CANCELLED, "CoAP " + target
                        + "：请求已取消 / the request was cancelled"));
            }

            @Override
            public void onSendError(Throwable error) {
                future.completeExceptionally(new CoapRequestException(Reason.SEND_FAILED, "CoAP " + target
                        + "：发送失败 / cannot send: " + Messages.oneLine(String.valueOf(error.getMessage()))
                        + (secure ? " (the device must open a DTLS session first)" : ""), error));
            }
        });
        try {
            long millis = Math.max(1, timeout.toMillis());
            ScheduledFuture<?> expiry = timer.schedule(() -> {
                if (future.completeExceptionally(new CoapRequestException(Reason.TIMEOUT, "CoAP " + target + "："
                        + millis + " ms 内无应答 / no answer within " + millis + " ms"))) {
                    request.cancel();
                }
            }, millis, TimeUnit.MILLISECONDS);
            future.whenComplete((reply, error) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new CoapRequestException(Reason.CANCELLED, "CoAP " + target
                    + "：传输已停止 / the transport is stopping"));
            return future;
        }
        endpoint.sendRequest(request);
        return future;
    }

    /** Stops both endpoints, then the handler pool (a handler still running after 1 s is interrupted). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.onRemoved(null);
        tasks.forEach(task -> task.cancel(false));
        for (CoapEndpoint endpoint : new CoapEndpoint[] {plain, secure}) {
            if (endpoint != null) {
                endpoint.destroy();
            }
        }
        plain = null;
        secure = null;
        if (handlers != null) {
            handlers.shutdown();
            try {
                if (!handlers.awaitTermination(1, TimeUnit.SECONDS)) {
                    handlers.shutdownNow();
                    LOG.warn("CoAP 处理器未在 1 秒内结束，已中断 / CoAP handlers still running after 1 s were"
                            + " interrupted: {}", handlers.getActiveCount());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ExecutorsUtil.shutdownExecutorGracefully(500, protocol, timer);
            LOG.info("CoAP 已停止 / CoAP stopped");
        }
    }

    int handlersInFlight() {
        return handlers == null ? 0 : handlers.getActiveCount();
    }

    Resources resources() {
        return resources;
    }

    private InetAddress bindAddress() {
        try {
            return InetAddress.getByName(settings.bindAddress());
        } catch (UnknownHostException | SecurityException e) {
            LOG.error("CoAP 绑定地址无效，不监听 / CoAP bind address '{}' is unknown, not listening: {}",
                    Messages.forLog(settings.bindAddress()), e.getMessage());
            return null;
        }
    }

    private CoapEndpoint startEndpoint(boolean dtls, InetSocketAddress address, RoutingDeliverer deliverer) {
        CoapEndpoint endpoint;
        try {
            Configuration config = configuration(address.getPort(), dtls);
            CoapEndpoint.Builder builder = new CoapEndpoint.Builder()
                    .setConfiguration(config)
                    .setLoggingTag(dtls ? "coaps" : "coap");
            if (dtls) {
                DtlsConnectorConfig dtlsConfig = DtlsConnectorConfig.builder(config)
                        .setAddress(address)
                        .setAdvancedPskStore(new DtlsPskStore(psk::key))
                        .setLoggingTag("coaps")
                        .build();
                builder.setConnector(new DTLSConnector(dtlsConfig));
            } else {
                builder.setInetSocketAddress(address);
            }
            endpoint = builder.build();
        } catch (RuntimeException e) {
            LOG.error(Messages.bindFailed(dtls, address, e));
            return null;
        }
        endpoint.setMessageDeliverer(deliverer);
        endpoint.setExecutors(protocol, timer);
        endpoint.addInterceptor(new JsonErrors(codec));
        try {
            endpoint.start();
            return endpoint;
        } catch (IOException | RuntimeException e) {
            LOG.error(Messages.bindFailed(dtls, address, e));
            try {
                endpoint.destroy();
            } catch (RuntimeException ignored) {
                // nothing was started
            }
            return null;
        }
    }

    /** A Californium configuration with every value we rely on set here: never read from or written to a file. */
    private Configuration configuration(int port, boolean dtls) {
        Configuration config = Configuration.createStandardWithoutFile();
        if (port > 0) { // informative only (the endpoint gets its address); Californium does not take 0
            config.set(dtls ? CoapConfig.COAP_SECURE_PORT : CoapConfig.COAP_PORT, port);
        }
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, settings.maxPayloadBytes());
        config.set(CoapConfig.EXCHANGE_LIFETIME, 247, TimeUnit.SECONDS);
        config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, Math.max(2, Runtime.getRuntime().availableProcessors()));
        // the gateway answers and, over DTLS, only talks to peers that connected to it
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        // RFC 9146 connection ids: a cabinet behind NAT keeps its session when its address changes
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 6);
        return config;
    }
}
