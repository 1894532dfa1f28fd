package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SocketWatcher;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/v1/uploads/meta/{token}/status when Redis lost the upload's status hash (a failover before it
 * was replicated, a restart without persistence): the status comes back from the info file on disk, as
 * TUS HEAD answers from it, and is written back for the listing and the expiry index.
 */
class LostStatusIT extends ServiceIT {

    @Test
    void aLostStatusIsRebuiltFromTheInfoFileAndWrittenBack() {
        String upload = acme.create(1000, "movie.mp4", "video/mp4");
        String id = Api.idOf(upload);
        assertEquals(204, acme.patch(upload, 0, new byte[400]).statusCode());
        loseStatus(id);

        Map<String, Object> status = acme.statusJson(id);
        assertEquals(id, status.get("token"));
        assertEquals("uploading", status.get("status"));
        assertEquals(400, ((Number) status.get("offset")).longValue());
        assertEquals(1000, ((Number) status.get("size")).longValue());
        assertEquals(40.0, ((Number) status.get("progress")).doubleValue());
        assertEquals("movie.mp4", status.get("filename"));
        assertEquals("video/mp4", status.get("content_type"));
        assertNotNull(Instant.parse((String) status.get("created_at")));

        Map<String, String> hash = TestRedis.uploadHash(id);
        assertEquals("uploading", hash.get("status"));
        assertEquals("400", hash.get("offset"));
        assertEquals(TestEnvironment.ACME, hash.get("business"));
        assertNotNull(TestRedis.client().zscore(RedisKeys.listing(TestEnvironment.ACME, null, "uploading"), hash.get("listed_as")),
                "listed again");
        assertNotNull(TestRedis.client().zscore(RedisKeys.expiries(TestEnvironment.ACME), id), "scheduled for expiry again");

        // the upload goes on as usual from the restored status
        assertEquals(204, acme.patch(upload, 400, new byte[600]).statusCode());
        assertEquals("completed", acme.statusJson(id).get("status"));
    }

    @Test
    void aLostStatusOfACompletedUploadAnswersCompleted() {
        String upload = acme.create(10, "done.txt", "text/plain");
        String id = Api.idOf(upload);
        assertEquals(204, acme.patch(upload, 0, new byte[10]).statusCode());
        loseStatus(id);

        Map<String, Object> status = acme.statusJson(id);
        assertEquals("completed", status.get("status"));
        assertEquals(10, ((Number) status.get("offset")).longValue());
        assertEquals(100.0, ((Number) status.get("progress")).doubleValue());
        assertNotNull(Instant.parse((String) status.get("completed_at")));
        assertEquals("completed", TestRedis.uploadHash(id).get("status"));
    }

    /** A ticket for the upload's socket, and the socket itself, find the lost status as the status endpoint does. */
    @Test
    void aTicketAndTheProgressSocketRestoreALostStatus() throws Exception {
        String upload = acme.create(1000, "socket.bin", null);
        String id = Api.idOf(upload);
        assertEquals(204, acme.patch(upload, 0, new byte[300]).statusCode());
        loseStatus(id);
        HttpResponse<String> ticket = Api.send(acme.request("/api/v1/ws/tickets").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"upload_id\": \"" + id + "\"}")));
        assertEquals(200, ticket.statusCode(), ticket.body());

        loseStatus(id);
        try (SocketWatcher watcher = SocketWatcher.open(acme, id)) {
            ProgressEvent state = watcher.next(30);
            assertEquals(300, state.bytesSent(), state.toString());
        }
        assertEquals("300", TestRedis.uploadHash(id).get("offset"));
    }

    @Test
    void anUnknownIdStays404() {
        String id = UUID.randomUUID().toString();
        assertError(acme.status(id), 404, "not_found");
        assertTrue(TestRedis.uploadHash(id).isEmpty(), "no status is made up for it");
    }

    /** Another business learns nothing, and its question restores nothing. */
    @Test
    void anotherBusinessGets404ForALostStatus() {
        String id = Api.idOf(acme.create(4, "secret.txt", "text/plain"));
        loseStatus(id);

        assertError(Api.globex(base).status(id), 404, "not_found");
        assertTrue(TestRedis.uploadHash("globex", id).isEmpty());
        assertTrue(TestRedis.uploadHash(id).isEmpty());
        assertEquals("secret.txt", acme.statusJson(id).get("filename"));
    }

    /** An upload whose deletion is under way (tombstoned, its files not yet gone) is not brought back. */
    @Test
    void aTombstonedUploadIsNotBroughtBack() {
        String upload = acme.create(4, null, null);
        String id = Api.idOf(upload);
        loseStatus(id);
        TestRedis.client().set(RedisKeys.deleted(TestEnvironment.ACME, id), "1");
        try {
            assertError(acme.status(id), 404, "not_found");
            assertTrue(TestRedis.uploadHash(id).isEmpty());
        } finally {
            TestRedis.delete(RedisKeys.deleted(TestEnvironment.ACME, id));
        }
    }

    @Test
    void aDeletedUploadStays404() {
        String upload = acme.create(4, null, null);
        String id = Api.idOf(upload);
        assertEquals(204, Api.send(acme.request(upload).DELETE()).statusCode());
        assertError(acme.status(id), 404, "not_found");
        assertTrue(TestRedis.uploadHash(id).isEmpty());
    }

    /**
     * As a failover to a replica the hash had not reached yet leaves it; after the upload's last PATCH has
     * had its throttled trailing progress write (100 ms in the tests), which would bring the hash back.
     */
    private static void loseStatus(String id) {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        TestRedis.delete(RedisKeys.upload(TestEnvironment.ACME, id));
        assertTrue(TestRedis.uploadHash(id).isEmpty(), "the status is lost");
    }
}
