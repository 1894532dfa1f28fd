package com.mediapipeline.testing;

import com.mediapipeline.progress.ProgressEvent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) on /api/v1/ws/{id}, keeping every message and the close code. */
public final class SocketWatcher extends TextSocket implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<ProgressEvent> incoming = new LinkedBlockingQueue<>();
    private final List<ProgressEvent> all = new CopyOnWriteArrayList<>();
    private final List<String> raw = new CopyOnWriteArrayList<>();
    private WebSocket socket;

    /** Connects with the given headers (name, value, ...); {@code query} may hold {@code ?ticket=...}. */
    public static SocketWatcher open(String baseUrl, String uploadId, String query, String... headers) {
        SocketWatcher watcher = new SocketWatcher();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        String url = baseUrl.replaceFirst("^http", "ws") + "/api/v1/ws/" + uploadId + (query == null ? "" : query);
        try {
            watcher.socket = builder.buildAsync(URI.create(url), watcher).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(url, refused);
            }
            throw e;
        }
        return watcher;
    }

    /** A handshake answered with anything but 101; the message says what came back. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(String url, WebSocketHandshakeException cause) {
            super("The handshake to " + url + " was answered " + cause.getResponse().statusCode() + " "
                    + cause.getResponse().headers().map() + " " + cause.getResponse().body(), cause);
            this.status = cause.getResponse().statusCode();
        }

        public int status() {
            return status;
        }
    }

    public static SocketWatcher open(Api caller, String uploadId) {
        return open(caller.url(""), uploadId, null, caller.credentials());
    }

    @Override
    protected void received(String text) {
        raw.add(text);
        ProgressEvent event = ProgressEvent.fromJson(text);
        all.add(event);
        incoming.add(event);
    }

    /** The next message, waiting up to 10 s. */
    public ProgressEvent next() throws InterruptedException {
        return next(10);
    }

    public ProgressEvent next(long seconds) throws InterruptedException {
        ProgressEvent event = incoming.poll(seconds, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no message within " + seconds + " s; so far: " + all);
        }
        return event;
    }

    /** The next message of {@code type}, skipping the others, each waited for up to {@code seconds}. */
    public ProgressEvent nextOfType(String type, long seconds) throws InterruptedException {
        while (true) {
            ProgressEvent event = next(seconds);
            if (type.equals(event.type())) {
                return event;
            }
        }
    }

    public List<ProgressEvent> messages() {
        return List.copyOf(all);
    }

    /** The messages as the server wrote them. */
    public List<String> rawMessages() {
        return List.copyOf(raw);
    }

    /** Drops the connection without a close handshake, as a client that vanishes. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
