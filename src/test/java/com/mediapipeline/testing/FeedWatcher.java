package com.mediapipeline.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) on /api/v1/ws, the socket of many uploads: keeps every message, as JSON. */
public final class FeedWatcher extends TextSocket implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Map<String, Object>> incoming = new LinkedBlockingQueue<>();
    private final List<Map<String, Object>> all = new CopyOnWriteArrayList<>();
    private WebSocket socket;

    /** Connects with the caller's headers. */
    public static FeedWatcher open(Api caller) {
        return open(caller.url(""), null, caller.credentials());
    }

    /** Connects with the given headers (name, value, ...); {@code query} may hold {@code ?ticket=...}. */
    public static FeedWatcher open(String baseUrl, String query, String... headers) {
        FeedWatcher watcher = new FeedWatcher();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        String url = baseUrl.replaceFirst("^http", "ws") + "/api/v1/ws" + (query == null ? "" : query);
        watcher.socket = builder.buildAsync(URI.create(url), watcher).join();
        return watcher;
    }

    @Override
    protected void received(String text) {
        Map<String, Object> message = Api.json(text);
        all.add(message);
        incoming.add(message);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message of this type, skipping others, waiting up to {@code seconds}. */
    public Map<String, Object> next(String type, long seconds) throws InterruptedException {
        return until(message -> type.equals(message.get("type")), seconds);
    }

    /** The next message that matches, skipping others, waiting up to {@code seconds} in all. */
    public Map<String, Object> until(Predicate<Map<String, Object>> wanted, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Map<String, Object> message = incoming.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no such message within " + seconds + " s; the last of " + all.size() + ": "
                        + all.subList(Math.max(0, all.size() - 5), all.size()));
            }
            if (wanted.test(message)) {
                return message;
            }
        }
    }

    public List<Map<String, Object>> messages() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
