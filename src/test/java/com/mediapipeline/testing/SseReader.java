package com.mediapipeline.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server-sent event client over the JDK's HttpClient, parsing the stream as the HTML standard says (event, id, data),
 * except that an event without its own {@code id:} has none here, so that tests see which events carry one.
 */
public final class SseReader implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One event: its name ({@code event:}), {@code id:} and {@code data:}. */
    public record Event(String name, String id, String data) {
    }

    private final BlockingQueue<Event> incoming = new LinkedBlockingQueue<>();
    private final List<Event> all = new CopyOnWriteArrayList<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream with the caller's headers and these (name, value, ...). */
    public static SseReader open(Api caller, String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(caller.url(pathAndQuery))).header("Accept", "text/event-stream");
        String[] credentials = caller.credentials();
        request.header(credentials[0], credentials[1]).header(credentials[2], credentials[3]);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> response = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("the event stream answered " + response.statusCode() + ": " + body);
        }
        return new SseReader(response);
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        Event event = new Event(name == null ? "message" : name, id, data.toString());
                        all.add(event);
                        incoming.add(event);
                    }
                    name = null;
                    id = null;
                    data = null;
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException closed) {
            // the test closed the stream, or the server ended it
        }
    }

    /** The next event that matches, skipping others, waiting up to {@code seconds} in all. */
    public Event until(Predicate<Event> wanted, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Event event = incoming.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no such event within " + seconds + " s; the last of " + all.size() + ": "
                        + all.subList(Math.max(0, all.size() - 5), all.size()));
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    public List<Event> events() {
        return List.copyOf(all);
    }

    /** Drops the connection, as a client that goes away. */
    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
