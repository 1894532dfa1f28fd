package com.mediapipeline.web;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static com.mediapipeline.testing.Api.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CORS on the TUS routes, so that browser clients work; CorsFilterTest covers the filter's cases one by one. */
class CorsIT extends ServiceIT {

    @Test
    void corsPreflightIsAnsweredAndTusHeadersAreExposed() {
        HttpResponse<String> preflight = send(Api.anonymous(base).request(acme.uploadsUrl())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "x-api-key, x-username, upload-offset"));
        assertEquals(204, preflight.statusCode());
        String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
        assertTrue(allowed.contains("X-API-KEY") && allowed.contains("X-Username") && allowed.contains("Upload-Offset"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("PATCH"));

        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1").header("Origin", "https://app.example.com"));
        assertEquals("*", created.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        String exposed = created.headers().firstValue("Access-Control-Expose-Headers").orElseThrow();
        assertTrue(exposed.contains("Location") && exposed.contains("Upload-Offset") && exposed.contains("Tus-Resumable"));
    }

    /** tus-js-client in a browser, speaking IETF Resumable Uploads: its fields pass the preflight and the answers' are readable. */
    @Test
    void ietfFieldsPassThePreflightAndAreExposed() {
        HttpResponse<String> preflight = send(Api.anonymous(base).request(acme.uploadsUrl())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "upload-draft-interop-version, upload-complete, content-digest"));
        String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
        for (String field : new String[] {"Upload-Draft-Interop-Version", "Upload-Complete", "Content-Digest", "Repr-Digest"}) {
            assertTrue(allowed.contains(field), field + " in " + allowed);
        }
        HttpResponse<String> created = send(acme.ietf(acme.uploadsUrl(), 6).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Complete", "?0").header("Origin", "https://app.example.com"));
        assertEquals(201, created.statusCode(), created.body());
        String exposed = created.headers().firstValue("Access-Control-Expose-Headers").orElseThrow();
        for (String field : new String[] {"Location", "Upload-Offset", "Upload-Complete", "Upload-Limit", "Upload-Draft-Interop-Version"}) {
            assertTrue(exposed.contains(field), field + " in " + exposed);
        }
    }
}
