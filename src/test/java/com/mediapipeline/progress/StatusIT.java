package com.mediapipeline.progress;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/v1/uploads/meta/{token}/status and the Redis hash behind it, through an upload's life. */
class StatusIT extends ServiceIT {

    @Test
    void statusFollowsTheUploadFromCreatedToCompleted() {
        String upload = acme.create(1000, "report.pdf", "application/pdf");
        String id = Api.idOf(upload);

        Map<String, Object> created = acme.statusJson(id);
        assertEquals(id, created.get("token"));
        assertEquals("created", created.get("status"));
        assertEquals(0, ((Number) created.get("progress")).doubleValue());
        assertEquals(0, ((Number) created.get("offset")).longValue());
        assertEquals(1000, ((Number) created.get("size")).longValue());
        assertEquals("report.pdf", created.get("filename"));
        assertEquals("application/pdf", created.get("content_type"));
        assertEquals("alice", created.get("username"));
        assertNull(created.get("completed_at"));
        Instant createdAt = Instant.parse((String) created.get("created_at"));

        assertEquals(204, acme.patch(upload, 0, SlowBody.pattern(755)).statusCode());
        Map<String, Object> uploading = acme.statusJson(id);
        assertEquals("uploading", uploading.get("status"));
        assertEquals(75.5, ((Number) uploading.get("progress")).doubleValue());
        assertEquals(755, ((Number) uploading.get("offset")).longValue());
        assertFalse(Instant.parse((String) uploading.get("updated_at")).isBefore(createdAt));

        assertEquals(204, acme.patch(upload, 755, new byte[245]).statusCode());
        Map<String, Object> completed = acme.statusJson(id);
        assertEquals("completed", completed.get("status"));
        assertEquals(100.0, ((Number) completed.get("progress")).doubleValue());
        assertEquals(1000, ((Number) completed.get("offset")).longValue());
        assertTrue((((String) completed.get("completed_at")).endsWith("Z")));
    }

    @Test
    void redisHashHoldsTheStatusOwnerAndFile() {
        String upload = acme.create(400, "clip.mp4", "video/mp4");
        String id = Api.idOf(upload);
        assertEquals(204, acme.patch(upload, 0, new byte[100]).statusCode());

        Map<String, String> hash = TestRedis.uploadHash(id);
        assertEquals("uploading", hash.get("status"));
        assertEquals("25.0", hash.get("progress"));
        assertEquals("100", hash.get("offset"));
        assertEquals("400", hash.get("size"));
        assertEquals("acme", hash.get("business"));
        assertEquals("alice", hash.get("username"));
        assertEquals("clip.mp4", hash.get("filename"));
        assertEquals("video/mp4", hash.get("content_type"));
        assertNotNull(Instant.parse(hash.get("created_at")));
        assertNotNull(Instant.parse(hash.get("updated_at")));
    }

    /** Progress is written while bytes stream in, not only when the PATCH ends. */
    @Test
    void progressMovesDuringOneLongPatch() throws Exception {
        long size = 8L * 1024 * 1024;
        String upload = acme.create(size, null, null);
        String id = Api.idOf(upload);
        CompletableFuture<HttpResponse<String>> patch = acme.slowPatch(upload, size, 60);

        record Seen(long offset, boolean patchEnded) {
        }
        Seen seen = Await.until(Duration.ofSeconds(60), "an offset between 0 and the size, or the PATCH's end",
                () -> {
                    // whether the PATCH had ended is asked first: an offset read after it ended says nothing of midway
                    boolean ended = patch.isDone();
                    return new Seen(Long.parseLong(TestRedis.uploadHash(id).get("offset")), ended);
                },
                s -> s.patchEnded() || s.offset() > 0 && s.offset() < size);
        assertEquals(204, patch.get().statusCode(), patch.get().body());
        assertTrue(!seen.patchEnded() && seen.offset() > 0 && seen.offset() < size,
                "an offset between 0 and the size was visible while the PATCH streamed: " + seen);
        assertEquals("completed", acme.statusJson(id).get("status"));
    }

    @Test
    void deferredLengthShowsNoSizeAndZeroProgress() {
        HttpResponse<String> created = Api.send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Defer-Length", "1"));
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertEquals(204, acme.patch(upload, 0, new byte[10]).statusCode());
        Map<String, Object> status = acme.statusJson(Api.idOf(upload));
        assertTrue(status.containsKey("size") && status.get("size") == null, status.toString());
        assertEquals(0.0, ((Number) status.get("progress")).doubleValue());
        assertEquals(10, ((Number) status.get("offset")).longValue());
    }

    @Test
    void unknownTokenIs404AndMalformedTokenIs400() {
        assertError(acme.status("0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70"), 404, "not_found");
        assertError(acme.status("not-an-id"), 400, "invalid_token");
        assertError(acme.status("..%2F..%2Fetc"), 400, "invalid_token");
    }

    @Test
    void callsWithoutAValidKeyAre401AndWithoutAValidUsernameAre400() {
        String id = Api.idOf(acme.create(1, null, null));
        String path = "/api/v1/uploads/meta/" + id + "/status";
        assertError(Api.send(Api.anonymous(base).request(path).GET()), 401, "unauthorized");
        assertError(Api.send(Api.anonymous(base).request(path).GET().header("X-API-KEY", "wrong").header("X-Username", "a")),
                401, "unauthorized");
        assertError(Api.send(Api.anonymous(base).request(path).GET().header("X-API-KEY", "acme-test-key-0001")),
                400, "invalid_username");
        assertError(Api.send(Api.anonymous(base).request(path).GET().header("X-API-KEY", "acme-test-key-0001")
                .header("X-Username", "a".repeat(129))), 400, "invalid_username");
        assertError(Api.send(Api.anonymous(base).request(path).GET().header("X-API-KEY", "acme-test-key-0001")
                .header("X-Username", "bad name")), 400, "invalid_username");
        assertError(Api.send(Api.anonymous(base).request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1")), 401, "unauthorized");
        assertError(Api.send(Api.anonymous(base).request("/api/v1/storage/" + id).GET()), 401, "unauthorized");
    }

    /** Another business learns nothing: every call about the upload answers 404, and changes nothing. */
    @Test
    void anotherBusinessGets404ForEverything() {
        String upload = acme.create(4, "secret.txt", "text/plain");
        assertEquals(204, acme.patch(upload, 0, new byte[4]).statusCode());
        String id = Api.idOf(upload);
        Api globex = Api.globex(base);

        assertError(globex.status(id), 404, "not_found");
        assertEquals(404, globex.head(upload).statusCode());
        assertError(globex.patch(upload, 4, new byte[1]), 404, "not_found");
        assertError(Api.send(globex.request("/api/v1/storage/" + id).GET()), 404, "not_found");
        assertError(Api.send(globex.request("/api/v1/storage/" + id).DELETE()), 404, "not_found");
        assertError(Api.send(globex.request(upload).DELETE()), 404, "not_found");

        assertEquals("completed", acme.statusJson(id).get("status"));
        assertEquals(200, Api.send(acme.request("/api/v1/storage/" + id).GET()).statusCode());
    }
}
