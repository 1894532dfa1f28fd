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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WS /api/v1/ws/{upload_id} with a real WebSocket client: messages, throttling, auth, tickets, fan-out. */
class ProgressSocketIT extends ServiceIT {

    @Test
    void messagesFollowTheUploadFromCreatedToCompleteThenTheSocketCloses() throws Exception {
        String upload = acme.create(3000, "a.bin", null);
        try (SocketWatcher watcher = SocketWatcher.open(acme, Api.idOf(upload))) {
            ProgressEvent created = watcher.next();
            assertEquals(new ProgressEvent("created", Api.idOf(upload), 0.0, 0, 3000L, "created", null), created);

            assertEquals(204, acme.patch(upload, 0, new byte[1000]).statusCode());
            ProgressEvent progress = watcher.next();
            assertEquals("progress", progress.type());
            assertEquals(1000, progress.bytesSent());
            assertEquals(33.3, progress.progress());
            assertEquals("uploading", progress.status());

            assertEquals(204, acme.patch(upload, 1000, new byte[2000]).statusCode());
            ProgressEvent last = lastBeforeClose(watcher);
            assertEquals(new ProgressEvent("complete", Api.idOf(upload), 100.0, 3000, 3000L, "completed", null), last);
            assertEquals(1000, watcher.closeCode());
            String json = watcher.rawMessages().get(0);
            for (String field : List.of("\"type\"", "\"upload_id\"", "\"progress\"", "\"bytes_sent\"", "\"total_size\"",
                    "\"status\"", "\"message\"")) {
                assertTrue(json.contains(field), json);
            }
        }
    }

    @Test
    void aLateJoinerSeesTheCurrentStateAndACompletedUploadAnswersComplete() throws Exception {
        String upload = acme.create(10, null, null);
        acme.patch(upload, 0, new byte[4]);
        try (SocketWatcher watcher = SocketWatcher.open(acme, Api.idOf(upload))) {
            ProgressEvent now = watcher.next();
            assertEquals("progress", now.type());
            assertEquals(4, now.bytesSent());
        }
        acme.patch(upload, 4, new byte[6]);
        try (SocketWatcher watcher = SocketWatcher.open(acme, Api.idOf(upload))) {
            assertEquals("complete", watcher.next().type());
            assertEquals(1000, watcher.closeCode());
        }
    }

    /** A fast 64 MiB upload in small PATCHes yields far fewer messages than PATCHes; the last is complete at 100. */
    @Test
    void progressIsThrottledAndNeverGoesBackwards() throws Exception {
        int patchSize = 256 * 1024;
        int patches = 256;
        String upload = acme.create((long) patchSize * patches, null, null);
        try (SocketWatcher watcher = SocketWatcher.open(acme, Api.idOf(upload))) {
            byte[] chunk = new byte[patchSize];
            Instant start = Instant.now();
            for (int i = 0; i < patches; i++) {
                assertEquals(204, acme.patch(upload, (long) i * patchSize, chunk).statusCode());
            }
            long elapsed = Duration.between(start, Instant.now()).toMillis();
            ProgressEvent last = lastBeforeClose(watcher);
            assertEquals("complete", last.type());
            assertEquals(100.0, last.progress());
            List<ProgressEvent> messages = watcher.messages();
            // one message per interval at most (plus created, the first progress and complete), however fast the
            // PATCHes came; a loaded machine that makes them slower than the interval makes this bound looser, never wrong
            long allowed = elapsed / TestEnvironment.PROGRESS_INTERVAL_MS + 3;
            assertTrue(messages.size() <= allowed, messages.size() + " messages for " + patches + " PATCHes in " + elapsed + " ms");
            for (int i = 1; i < messages.size(); i++) {
                assertTrue(messages.get(i).bytesSent() >= messages.get(i - 1).bytesSent(), messages.toString());
            }
        }
    }

    /** Many clients on one upload; one vanishing mid-upload harms neither the upload nor the others. */
    @Test
    void severalWatchersAndOneThatDrops() throws Exception {
        String upload = acme.create(2000, null, null);
        String id = Api.idOf(upload);
        try (SocketWatcher first = SocketWatcher.open(acme, id);
             SocketWatcher second = SocketWatcher.open(acme, id);
             SocketWatcher dropping = SocketWatcher.open(acme, id)) {
            for (SocketWatcher watcher : List.of(first, second, dropping)) {
                assertEquals("created", watcher.next().type());
            }
            dropping.abort();
            assertEquals(204, acme.patch(upload, 0, new byte[1000]).statusCode());
            assertEquals(204, acme.patch(upload, 1000, new byte[1000]).statusCode());
            assertEquals("complete", lastBeforeClose(first).type());
            assertEquals("complete", lastBeforeClose(second).type());
            assertEquals("completed", acme.statusJson(id).get("status"));
        }
    }

