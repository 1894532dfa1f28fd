package com.mediapipeline.testing;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A webhook receiver on loopback, the JDK's HttpServer: records every call with its headers and body,
 * and answers with the statuses it is told (200 once they run out).
 */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private volatile int otherwise = 200;
    private volatile Duration delay = Duration.ZERO;

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next calls get these statuses, in order; later ones get the default. */
    public synchronized void answer(int... statuses) {
        for (int status : statuses) {
            answers.add(status);
        }
    }

    public void answerOtherwise(int status) {
        otherwise = status;
    }

    /** Waits this long before each answer. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls so far once they satisfy {@code done}; fails after {@code timeout}. */
    public List<Call> await(Predicate<List<Call>> done, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<Call> now = calls();
            if (done.test(now)) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("The receiver did not get the expected calls within " + timeout + "; it got " + calls());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        synchronized (this) {
            status = answers.isEmpty() ? otherwise : answers.poll();
            calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    body, System.currentTimeMillis(), status));
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One request the receiver got. */
    public record Call(String method, String path, Map<String, List<String>> headers, String body, long receivedAtMillis, int answered) {

        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }

        public String id() {
            return header("webhook-id");
        }

        public Map<String, Object> json() {
            return Api.json(body);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> data() {
            return (Map<String, Object>) json().get("data");
        }

        public String type() {
            return (String) json().get("type");
        }

        /** Whether the Standard Webhooks library (not our code) accepts the call as signed with this secret. */
        public boolean signedWith(String secret) {
            try {
                new Webhook(secret).verify(body, headers);
                return true;
            } catch (WebhookVerificationException e) {
                return false;
            }
        }
    }
}
