package com.mediapipeline.webhooks;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import com.mediapipeline.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks end to end: a real receiver on loopback, signatures checked by the Standard Webhooks
 * library, events in order and once each, retries with one webhook-id, the delivery log, replay, ping,
 * secret rotation, 410, and the URLs refused against SSRF.
 */
class WebhooksIT extends ServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void removeWebhooks() {
        receiver.close();
        for (Api caller : List.of(acme, Api.globex(base))) {
            listed(caller).forEach(webhook -> Api.send(caller.request("/api/v1/webhooks/" + webhook.get("id")).DELETE()));
        }
    }

    @Test
    void everyEventOfAnUploadArrivesOnceInOrderSigned() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/hooks"), EventTypes.ALL);
        String secret = (String) webhook.get("secret");
        assertTrue(secret.startsWith("whsec_"), secret);
        int size = 1024 * 1024;
        byte[] content = SlowBody.pattern(size);
        String upload = acme.create(size, "life.bin", "application/octet-stream");
        String id = Api.idOf(upload);
        assertEquals(204, acme.patch(upload, 0, Arrays.copyOf(content, size / 2)).statusCode());
        Thread.sleep(700);
        assertEquals(204, acme.patch(upload, size / 2, Arrays.copyOfRange(content, size / 2, size)).statusCode());
        assertEquals(204, Api.send(acme.request(upload).DELETE()).statusCode());

        receiver.await(now -> of(now, id).stream().anyMatch(call -> call.type().equals(EventTypes.DELETED)), WAIT);
        Thread.sleep(500);
        List<WebhookReceiver.Call> mine = of(receiver.calls(), id);
        List<String> types = mine.stream().map(WebhookReceiver.Call::type).toList();
        assertEquals(EventTypes.CREATED, types.get(0), types.toString());
        assertTrue(types.contains(EventTypes.PROGRESS), "the first PATCH is reported as progress: " + types);
        assertEquals(List.of(EventTypes.COMPLETED, EventTypes.DELETED), types.subList(types.size() - 2, types.size()), types.toString());
        for (int i = 0; i < mine.size(); i++) {
            WebhookReceiver.Call call = mine.get(i);
            assertTrue(call.signedWith(secret), "the Standard Webhooks library verifies " + call);
            assertEquals(i + 1, ((Number) call.data().get("sequence")).intValue(), "in sequence order, without gaps: " + types);
            assertEquals(id, call.data().get("token"));
            assertEquals("life.bin", call.data().get("filename"));
        }
        assertEquals(mine.size(), mine.stream().map(WebhookReceiver.Call::id).distinct().count(), "each event arrives once");
        Map<String, Object> completed = mine.get(mine.size() - 2).data();
        assertEquals("completed", completed.get("status"));
        assertEquals(size, ((Number) completed.get("offset")).intValue());
        Map<String, Object> deleted = mine.get(mine.size() - 1).data();
        assertEquals("completed", deleted.get("status"), "a deletion carries the last status the upload had");
        assertTrue(deleted.get("deleted_at") instanceof String);

        List<Map<String, Object>> log = deliveries(acme, (String) webhook.get("id"), "");
        Set<String> logged = log.stream().filter(entry -> id.equals(entry.get("upload_id"))).map(entry -> (String) entry.get("id")).collect(Collectors.toSet());
        assertEquals(mine.stream().map(WebhookReceiver.Call::id).collect(Collectors.toSet()), logged, "the log has one entry per event, by webhook-id");
        log.stream().filter(entry -> id.equals(entry.get("upload_id"))).forEach(entry -> {
            assertEquals("delivered", entry.get("status"));
            assertEquals(1, ((Number) entry.get("attempts")).intValue());
            assertEquals(200, ((Number) entry.get("last_status_code")).intValue());
        });
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheEventFourTimesWithOneId() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/flaky"), List.of(EventTypes.CREATED));
        receiver.answer(500, 500, 500);
        String id = Api.idOf(acme.create(10, null, null));

        receiver.await(now -> of(now, id).size() >= 4, WAIT);
        Thread.sleep(2L * TestEnvironment.WEBHOOK_RETRY_BASE_MS * 8);
        List<WebhookReceiver.Call> mine = of(receiver.calls(), id);
        assertEquals(4, mine.size(), "a 2xx ends the retries");
        assertEquals(1, mine.stream().map(WebhookReceiver.Call::id).distinct().count(), "one webhook-id on every retry");
        assertEquals(1, mine.stream().map(WebhookReceiver.Call::body).distinct().count(), "the same body on every retry");
        assertTrue(mine.stream().allMatch(call -> call.signedWith((String) webhook.get("secret"))));
        long firstGap = mine.get(1).receivedAtMillis() - mine.get(0).receivedAtMillis();
        long thirdGap = mine.get(3).receivedAtMillis() - mine.get(2).receivedAtMillis();
        assertTrue(thirdGap > firstGap, "the backoff doubles: " + firstGap + " ms, then " + thirdGap + " ms");
        Map<String, Object> entry = deliveries(acme, (String) webhook.get("id"), "").stream()
                .filter(logged -> id.equals(logged.get("upload_id"))).findFirst().orElseThrow();
        assertEquals("delivered", entry.get("status"));
        assertEquals(4, ((Number) entry.get("attempts")).intValue());
        assertEquals(mine.get(0).id(), entry.get("id"));
    }

    @Test
    void anEventThatExhaustsItsAttemptsIsFailedAndTheNextOneProceeds() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/down"), List.of(EventTypes.CREATED, EventTypes.DELETED));
        receiver.answer(Arrays.stream(new int[TestEnvironment.WEBHOOK_MAX_ATTEMPTS]).map(zero -> 503).toArray());
        String upload = acme.create(10, null, null);
        String id = Api.idOf(upload);
        assertEquals(204, Api.send(acme.request(upload).DELETE()).statusCode());

        List<WebhookReceiver.Call> calls = receiver.await(now -> of(now, id).stream().anyMatch(call -> call.type().equals(EventTypes.DELETED)), WAIT);
        List<String> types = of(calls, id).stream().map(WebhookReceiver.Call::type).toList();
        assertEquals(TestEnvironment.WEBHOOK_MAX_ATTEMPTS, types.stream().filter(EventTypes.CREATED::equals).count(), types.toString());
        assertEquals(EventTypes.DELETED, types.get(types.size() - 1), "the deletion waited for the creation's attempts: " + types);
        Map<String, String> statuses = deliveries(acme, (String) webhook.get("id"), "").stream()
                .filter(entry -> id.equals(entry.get("upload_id")))
                .collect(Collectors.toMap(entry -> (String) entry.get("type"), entry -> (String) entry.get("status")));
        assertEquals(Map.of(EventTypes.CREATED, "failed", EventTypes.DELETED, "delivered"), statuses);
        assertEquals(1, deliveries(acme, (String) webhook.get("id"), "?status=failed").size());
    }

    @Test
    void aDeliveryCanBeReplayedAndAnEndpointPinged() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/replay"), List.of(EventTypes.CREATED));
        String webhookId = (String) webhook.get("id");
        HttpResponse<String> ping = Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/ping").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, ping.statusCode(), ping.body());
        WebhookReceiver.Call pinged = receiver.await(now -> now.size() == 1, WAIT).get(0);
        assertEquals("ping", pinged.type());
        assertEquals(Api.json(ping.body()).get("id"), pinged.id());
        assertTrue(pinged.signedWith((String) webhook.get("secret")));

        String id = Api.idOf(acme.create(10, null, null));
        WebhookReceiver.Call first = receiver.await(now -> of(now, id).size() == 1, WAIT).stream().filter(call -> id.equals(call.data().get("token")))
                .findFirst().orElseThrow();
        HttpResponse<String> retry = Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/deliveries/" + first.id() + "/retry")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, retry.statusCode(), retry.body());
        List<WebhookReceiver.Call> again = receiver.await(now -> of(now, id).size() == 2, WAIT);
        assertEquals(List.of(first.id(), first.id()), of(again, id).stream().map(WebhookReceiver.Call::id).toList(), "a replay keeps its webhook-id");
        assertEquals(first.body(), of(again, id).get(1).body());

        assertError(Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/deliveries/msg_unknown/retry")
                .POST(HttpRequest.BodyPublishers.noBody())), 404, "not_found");
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneAndTheSecretIsShownOnlyThen() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/rotate"), List.of(EventTypes.COMPLETED));
        String webhookId = (String) webhook.get("id");
        HttpResponse<String> rotated = Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/rotate-secret").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, rotated.statusCode(), rotated.body());
        String newSecret = (String) Api.json(rotated.body()).get("secret");
        assertNotEquals(webhook.get("secret"), newSecret);
        Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/ping").POST(HttpRequest.BodyPublishers.noBody()));
        WebhookReceiver.Call call = receiver.await(now -> now.size() == 1, WAIT).get(0);
        assertEquals(2, call.header("webhook-signature").split(" ").length, call.header("webhook-signature"));
        assertTrue(call.signedWith(newSecret));
        assertTrue(call.signedWith((String) webhook.get("secret")), "the old secret still verifies for 24 h");
        assertFalse(call.signedWith("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])));

        HttpResponse<String> shown = Api.send(acme.request("/api/v1/webhooks/" + webhookId));
        assertEquals(200, shown.statusCode());
        assertFalse(shown.body().contains("secret"), shown.body());
        assertFalse(Api.send(acme.request("/api/v1/webhooks")).body().contains("whsec_"));
    }

    @Test
    void a410DisablesTheEndpoint() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/gone"), List.of(EventTypes.CREATED));
        receiver.answerOtherwise(410);
        acme.create(10, null, null);
        receiver.await(now -> now.size() == 1, WAIT);
        String webhookId = (String) webhook.get("id");
        Map<String, Object> shown = Api.json(Api.send(acme.request("/api/v1/webhooks/" + webhookId)).body());
        for (int i = 0; i < 50 && !Boolean.TRUE.equals(shown.get("disabled")); i++) {
            Thread.sleep(100);
            shown = Api.json(Api.send(acme.request("/api/v1/webhooks/" + webhookId)).body());
        }
        assertEquals(true, shown.get("disabled"));
        acme.create(10, null, null);
        Thread.sleep(1000);
        assertEquals(1, receiver.calls().size(), "a disabled endpoint gets nothing");

        HttpResponse<String> enabled = sendJson(acme, "PATCH", "/api/v1/webhooks/" + webhookId, "{\"disabled\": false}");
        assertEquals(200, enabled.statusCode(), enabled.body());
        assertEquals(false, Api.json(enabled.body()).get("disabled"));
    }

    @Test
    void theLogPagesWithACursorWithoutDuplicatesOrGaps() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/pages"), List.of(EventTypes.CREATED));
        String webhookId = (String) webhook.get("id");
        int pings = 60;
        for (int i = 0; i < pings; i++) {
            HttpResponse<String> ping = Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/ping").POST(HttpRequest.BodyPublishers.noBody()));
            if (ping.statusCode() == 409) {
                // at most 10 pings wait at once: this one goes again once the receiver has all the accepted ones
                assertError(ping, 409, "delivery_pending");
                int accepted = i;
                receiver.await(now -> now.size() == accepted, WAIT);
                i--;
            } else {
                assertEquals(202, ping.statusCode(), ping.body());
            }
        }
        receiver.await(now -> now.size() == pings, WAIT);
        Map<String, Object> first = Api.json(Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/deliveries")).body());
        List<?> firstPage = (List<?>) first.get("deliveries");
        assertEquals(50, firstPage.size());
        String cursor = (String) first.get("next_cursor");
        Map<String, Object> second = Api.json(Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/deliveries?cursor=" + cursor)).body());
        assertNull(second.get("next_cursor"));
        Set<Object> ids = new HashSet<>();
        for (Object entry : firstPage) {
            ids.add(((Map<?, ?>) entry).get("id"));
        }
        for (Object entry : (List<?>) second.get("deliveries")) {
            ids.add(((Map<?, ?>) entry).get("id"));
        }
        assertEquals(receiver.calls().stream().map(WebhookReceiver.Call::id).collect(Collectors.toSet()), ids);
        assertEquals(0, deliveries(acme, webhookId, "?status=failed").size());
        assertError(Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/deliveries?status=lost")), 400, "bad_request");
        assertError(Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/deliveries?cursor=bm90LWEtY3Vyc29y")), 400, "bad_request");
    }

    /**
     * An event whose delivery Redis refuses to queue is not marked fanned out: it stays in its stream and
     * is fanned out again (the takeover of events read long ago) once Redis takes it.
     */
    @Test
    void anEventWhoseDeliveryRedisRefusedIsFannedOutAgain() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/refused"), List.of(EventTypes.CREATED));
        // the endpoint's pending set as a string: the queueing script fails on it with WRONGTYPE, after its
        // first writes (the log, the line), which it must do again whole
        String pending = RedisKeys.pendingDeliveries(TestEnvironment.ACME, (String) webhook.get("id"));
        TestRedis.client().set(pending, "not a sorted set");
        String id;
        try {
            id = Api.idOf(acme.create(10, "refused.bin", null));
            Thread.sleep(2000);
            assertEquals(List.of(), of(receiver.calls(), id));
            assertTrue(TestRedis.client().xrange(RedisKeys.webhookEvents(TestEnvironment.ACME), "-", "+").stream()
                    .anyMatch(entry -> id.equals(entry.getFields().get("event_upload"))), "the refused event is still in its stream");
        } finally {
            TestRedis.delete(pending);
        }
        receiver.await(now -> of(now, id).size() == 1, Duration.ofSeconds(30).plus(Dispatcher.ABANDONED.multipliedBy(2)));
    }

    /** Queue depth and the oldest pending event's age per endpoint; health stays up while the receiver is down. */
    @Test
    void metricsShowEachEndpointsQueueAndHealthIgnoresReceivers() throws Exception {
        Map<String, Object> webhook = register(acme, receiver.url("/backlog"), List.of(EventTypes.CREATED));
        // each attempt runs into the 2 s timeout: the delivery stays pending for its five attempts, longer than a refresh
        receiver.delay(Duration.ofSeconds(3));
        acme.create(10, null, null);
        receiver.await(now -> !now.isEmpty(), WAIT);
        String depth = "webhooks_queue_depth{mp_scope=\"application\",webhook=\"" + webhook.get("id") + "\"}";
        String metrics = com.mediapipeline.testing.Await.until(WAIT, depth + " to count the pending delivery", () -> Api.send(
                HttpRequest.newBuilder(root("/metrics")).GET()).body(), text -> text.lines().anyMatch(line -> line.startsWith(depth + " 1")));
        assertTrue(metrics.contains("webhooks_queue_oldest_seconds{mp_scope=\"application\",webhook=\"" + webhook.get("id") + "\"}"), metrics);
        assertTrue(metrics.contains("webhooks_attempts_total"), metrics);
        assertEquals(200, Api.send(HttpRequest.newBuilder(root("/health/ready")).GET()).statusCode());
    }

    /** A business whose receiver hangs holds a few of the instance's attempts, never all: another's events still go at once. */
    @Test
    void aHangingReceiverDoesNotHoldUpAnotherBusiness() throws Exception {
        register(acme, receiver.url("/hangs"), List.of(EventTypes.CREATED));
        receiver.delay(Duration.ofSeconds(3));
        try (WebhookReceiver other = WebhookReceiver.start()) {
            Api globex = Api.globex(base);
            register(globex, other.url("/prompt"), List.of(EventTypes.CREATED));
            for (int i = 0; i < 40; i++) {
                acme.create(10, null, null);
            }
            receiver.await(now -> !now.isEmpty(), WAIT);
            String id = Api.idOf(globex.create(10, null, null));
            other.await(now -> of(now, id).size() == 1, WAIT);
            int hanging = receiver.calls().size();
            assertTrue(hanging <= 8, "acme's 40 hanging deliveries hold at most 4 attempts at once, not the instance's 32: " + hanging
                    + " had started when globex's event arrived");
        }
    }

    @Test
    void anotherBusinessSeesNothing() {
        String webhookId = (String) register(acme, receiver.url("/private"), List.of(EventTypes.CREATED)).get("id");
        Api globex = Api.globex(base);
        assertError(Api.send(globex.request("/api/v1/webhooks/" + webhookId)), 404, "not_found");
        assertError(sendJson(globex, "PATCH", "/api/v1/webhooks/" + webhookId, "{\"description\": \"mine\"}"), 404, "not_found");
        assertError(Api.send(globex.request("/api/v1/webhooks/" + webhookId).DELETE()), 404, "not_found");
        assertError(Api.send(globex.request("/api/v1/webhooks/" + webhookId + "/deliveries")), 404, "not_found");
        assertError(Api.send(globex.request("/api/v1/webhooks/" + webhookId + "/ping").POST(HttpRequest.BodyPublishers.noBody())), 404, "not_found");
        assertEquals(List.of(), listed(globex));
        assertEquals(1, listed(acme).size());
        assertError(Api.send(acme.request("/api/v1/webhooks/log:" + webhookId)), 404, "not_found");
        assertError(Api.send(acme.request("/api/v1/webhooks/" + webhookId + "/deliveries/webhook:" + webhookId + "/retry")
                .POST(HttpRequest.BodyPublishers.noBody())), 404, "not_found");
        assertError(Api.send(Api.anonymous(base).request("/api/v1/webhooks")), 401, "unauthorized");
    }

    @Test
    void urlsThatCouldReachInsideAreRefused() {
        for (String url : List.of("http://10.1.2.3/hook", "https://127.0.0.2/hook", "https://localhost/hook", "https://169.254.169.254/latest",
                "https://[::1]/hook", "https://0.0.0.0/hook", "ftp://127.0.0.1/hook", "http://user:pass@127.0.0.1/hook", "not a url")) {
            assertError(sendJson(acme, "POST", "/api/v1/webhooks", "{\"url\": \"" + url + "\", \"events\": [\"upload.created\"]}"),
                    400, "invalid_webhook_url");
        }
        assertError(sendJson(acme, "POST", "/api/v1/webhooks", "{\"url\": \"" + receiver.url("/x") + "\", \"events\": [\"upload.renamed\"]}"),
                400, "invalid_webhook");
        assertError(sendJson(acme, "POST", "/api/v1/webhooks", "{\"url\": \"" + receiver.url("/x") + "\", \"events\": []}"), 400, "invalid_webhook");
        assertError(sendJson(acme, "POST", "/api/v1/webhooks", "{\"url\": \"" + receiver.url("/x") + "\", \"events\": [null]}"),
                400, "invalid_webhook");
        assertError(sendJson(acme, "POST", "/api/v1/webhooks", "{\"events\": [\"upload.created\"]}"), 400, "invalid_webhook");
        assertError(sendJson(acme, "POST", "/api/v1/webhooks", "{\"url\": 5"), 400, "bad_request");
        assertEquals(List.of(), listed(acme));
    }

    private Map<String, Object> register(Api caller, String url, List<String> events) {
        String body = "{\"url\": \"" + url + "\", \"events\": [" + events.stream().map(event -> "\"" + event + "\"").collect(Collectors.joining(","))
                + "], \"description\": \"test\"}";
        HttpResponse<String> created = sendJson(caller, "POST", "/api/v1/webhooks", body);
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> webhook = Api.json(created.body());
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/webhooks/" + webhook.get("id")));
        return webhook;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listed(Api caller) {
        HttpResponse<String> list = Api.send(caller.request("/api/v1/webhooks"));
        assertEquals(200, list.statusCode(), list.body());
        return (List<Map<String, Object>>) Api.json(list.body()).get("webhooks");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deliveries(Api caller, String webhookId, String query) {
        HttpResponse<String> log = Api.send(caller.request("/api/v1/webhooks/" + webhookId + "/deliveries" + query));
        assertEquals(200, log.statusCode(), log.body());
        return (List<Map<String, Object>>) Api.json(log.body()).get("deliveries");
    }

    private java.net.URI root(String path) {
        return java.net.URI.create(acme.url("").replaceFirst("(//[^/]+)/.*", "$1") + path);
    }

    private static HttpResponse<String> sendJson(Api caller, String method, String path, String json) {
        return Api.send(caller.request(path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private static List<WebhookReceiver.Call> of(List<WebhookReceiver.Call> calls, String uploadId) {
        return calls.stream().filter(call -> call.data() != null && uploadId.equals(call.data().get("token"))).toList();
    }
}
