package com.mediapipeline.auth;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One authentication path for every HTTP route: a request needs a known key and a username unless it
 * is an OPTIONS, and no spelling of a path or method lets a request past it.
 */
class AuthenticationIT extends ServiceIT {

    /** An OPTIONS that the override turns into another method is that method: it needs a key. */
    @ParameterizedTest
    @ValueSource(strings = {"POST", "PATCH", "DELETE", "HEAD"})
    void anOverrideFromOptionsNeedsAKey(String method) {
        String upload = acme.create(10, null, null);
        Api anonymous = Api.anonymous(base);
        assertError(Api.send(anonymous.request(method.equals("POST") ? anonymous.uploadsUrl() : upload)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("X-HTTP-Method-Override", method).header("Upload-Length", "10")), 401, "unauthorized");
    }

    /** TUS discovery needs no key, however it is asked for. */
    @Test
    void anOverrideToOptionsNeedsNoKey() {
        Api anonymous = Api.anonymous(base);
        assertEquals(200, Api.send(anonymous.request(anonymous.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("X-HTTP-Method-Override", "OPTIONS")).statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/ws/tickets/", "/api/v1/ws/tickets;x=1"})
    void theTicketsResourceNeedsAKeyHoweverItIsSpelled(String path) {
        Api anonymous = Api.anonymous(base);
        assertError(Api.send(anonymous.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"upload_id\": \"0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70\"}"))),
                401, "unauthorized");
    }

    /** The socket path's exemption is for handshakes only: a path that leaves it is judged where it lands. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/ws/../storage/", "/api/v1/ws/%2e%2e/storage/", "/api/v1/ws/x/../../uploads/meta/"})
    void aPathThroughTheSocketPrefixNeedsAKey(String prefix) throws IOException {
        String id = Api.idOf(acme.create(10, null, null));
        String path = prefix.endsWith("meta/") ? prefix + id + "/status" : prefix + id;
        assertEquals(401, rawGetStatus(path), path);
    }

    @Test
    void anUnknownRouteNeedsAKey() {
        Api anonymous = Api.anonymous(base);
        assertError(Api.send(anonymous.request("/api/v1/nothing-here").GET()), 401, "unauthorized");
        assertError(Api.send(acme.request("/api/v1/nothing-here").GET()), 404, "not_found");
    }

    /** A request line exactly as written, without the normalising a client library may do. */
    private int rawGetStatus(String path) throws IOException {
        String context = base.getPath().endsWith("/") ? base.getPath().substring(0, base.getPath().length() - 1) : base.getPath();
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + context + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}
