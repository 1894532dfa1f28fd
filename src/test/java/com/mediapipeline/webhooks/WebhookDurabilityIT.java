package com.mediapipeline.webhooks;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No event is lost when an instance dies with deliveries pending, nor when Redis restarts: two
 * instances on one Redis that keeps an append-only file, a receiver that refuses until it is ready.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookDurabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static RedisServer redis;
    private static int redisPort;
    private static Path redisDir;
    private static WebhookReceiver receiver;
    private static String secret;

    @BeforeAll
    static void start() throws Exception {
        TestEnvironment.start();
        redisDir = Files.createDirectories(TestEnvironment.workDir().resolve("webhook-redis-" + System.nanoTime()));
        try (ServerSocket free = new ServerSocket(0)) {
            redisPort = free.getLocalPort();
        }
        startRedis();
        Path storage = Files.createDirectories(TestEnvironment.workDir().resolve("webhooks-" + System.nanoTime()));
        String[] options = {"-Dmediapipeline.redis.url=redis://127.0.0.1:" + redisPort,
                "-Dmediapipeline.webhooks.allowed-hosts=127.0.0.1", "-Dmediapipeline.webhooks.retry-base=PT0.1S",
                "-Dmediapipeline.webhooks.max-attempts=15", "-Dmediapipeline.webhooks.timeout=PT1S"};
        a = new ServiceProcess(storage, ServiceProcess.reservedPort(1), options);
        b = new ServiceProcess(storage, ServiceProcess.reservedPort(2), options);
        ServiceProcess.startAll(a, b);
        receiver = WebhookReceiver.start();
        HttpResponse<String> created = Api.send(Api.acme(a.url()).request("/api/v1/webhooks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + receiver.url("/durable")
                        + "\", \"events\": [\"upload.created\", \"upload.completed\"]}")));
        assertEquals(201, created.statusCode(), created.body());
        secret = (String) Api.json(created.body()).get("secret");
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(a, b);
        if (receiver != null) {
            receiver.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    @Order(1)
    void anInstanceKilledWithDeliveriesPendingLeavesThemToTheOther() throws Exception {
        receiver.answerOtherwise(503);
        List<String> uploads = createAndComplete(Api.acme(a.url()), 5);
        receiver.await(calls -> attempted(calls).containsAll(uploads), WAIT);
        a.kill();
        receiver.answerOtherwise(200);

        assertDeliveredInOrder(uploads);
    }

    @Test
    @Order(2)
    void eventsSurviveARedisRestart() throws Exception {
        receiver.answerOtherwise(503);
        List<String> uploads = createAndComplete(Api.acme(b.url()), 3);
        receiver.await(calls -> attempted(calls).containsAll(uploads), WAIT);
        redis.stop();
        startRedis();
        receiver.answerOtherwise(200);

        assertDeliveredInOrder(uploads);
    }

    /** Each upload's creation and completion reached the receiver with a 200, signed, the creation first. */
    private static void assertDeliveredInOrder(List<String> uploads) throws InterruptedException {
        List<WebhookReceiver.Call> calls = receiver.await(now -> uploads.stream().allMatch(id -> delivered(now, id).size() == 2), WAIT);
        for (String id : uploads) {
            List<WebhookReceiver.Call> mine = delivered(calls, id);
            assertEquals(List.of(EventTypes.CREATED, EventTypes.COMPLETED), mine.stream().map(WebhookReceiver.Call::type).toList());
            assertTrue(mine.stream().allMatch(call -> call.signedWith(secret)));
            Set<String> ids = calls.stream().filter(call -> id.equals(call.data().get("token"))).map(WebhookReceiver.Call::id)
                    .collect(Collectors.toSet());
            assertEquals(2, ids.size(), "every attempt of one event has its webhook-id: " + ids);
        }
    }

    private static List<String> createAndComplete(Api api, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String upload = api.create(4, "durable-" + i + ".bin", null);
            assertEquals(204, api.patch(upload, 0, new byte[] {1, 2, 3, 4}).statusCode());
            ids.add(Api.idOf(upload));
        }
        return ids;
    }

    private static Set<Object> attempted(List<WebhookReceiver.Call> calls) {
        return calls.stream().map(call -> call.data().get("token")).collect(Collectors.toSet());
    }

    /**
     * The calls about this upload that the receiver answered with 200, in arrival order: the receiver
     * switched to 200 after the test's outage, so those are the calls that arrived after it.
     */
    private static List<WebhookReceiver.Call> delivered(List<WebhookReceiver.Call> calls, String id) {
        Map<String, WebhookReceiver.Call> last = new java.util.LinkedHashMap<>();
        calls.stream().filter(call -> id.equals(call.data().get("token")) && call.answered() == 200).forEach(call -> last.putIfAbsent(call.id(), call));
        return List.copyOf(last.values());
    }

    private static void startRedis() throws IOException {
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort)
                .setting("dir " + redisDir).setting("appendonly yes").setting("appendfsync always").setting("save \"\"")
                .soutListener(line -> { }).build();
        redis.start();
    }
}
