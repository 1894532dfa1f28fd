package com.mediapipeline.progress;

import com.mediapipeline.testing.Api;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/v1/uploads: the caller's business's uploads, newest first, by pages with an opaque cursor.
 * Each test lists as a user of its own, since the Redis of a run may hold other tests' uploads.
 */
class ListingIT extends ServiceIT {

    /**
     * Uploads created and deleted between pages, the last upload of the page just read (the cursor's own)
     * and one not read yet among them: each upload that exists throughout is listed once, newest first.
     */
    @Test
    void pagingWhileUploadsComeAndGoHasNoDuplicatesOrGaps() {
        Api user = ownUser();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            created.add(Api.idOf(user.create(10, "f" + i, null)));
        }
        List<String> seen = new ArrayList<>();
        List<Instant> createdAt = new ArrayList<>();
        Set<String> deleted = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> page = page(user, "username=" + name(user) + "&limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
            List<Map<String, Object>> uploads = uploads(page);
            uploads.forEach(upload -> assertFalse(deleted.contains((String) upload.get("token")), "a deleted upload is listed: " + upload));
            uploads.forEach(upload -> seen.add((String) upload.get("token")));
            uploads.forEach(upload -> createdAt.add(Instant.parse((String) upload.get("created_at"))));
            assertTrue(uploads.size() <= 5);
            // between pages: a new upload (newer than every page, so never on a later one) and two deletions
            user.create(10, "late" + pages, null);
            if (!uploads.isEmpty()) {
                delete(user, (String) uploads.get(uploads.size() - 1).get("token"), deleted);
            }
            created.stream().filter(id -> !seen.contains(id) && !deleted.contains(id)).skip(2).findFirst()
                    .ifPresent(ahead -> delete(user, ahead, deleted));
            cursor = (String) page.get("next_cursor");
            pages++;
        } while (cursor != null && pages < 20);
        assertNull(cursor, "the listing ends");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no upload twice: " + seen);
        List<String> throughout = created.stream().filter(id -> !deleted.contains(id)).toList();
        assertTrue(seen.containsAll(throughout), "every upload that existed throughout is listed: " + seen);
        assertTrue(deleted.stream().filter(id -> !seen.contains(id)).count() >= 4, "uploads ahead of the cursor were deleted: " + deleted);
        List<Instant> newestFirst = new ArrayList<>(createdAt);
        newestFirst.sort(Comparator.reverseOrder());
        assertEquals(newestFirst, createdAt, "newest first");
    }

    /** Index entries whose upload is gone are skipped; a page that found only those says where to go on. */
    @Test
    void entriesOfUploadsThatAreGoneAreSkipped() {
        Api user = ownUser();
        String real = Api.idOf(user.create(10, "real.bin", null));
        String index = RedisKeys.listing("acme", name(user), null);
        List<String> ghosts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ghosts.add(UploadIndex.member(UUID.randomUUID().toString(), Instant.now().plusSeconds(60 + i)));
        }
        ghosts.forEach(ghost -> TestRedis.client().zadd(index, 0, ghost));
        try {
            Map<String, Object> first = page(user, "username=" + name(user) + "&limit=5");
            assertEquals(List.of(), tokens(first), "four reads of five ghosts each");
            assertNotNull(first.get("next_cursor"), "a page that found only ghosts still has a cursor");
            List<String> rest = new ArrayList<>();
            Object cursor = first.get("next_cursor");
            while (cursor != null) {
                Map<String, Object> page = page(user, "username=" + name(user) + "&limit=5&cursor=" + cursor);
                rest.addAll(tokens(page));
                cursor = page.get("next_cursor");
            }
            assertEquals(List.of(real), rest);
        } finally {
            TestRedis.client().zrem(index, ghosts.toArray(String[]::new));
        }
    }

    /** Only a plain GET of the collection is the listing; the rest of /api/v1/uploads is TUS's as before. */
    @Test
    void onlyAPlainGetOfTheCollectionLists() {
        Api user = ownUser();
        String id = Api.idOf(user.create(10, "a.bin", null));
        assertEquals(List.of(id), tokens(Api.json(send(user.request("/api/v1/uploads/?username=" + name(user)).GET()).body())));
        HttpResponse<String> options = send(user.request("/api/v1/uploads").GET().header("X-HTTP-Method-Override", "OPTIONS"));
        assertEquals("1.0.0", options.headers().firstValue("Tus-Version").orElse(null), "an overridden GET is TUS's OPTIONS: " + options.body());
        HttpResponse<String> head = send(user.request("/api/v1/uploads").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertTrue(head.headers().firstValue("Content-Type").map(type -> !type.startsWith("application/json")).orElse(true)
                || head.statusCode() >= 400, "HEAD is not the listing: " + head.statusCode());
        assertEquals(200, send(user.request("/api/v1/uploads/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode());
    }

    /** status= and username= narrow the listing, alone or together; their statuses are the status endpoint's. */
    @Test
    void filtersByStatusAndUser() {
        Api user = ownUser();
        Api other = ownUser();
        String created = Api.idOf(user.create(10, "created.bin", null));
        String uploading = user.create(10, "uploading.bin", null);
        assertEquals(204, user.patch(uploading, 0, new byte[4]).statusCode());
        String completed = user.create(3, "completed.bin", null);
        assertEquals(204, user.patch(completed, 0, new byte[3]).statusCode());
        String theirs = Api.idOf(other.create(10, "other.bin", null));

        assertEquals(Set.of(Api.idOf(completed), Api.idOf(uploading), created), Set.copyOf(tokens(page(user, "username=" + name(user)))));
        assertEquals(List.of(Api.idOf(uploading)), tokens(page(user, "username=" + name(user) + "&status=uploading")));
        assertEquals(List.of(Api.idOf(completed)), tokens(page(user, "username=" + name(user) + "&status=completed")));
        assertEquals(List.of(created), tokens(page(user, "username=" + name(user) + "&status=created")));
        assertEquals(List.of(), tokens(page(user, "username=" + name(user) + "&status=failed")));
        assertEquals(List.of(theirs), tokens(page(user, "username=" + name(other))), "one business, another user's uploads");

        List<Map<String, Object>> listed = uploads(page(user, "username=" + name(user) + "&status=uploading"));
        Map<String, Object> status = new HashMap<>(user.statusJson(Api.idOf(uploading)));
        Map<String, Object> shown = new HashMap<>(listed.get(0));
        // a trailing progress write may move updated_at between the two calls
        status.remove("updated_at");
        shown.remove("updated_at");
        assertEquals(1, listed.size());
        assertEquals(status, shown, "a listed status is the status endpoint's");
        List<String> everyone = tokens(page(user, "status=created&limit=500"));
        assertTrue(everyone.contains(created) && everyone.contains(theirs), "without username=, the whole business");
        assertFalse(everyone.contains(Api.idOf(uploading)));
    }

    /** Another business sees none of them, filtered or not, and its own listing is its own. */
    @Test
    void anotherBusinessNeverSeesThem() {
        Api user = ownUser();
        String mine = Api.idOf(user.create(10, "mine.bin", null));
        Api globex = Api.globex(base).as(name(user));
        String theirs = Api.idOf(globex.create(10, "theirs.bin", null));
        assertEquals(List.of(theirs), tokens(page(globex, "username=" + name(user))));
        String mineListedAs = TestRedis.uploadHash(mine).get("listed_as");
        assertNull(TestRedis.client().zscore(RedisKeys.listing("globex", name(user), null), mineListedAs), "not in the other business's index");
        assertNotNull(TestRedis.client().zscore(RedisKeys.listing("acme", name(user), null), mineListedAs));
        assertEquals(List.of(mine), tokens(page(user, "username=" + name(user))));
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = page(globex, "limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            all.addAll(tokens(page));
            cursor = (String) page.get("next_cursor");
        } while (cursor != null);
        assertFalse(all.contains(mine), "globex's listing holds no acme upload");
        assertTrue(all.contains(theirs));
    }

    /** A deleted upload leaves every listing at once. */
    @Test
    void aDeletedUploadIsListedNoMore() {
        Api user = ownUser();
        String id = Api.idOf(user.create(10, "gone.bin", null));
        assertEquals(List.of(id), tokens(page(user, "username=" + name(user) + "&status=created")));
        assertEquals(204, send(user.request("/api/v1/storage/" + id).DELETE()).statusCode());
        assertEquals(List.of(), tokens(page(user, "username=" + name(user))));
        assertEquals(List.of(), tokens(page(user, "username=" + name(user) + "&status=created")));
        assertFalse(tokens(page(user, "status=created&limit=500")).contains(id));
    }

    /** A full page says where the next starts; the last page (short, or empty after a full one) says null. */
    @Test
    void theCursorLeadsToTheEnd() {
        Api user = ownUser();
        String older = Api.idOf(user.create(10, "a", null));
        String newer = Api.idOf(user.create(10, "b", null));
        Map<String, Object> first = page(user, "username=" + name(user) + "&limit=1");
        assertEquals(1, tokens(first).size());
        assertNotNull(first.get("next_cursor"));
        Map<String, Object> second = page(user, "username=" + name(user) + "&limit=1&cursor=" + first.get("next_cursor"));
        assertEquals(1, tokens(second).size());
        assertEquals(Set.of(older, newer), Set.of(tokens(first).get(0), tokens(second).get(0)));
        Map<String, Object> third = page(user, "username=" + name(user) + "&limit=1&cursor=" + second.get("next_cursor"));
        assertEquals(List.of(), tokens(third));
        assertNull(third.get("next_cursor"));
        assertNull(page(user, "username=" + name(user) + "&limit=3").get("next_cursor"));
    }

    @Test
    void badParametersAre400() {
        for (String query : new String[] {"limit=0", "limit=501", "limit=ten", "limit=", "status=done", "cursor=bm90LWEtY3Vyc29y", "cursor=%25%25"}) {
            assertError(list(acme, query), 400, "bad_request");
        }
        assertError(list(acme, "username=" + URLEncoder.encode("a b", StandardCharsets.UTF_8)), 400, "invalid_username");
        assertError(list(Api.anonymous(base), ""), 401, "unauthorized");
    }

    private static void delete(Api user, String id, Set<String> deleted) {
        assertEquals(204, send(user.request("/api/v1/storage/" + id).DELETE()).statusCode());
        deleted.add(id);
    }

    private Api ownUser() {
        return acme.as("list-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String name(Api user) {
        return user.credentials()[3];
    }

    private static HttpResponse<String> list(Api caller, String query) {
        return send(caller.request("/api/v1/uploads?" + query).GET());
    }

    private static Map<String, Object> page(Api caller, String query) {
        HttpResponse<String> response = list(caller, query);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        Map<String, Object> page = Api.json(response.body());
        assertTrue(page.containsKey("next_cursor"), response.body());
        return page;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> uploads(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("uploads");
    }

    private static List<String> tokens(Map<String, Object> page) {
        return uploads(page).stream().map(upload -> (String) upload.get("token")).toList();
    }
}
