package com.mediapipeline.feed;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.FeedWatcher;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SocketWatcher;
import com.mediapipeline.testing.SseReader;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WS /api/v1/ws and GET /api/v1/events: one socket (or event stream) for many uploads. Each test follows
 * a user of its own, since the Redis of a run holds other tests' uploads.
 */
class FeedIT extends ServiceIT {

    /** Twenty uploads at once, one socket: a snapshot, every upload's events to its end, and a summary that matches their statuses. */
    @Test
    void oneSocketFollowsManyUploads() throws Exception {
        Api user = ownUser();
        try (FeedWatcher feed = FeedWatcher.open(user)) {
            feed.next(Feed.SNAPSHOT, 10);
            feed.send("{\"subscribe\": {\"username\": \"" + name(user) + "\"}}");
            assertEquals(List.of(), feed.next(Feed.SNAPSHOT, 10).get("uploads"), "the user has no uploads yet");
            Map<String, Integer> sizes = new HashMap<>();
            List<CompletableFuture<HttpResponse<String>>> patches = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String upload = user.create(1000 + i, "f" + i, null);
                sizes.put(Api.idOf(upload), 1000 + i);
                patches.add(CompletableFuture.supplyAsync(() -> user.patch(upload, 0, new byte[sizes.get(Api.idOf(upload))])));
            }
            patches.forEach(patch -> assertEquals(204, patch.join().statusCode()));
            Set<String> completed = new HashSet<>();
            while (completed.size() < sizes.size()) {
                Map<String, Object> complete = feed.next("complete", 20);
                assertTrue(sizes.containsKey((String) complete.get("upload_id")), "only the subset's uploads: " + complete);
                completed.add((String) complete.get("upload_id"));
            }
            long total = sizes.values().stream().mapToLong(Integer::longValue).sum();
            Map<String, Object> summary = feed.until(message -> Feed.SUMMARY.equals(message.get("type"))
                    && ((Number) counts(message).get("completed")).intValue() == 20 && ((Number) message.get("bytes_done")).longValue() == total, 10);
            assertEquals(Map.of("created", 0, "uploading", 0, "completed", 20, "failed", 0), intCounts(summary));
            assertEquals(total, ((Number) summary.get("bytes_done")).longValue());
            assertEquals(total, ((Number) summary.get("bytes_total")).longValue());
            assertEquals(total, batchStatuses(user, sizes.keySet()).stream().mapToLong(status -> ((Number) status.get("offset")).longValue()).sum(),
                    "the summary's bytes are the statuses' offsets");
            List<Map<String, Object>> messages = feed.messages();
            int subscribed = IntStream.range(0, messages.size()).filter(i -> Feed.SNAPSHOT.equals(messages.get(i).get("type"))).max().orElseThrow();
            messages.subList(subscribed, messages.size()).stream().filter(message -> message.containsKey("upload_id"))
                    .forEach(message -> assertTrue(sizes.containsKey((String) message.get("upload_id")), "another user's upload: " + message));
        }
    }

    /** A subscription to ids follows those only; one to a user follows all theirs again; another business's uploads never come. */
    @Test
    void subscriptionsNarrowAndWiden() throws Exception {
        Api user = ownUser();
        String a = user.create(100, "a.bin", null);
        String b = user.create(100, "b.bin", null);
        Api theirs = Api.globex(base).as(name(user));
        String other = theirs.create(100, "theirs.bin", null);
        try (FeedWatcher feed = FeedWatcher.open(user)) {
            feed.next(Feed.SNAPSHOT, 10);
            feed.send("{\"subscribe\": {\"ids\": [\"" + Api.idOf(a) + "\"]}}");
            assertEquals(List.of(Api.idOf(a)), tokens(feed.next(Feed.SNAPSHOT, 10)));
            assertEquals(204, user.patch(b, 0, new byte[10]).statusCode());
            assertEquals(204, theirs.patch(other, 0, new byte[10]).statusCode());
            assertEquals(204, user.patch(a, 0, new byte[20]).statusCode());
            Map<String, Object> next = feed.until(message -> message.containsKey("upload_id"), 10);
            assertEquals(Api.idOf(a), next.get("upload_id"), "b is not in the subset, and globex's upload not in the business");
            assertEquals(20, ((Number) next.get("bytes_sent")).intValue());

            feed.send("{\"subscribe\": {\"username\": \"" + name(user) + "\"}}");
            assertEquals(Set.of(Api.idOf(a), Api.idOf(b)), Set.copyOf(tokens(feed.next(Feed.SNAPSHOT, 10))));
            assertEquals(204, theirs.patch(other, 10, new byte[10]).statusCode());
            assertEquals(204, user.patch(b, 10, new byte[10]).statusCode());
            assertEquals(20, ((Number) feed.until(message -> Api.idOf(b).equals(message.get("upload_id")), 10).get("bytes_sent")).intValue());
            assertFalse(feed.messages().stream().anyMatch(message -> Api.idOf(other).equals(message.get("upload_id"))), "globex's upload never");
        }
    }

    /** A ticket asked for without an upload id opens this socket, once, and no upload's socket; an upload's ticket does not open it. */
    @Test
    void aTicketWithoutAnUploadOpensTheFeedOnly() throws Exception {
        String upload = Api.idOf(acme.create(10, null, null));
        String ticket = ticket("{}");
        try (FeedWatcher feed = FeedWatcher.open(acme.url(""), "?ticket=" + ticket)) {
            assertNotNull(feed.next(Feed.SNAPSHOT, 10));
        }
        try (FeedWatcher again = FeedWatcher.open(acme.url(""), "?ticket=" + ticket)) {
            assertEquals(4401, again.closeCode(), "a ticket is used up");
        }
        try (SocketWatcher watcher = SocketWatcher.open(acme.url(""), upload, "?ticket=" + ticket("{}"))) {
            assertEquals(4401, watcher.closeCode(), "a feed's ticket opens no upload's socket");
        }
        try (FeedWatcher feed = FeedWatcher.open(acme.url(""), "?ticket=" + ticket("{\"upload_id\": \"" + upload + "\"}"))) {
            assertEquals(4401, feed.closeCode(), "an upload's ticket does not open the feed");
        }
        try (FeedWatcher feed = FeedWatcher.open(acme.url(""), null, "X-API-KEY", "wrong", "X-Username", "alice")) {
            assertEquals(4401, feed.closeCode());
        }
    }

    /** A message the socket does not understand is answered, and the socket goes on. */
    @Test
    void aMessageNotUnderstoodIsAnswered() throws Exception {
        Api user = ownUser();
        try (FeedWatcher feed = FeedWatcher.open(user)) {
            feed.next(Feed.SNAPSHOT, 10);
            for (String message : new String[] {"nonsense", "{}", "{\"subscribe\": {\"ids\": [\"not-an-id\"]}}", "{\"subscribe\": {\"username\": \"a b\"}}"}) {
                feed.send(message);
                Map<String, Object> answer = feed.next(Feed.INVALID, 10);
                assertEquals("bad_request", answer.get("error"), message);
            }
            feed.send("{\"subscribe\": {\"username\": \"" + name(user) + "\"}}");
            assertEquals(List.of(), feed.next(Feed.SNAPSHOT, 10).get("uploads"));
        }
    }

    /** The same messages as server-sent events, with ids; after a dropped connection, Last-Event-ID gets what was missed, not a snapshot. */
    @Test
    void eventsResumeWithLastEventId() throws Exception {
        Api user = ownUser();
        String a = user.create(100, "a.bin", null);
        String lastId;
        try (SseReader events = SseReader.open(user, "/api/v1/events?username=" + name(user))) {
            assertTrue(events.response().headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            SseReader.Event snapshot = events.until(event -> true, 10);
            assertEquals(Feed.SNAPSHOT, snapshot.name());
            assertNotNull(snapshot.id(), "an id on every event");
            assertNotNull(snapshot.id());
            assertEquals(List.of(Api.idOf(a)), tokens(Api.json(snapshot.data())));
            assertEquals(204, user.patch(a, 0, new byte[10]).statusCode());
            SseReader.Event progress = events.until(event -> "progress".equals(event.name()), 10);
            assertEquals(10, ((Number) Api.json(progress.data()).get("bytes_sent")).intValue());
            lastId = progress.id();
        }
        assertEquals(204, user.patch(a, 10, new byte[40]).statusCode());
        String b = Api.idOf(user.create(100, "b.bin", null));
        try (SseReader events = SseReader.open(user, "/api/v1/events?username=" + name(user), "Last-Event-ID", lastId)) {
            Predicate<SseReader.Event> aAt50 = event -> event.data().contains(Api.idOf(a)) && "progress".equals(event.name())
                    && ((Number) Api.json(event.data()).get("bytes_sent")).intValue() == 50;
            Predicate<SseReader.Event> bCreated = event -> event.data().contains(b) && "created".equals(event.name());
            Await.until(Duration.ofSeconds(10), "a's progress to 50 and b's creation", events::events,
                    seen -> seen.stream().anyMatch(aAt50) && seen.stream().anyMatch(bCreated));
            assertFalse(events.events().stream().anyMatch(event -> Feed.SNAPSHOT.equals(event.name())), "what was missed, not a snapshot: " + events.events());
            assertTrue(events.events().stream().allMatch(event -> event.id() != null), "an id on every event: " + events.events());
        }
        try (SseReader events = SseReader.open(user, "/api/v1/events?ids=" + Api.idOf(a), "Last-Event-ID", "1-0")) {
            assertEquals(Feed.SNAPSHOT, events.until(event -> true, 10).name(), "events older than the window: a snapshot instead");
        }
    }

    @Test
    void badParametersAre400() {
        assertError(send(acme.request("/api/v1/events?ids=not-an-id").header("Accept", "text/event-stream").GET()), 400, "bad_request");
        assertError(send(acme.request("/api/v1/events?username=a%20b").header("Accept", "text/event-stream").GET()), 400, "invalid_username");
        assertError(send(Api.anonymous(base).request("/api/v1/events").GET()), 401, "unauthorized");
    }

    private String ticket(String body) {
        HttpResponse<String> response = send(acme.request("/api/v1/ws/tickets").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
        assertEquals(200, response.statusCode(), response.body());
        return (String) Api.json(response.body()).get("ticket");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> batchStatuses(Api user, Set<String> ids) {
        String body = ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "{\"tokens\": [", "]}"));
        HttpResponse<String> response = send(user.request("/api/v1/uploads/meta/status").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
        return ((Map<String, Map<String, Object>>) Api.json(response.body()).get("uploads")).values().stream().toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(Map<String, Object> summary) {
        return (Map<String, Object>) summary.get("counts");
    }

    private static Map<String, Integer> intCounts(Map<String, Object> summary) {
        return counts(summary).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> ((Number) entry.getValue()).intValue()));
    }

    @SuppressWarnings("unchecked")
    private static List<String> tokens(Map<String, Object> snapshot) {
        return ((List<Map<String, Object>>) snapshot.get("uploads")).stream().map(upload -> (String) upload.get("token")).toList();
    }

    private Api ownUser() {
        return acme.as("feed-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String name(Api user) {
        return user.credentials()[3];
    }
}
