package com.mediapipeline.testing;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.nio.charset.StandardCharsets;

/** Raw HTTP against the running service, authenticated as one business and user. */
public final class Api {

    public static final String OCTET_STREAM = "application/offset+octet-stream";
    private static final Jsonb JSON = JsonbBuilder.create();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String base;
    private final String apiKey;
    private final String username;

    private Api(String base, String apiKey, String username) {
        // the adapter reports the machine's address; the tests talk to the service over loopback only
        String local = base.replaceFirst("//[^:/]+", "//127.0.0.1");
        this.base = local.endsWith("/") ? local.substring(0, local.length() - 1) : local;
        this.apiKey = apiKey;
        this.username = username;
    }

    public static Api acme(URL base) {
        return new Api(base.toString(), TestEnvironment.ACME_KEY, "alice");
    }

    public static Api globex(URL base) {
        return new Api(base.toString(), TestEnvironment.GLOBEX_KEY, "bob");
    }

    /** A caller with its own key and username, for tests that give the service businesses of their own. */
    public static Api as(URL base, String apiKey, String username) {
        return new Api(base.toString(), apiKey, username);
    }

    public static Api anonymous(URL base) {
        return new Api(base.toString(), null, null);
    }

    /** The same business's key, naming another user. */
    public Api as(String otherUser) {
        return new Api(base, apiKey, otherUser);
    }

    /** This caller's authentication headers as name, value pairs. */
    public String[] credentials() {
        return new String[] {"X-API-KEY", apiKey, "X-Username", username};
    }

    public String url(String path) {
        return base + path;
    }

    public String uploadsUrl() {
        return url("/api/v1/uploads/");
    }

    /** A request with this caller's headers and {@code Tus-Resumable}. */
    public HttpRequest.Builder request(String pathOrUrl) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : url(pathOrUrl)))
                .header("Tus-Resumable", "1.0.0");
        if (apiKey != null) {
            request.header("X-API-KEY", apiKey).header("X-Username", username);
        }
        return request;
    }

    /** A request of IETF Resumable Uploads in this interop version, with this caller's headers and no TUS ones. */
    public HttpRequest.Builder ietf(String pathOrUrl, int interopVersion) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : url(pathOrUrl)))
                .header("Upload-Draft-Interop-Version", Integer.toString(interopVersion));
        if (apiKey != null) {
            request.header("X-API-KEY", apiKey).header("X-Username", username);
        }
        return request;
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates an upload of {@code length} bytes and answers its URL. */
    public String create(long length, String filename, String filetype) {
        HttpRequest.Builder request = request(uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", Long.toString(length));
        if (filename != null) {
            request.header("Upload-Metadata", metadata("filename", filename)
                    + (filetype == null ? "" : "," + metadata("filetype", filetype)));
        }
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 201) {
            throw new AssertionError("creation answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** Creates an upload with these headers (name, value, name, value, …) and answers its URL. */
    public String createWith(String... headers) {
        HttpResponse<String> response = send(request(uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody()).headers(headers));
        if (response.statusCode() != 201) {
            throw new AssertionError("creation answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    public HttpResponse<String> patch(String uploadUrl, long offset, byte[] bytes) {
        return send(patchRequest(uploadUrl, offset, bytes));
    }

    /** A PATCH of {@code bytes} at {@code offset}, for a test to add headers to before it sends it. */
    public HttpRequest.Builder patchRequest(String uploadUrl, long offset, byte[] bytes) {
        return request(uploadUrl).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", Long.toString(offset));
    }

    /** A PATCH from offset 0 whose body of {@code size} bytes trickles in, sent in the background. */
    public CompletableFuture<HttpResponse<String>> slowPatch(String uploadUrl, long size, long pauseMillis) {
        return HTTP.sendAsync(request(uploadUrl)
                        .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new SlowBody(size, 256 * 1024, pauseMillis)))
                        .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A raw connection that has sent the head of a PATCH from offset 0 announcing {@code length}
     * bytes; the caller writes as much of the body as it likes, then may hang up mid-request.
     */
    public Socket openPatch(String uploadUrl, long length) throws IOException {
        URI uri = URI.create(uploadUrl);
        Socket socket = new Socket("127.0.0.1", uri.getPort());
        String head = "PATCH " + uri.getRawPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + uri.getPort() + "\r\n"
                + "Tus-Resumable: 1.0.0\r\nX-API-KEY: " + apiKey + "\r\nX-Username: " + username + "\r\n"
                + "Content-Type: " + OCTET_STREAM + "\r\nUpload-Offset: 0\r\nContent-Length: " + length + "\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /**
     * The head of the service's answer (status line and headers) on a raw connection such as
     * {@link #openPatch}'s, or what it sent before it closed the connection; fails if it does
     * neither within {@code timeout}.
     */
    public static String answerHead(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                head.write(b);
                if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the service neither answered nor closed the connection within " + timeout
                    + "; it sent: " + head.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException reset) {
            // closed by the service: as good as an answer
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    public HttpResponse<String> head(String uploadUrl) {
        return send(request(uploadUrl).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    /** GET /api/v1/storage/{id}, with extra headers as name, value, name, value... */
    public HttpResponse<byte[]> download(String uploadId, String... headers) {
        HttpRequest.Builder request = request("/api/v1/storage/" + uploadId).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return sendForBytes(request);
    }

    /** The stored bytes of an upload that the test expects complete, by its URL; fails unless the download answers 200. */
    public byte[] downloaded(String uploadUrl) {
        HttpResponse<byte[]> response = download(idOf(uploadUrl));
        if (response.statusCode() != 200) {
            throw new AssertionError("download answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    public HttpResponse<String> status(String uploadId) {
        return send(request("/api/v1/uploads/meta/" + uploadId + "/status").GET());
    }

    public Map<String, Object> statusJson(String uploadId) {
        HttpResponse<String> response = status(uploadId);
        if (response.statusCode() != 200) {
            throw new AssertionError("status answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /**
     * Waits until the upload's status shows bytes recorded, as it does soon after a PATCH begins
     * streaming into it, and answers that offset.
     */
    public long awaitBytesRecorded(String uploadUrl) {
        return Await.until(Duration.ofSeconds(30), "bytes of " + idOf(uploadUrl) + " to be recorded in its status",
                () -> ((Number) statusJson(idOf(uploadUrl)).get("offset")).longValue(), offset -> offset > 0);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> json(String body) {
        return JSON.fromJson(body, Map.class);
    }

    public static String idOf(String uploadUrl) {
        return uploadUrl.substring(uploadUrl.lastIndexOf('/') + 1);
    }

    public static String metadata(String key, String value) {
        return key + " " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