    @Test
    void badOrMissingAuthenticationCloses4401() throws Exception {
        String id = Api.idOf(acme.create(10, null, null));
        try (SocketWatcher none = SocketWatcher.open(acme.url(""), id, null)) {
            assertEquals(4401, none.closeCode());
        }
        try (SocketWatcher wrongKey = SocketWatcher.open(acme.url(""), id, null, "X-API-KEY", "nope", "X-Username", "a")) {
            assertEquals(4401, wrongKey.closeCode());
        }
        try (SocketWatcher badTicket = SocketWatcher.open(acme.url(""), id, "?ticket=made-up")) {
            assertEquals(4401, badTicket.closeCode());
        }
    }

    @Test
    void unknownUploadOrAnotherBusinessesUploadCloses4404() throws Exception {
        String id = Api.idOf(acme.create(10, null, null));
        try (SocketWatcher other = SocketWatcher.open(Api.globex(base), id)) {
            assertEquals(4404, other.closeCode());
        }
        try (SocketWatcher unknown = SocketWatcher.open(acme, "0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70")) {
            assertEquals(4404, unknown.closeCode());
        }
        try (SocketWatcher malformed = SocketWatcher.open(acme, "not-an-id")) {
            assertEquals(4404, malformed.closeCode());
        }
    }

    /** Browsers cannot set headers on a WebSocket: a ticket, valid 60 s, used once. */
    @Test
    void ticketsAreSingleUseAndExpire() throws Exception {
        String id = Api.idOf(acme.create(10, null, null));
        HttpResponse<String> issued = Api.send(acme.request("/api/v1/ws/tickets")
                .POST(HttpRequest.BodyPublishers.ofString("{\"upload_id\": \"" + id + "\"}"))
                .header("Content-Type", "application/json"));
        assertEquals(200, issued.statusCode(), issued.body());
        Map<String, Object> body = Api.json(issued.body());
        String ticket = (String) body.get("ticket");
        Duration lifetime = Duration.between(Instant.now(), Instant.parse((String) body.get("expires_at")));
        assertTrue(lifetime.toSeconds() > 50 && lifetime.toSeconds() <= 60, lifetime.toString());
        long ttl = TestRedis.client().ttl(RedisKeys.ticket(ticket));
        assertTrue(ttl > 50 && ttl <= 60, "Redis expires the ticket: ttl " + ttl);

        try (SocketWatcher browser = SocketWatcher.open(acme.url(""), id, "?ticket=" + ticket)) {
            assertEquals("created", browser.next().type());
        }
        try (SocketWatcher again = SocketWatcher.open(acme.url(""), id, "?ticket=" + ticket)) {
            assertEquals(4401, again.closeCode());
        }
    }

    @Test
    void ticketRequestsAreCheckedLikeAnyCall() {
        String id = Api.idOf(acme.create(10, null, null));
        assertError(postTicket(Api.globex(base), "{\"upload_id\": \"" + id + "\"}"), 404, "not_found");
        assertError(postTicket(acme, "{\"upload_id\": \"nope\"}"), 400, "invalid_token");
        assertError(postTicket(acme, "{not json"), 400, "bad_request");
        assertError(postTicket(Api.anonymous(base), "{\"upload_id\": \"" + id + "\"}"), 401, "unauthorized");
    }

    /**
     * Events travel through Redis pub/sub: one published by another instance (in the relay's format: stream
     * id, business, user, event, a line each) reaches this instance's socket.
     */
    @Test
    void anEventPublishedByAnotherInstanceReachesTheSocket() throws Exception {
        String upload = acme.create(100, null, null);
        String id = Api.idOf(upload);
        try (SocketWatcher watcher = SocketWatcher.open(acme, id)) {
            assertEquals("created", watcher.next().type());
            ProgressEvent elsewhere = new ProgressEvent("progress", id, 42.0, 42, 100L, "uploading", null);
            TestRedis.client().publish(RedisKeys.PROGRESS_CHANNEL, String.join("\n", Relayed.NO_ID, "acme", "alice", elsewhere.toJson()));
            assertEquals(elsewhere, watcher.next());
        }
    }

    @Test
    void deletingTheUploadSendsAnErrorAndCloses() throws Exception {
        String id = Api.idOf(acme.create(100, null, null));
        try (SocketWatcher watcher = SocketWatcher.open(acme, id)) {
            assertEquals("created", watcher.next().type());
            assertEquals(204, Api.send(acme.request("/api/v1/storage/" + id).DELETE()).statusCode());
            ProgressEvent error = watcher.next();
            assertEquals("error", error.type());
            assertEquals("deleted", error.message());
            assertEquals(1000, watcher.closeCode());
        }
    }

    private HttpResponse<String> postTicket(Api caller, String body) {
        return Api.send(caller.request("/api/v1/ws/tickets").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    private static ProgressEvent lastBeforeClose(SocketWatcher watcher) throws Exception {
        assertEquals(1000, watcher.closeCode());
        List<ProgressEvent> messages = watcher.messages();
        assertNull(messages.stream().filter(ProgressEvent::terminal).skip(1).findFirst().orElse(null),
                "exactly one terminal message: " + messages);
        return messages.get(messages.size() - 1);
    }
}
