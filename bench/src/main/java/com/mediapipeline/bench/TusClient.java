package com.mediapipeline.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one TUS client of the benchmark, the same for the service and for the peer, so that neither is
 * measured through a faster client. Any answer but the expected one fails the run: a benchmark of error
 * answers is worthless.
 *
 * @param name    the server's name in failure messages
 * @param uploads its creation URL
 * @param headers what it wants on every request (the service: its API key and a user)
 */
record TusClient(String name, String uploads, Map<String, String> headers, HttpClient http) {

    /** The last path segment of an upload's URL, which the service's other endpoints take. */
    static String idOf(String upload) {
        return upload.substring(upload.lastIndexOf('/') + 1);
    }

    /** Creates an upload of {@code size} bytes: its URL. */
    String create(long size) throws Exception {
        HttpResponse<String> response = expect(201, "creation", http.send(request(uploads)
                .POST(HttpRequest.BodyPublishers.noBody()).header("Upload-Length", Long.toString(size)).build(),
                HttpResponse.BodyHandlers.ofString()));
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.startsWith("http") ? location : URI.create(uploads).resolve(location).toString();
    }

    /** Sends all {@code size} bytes, in PATCHes of {@code chunk} bytes, one after the other. */
    void patchAll(String upload, long size, long chunk) throws Exception {
        for (long offset = 0; offset < size; offset += chunk) {
            long length = Math.min(chunk, size - offset);
            patch(upload, offset, length, new PatternBody(length)).get();
        }
    }

    /** One PATCH of {@code length} bytes read from {@code body}; the future fails unless it is answered 204. */
    CompletableFuture<HttpResponse<String>> patch(String upload, long offset, long length, InputStream body) {
        HttpRequest request = request(upload).method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> body), length))
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> expect(204, "PATCH", response));
    }

    void delete(String upload) throws Exception {
        expect(204, "DELETE", http.send(request(upload).DELETE().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** The same client as the user {@code username} of the same business (the service only). */
    TusClient as(String username) {
        Map<String, String> as = new HashMap<>(headers);
        as.put("X-Username", username);
        return new TusClient(name, uploads, Map.copyOf(as), http);
    }

    /** Opens a progress WebSocket on the upload {@code id} (the service only). */
    WebSocket watch(String id, WebSocket.Listener listener) {
        return socket("/api/v1/ws/" + id, listener);
    }

    /** Opens the feed socket (the service only): it follows the whole business until a subscription. */
    WebSocket feed(WebSocket.Listener listener) {
        return socket("/api/v1/ws", listener);
    }

    /** Narrows a feed socket to this client's user's uploads; the service answers with their snapshot. */
    void subscribeToUser(WebSocket feed) {
        feed.sendText("{\"subscribe\": {\"username\": \"" + headers.get("X-Username") + "\"}}", true).join();
    }

    private WebSocket socket(String path, WebSocket.Listener listener) {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        headers.forEach(builder::header);
        String ws = uploads.replaceFirst("^http", "ws").replace("/api/v1/uploads/", path);
        return builder.buildAsync(URI.create(ws), listener).join();
    }

    /** Downloads bytes {@code first} to {@code last} of the upload {@code id} (the service only): how many came. */
    long downloadRange(String id, long first, long last) throws Exception {
        String url = uploads.replace("/api/v1/uploads/", "/api/v1/storage/") + id;
        ByteCounter counter = new ByteCounter();
        expect(206, "range", http.send(request(url).GET().header("Range", "bytes=" + first + "-" + last).build(),
                info -> HttpResponse.BodySubscribers.fromSubscriber(counter, subscriber -> null)));
        return counter.total();
    }

    /** Registers a webhook endpoint at {@code url} for {@code events} (the service only): its id. */
    String registerWebhook(String url, List<String> events) throws Exception {
        HttpResponse<String> response = expect(201, "webhook registration", http.send(request(webhooks())
                .POST(HttpRequest.BodyPublishers.ofString(WebhookEvent.registration(url, events)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()));
        return WebhookEvent.idOf(response.body());
    }

    void deleteWebhook(String id) throws Exception {
        expect(204, "webhook deletion", http.send(request(webhooks() + "/" + id).DELETE().build(), HttpResponse.BodyHandlers.ofString()));
    }

    private String webhooks() {
        return uploads.replace("/api/v1/uploads/", "/api/v1/webhooks");
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Tus-Resumable", "1.0.0")
                .timeout(Duration.ofMinutes(10));
        headers.forEach(request::header);
        return request;
    }

    private <T> HttpResponse<T> expect(int status, String what, HttpResponse<T> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(name + " " + what + " " + response.uri() + " answered " + response.statusCode()
                    + (response.body() instanceof String body ? " " + body : "") + " instead of " + status);
        }
        return response;
    }
}
