package com.mediapipeline.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook endpoint in the driver (the JDK's HttpServer on loopback): answers every event 204 and
 * notes when it arrived. Service and driver share the host's clock, so an event's delay is its arrival
 * minus its {@code timestamp}, the moment the service changed the status. Signatures are not checked
 * here (the service's tests verify them); an unreadable body fails the scenario.
 */
final class WebhookReceiver implements AutoCloseable {

    /**
     * One request as it arrived, in the order the receiver answered them: the service sends an upload's
     * next event only after the receiver answered the one before.
     *
     * @param webhookId  the {@code webhook-id} header, the same on every repeat of one event
     * @param delayNanos arrival minus the event's {@code timestamp}
     */
    record Arrival(String webhookId, String type, String upload, long sequence, long delayNanos) {
    }

    private static final String PATH = "/hook";
    private static final int THREADS = 8;

    private final HttpServer server;
    private final ExecutorService pool;
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    private WebhookReceiver(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Listening on 127.0.0.1, on a free port. */
    static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // several threads: the service has several attempts in flight at once
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        });
        WebhookReceiver receiver = new WebhookReceiver(server, pool);
        server.createContext(PATH, receiver::receive);
        server.setExecutor(pool);
        server.start();
        return receiver;
    }

    /** The URL to register: http to 127.0.0.1, which bench/run allows the service. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Instant arrived = Instant.now();
            try {
                WebhookEvent event = WebhookEvent.parse(body);
                long delay = Duration.between(Instant.parse(event.timestamp()), arrived).toNanos();
                arrivals.add(new Arrival(exchange.getRequestHeaders().getFirst("webhook-id"), event.type(), event.data().token(),
                        event.data().sequence(), delay));
                if (WebhookEvent.DELETED.equals(event.type())) {
                    deleted.add(event.data().token());
                }
            } catch (RuntimeException unreadable) {
                failures.add(new IllegalStateException("unreadable webhook event: " + body, unreadable));
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /**
     * Waits until every one of {@code uploads} has had its deletion delivered (each upload's last event,
     * which the service sends only after the earlier ones), or {@code timeout} passed: every arrival so far.
     */
    List<Arrival> await(Collection<String> uploads, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!deleted.containsAll(uploads) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " webhook events could not be read", failures.peek());
        }
        return new ArrayList<>(arrivals);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
