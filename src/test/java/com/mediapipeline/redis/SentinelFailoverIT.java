package com.mediapipeline.redis;

import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.progress.Relayed;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.FailoverOutcomes;
import com.mediapipeline.testing.MidUploadFailover;
import com.mediapipeline.testing.RedisSentinelSet;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SocketWatcher;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static com.mediapipeline.testing.FailoverOutcomes.CLIENT_TIMEOUT;
import static com.mediapipeline.testing.FailoverOutcomes.assertNoUnhandledErrors;
import static com.mediapipeline.testing.ResumingUpload.randomFile;
import static com.mediapipeline.testing.ResumingUpload.sha256;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Sentinel failover (issue 16): the microbundle on {@code redis-sentinel://} of a master, its replica
 * and three Sentinels, whose master is SIGKILLed mid-upload, while idle, and while cleanup sweeps run.
 * While the Sentinels elect the replica, requests answer 503 {@code redis_unavailable} as JSON, never
 * 500 and never hang; after it, a TUS client resumes from HEAD to byte-identical bytes, the relay has
 * subscribed again by itself, rate limits and tickets work, and sweeps lose nothing.
 * <p>
 * Replication is asynchronous: a status written in the last moments before the kill may be missing
 * on the new master, so that the status of an upload created then answers 404 until a sweep restores
 * it from the upload's info file (HEAD, read from the disk, answers all along). Only the first test,
 * whose upload is written to as the master dies, runs into that window on purpose; the others wait
 * for the replica to have everything before they kill the master.
 */
class SentinelFailoverIT {

    private static final Duration FAILOVER = Duration.ofMinutes(2);
    /** Longer than a failover takes, so that the interrupted upload outlives it; short enough to wait for. */
    private static final String INCOMPLETE_RETENTION = "PT30S";

    private static RedisSentinelSet redis;
    private static ServiceProcess service;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        Path folder = TestEnvironment.workDir().resolve("sentinel-" + System.nanoTime());
        redis = RedisSentinelSet.start(folder.resolve("redis"));
        service = MidUploadFailover.service(folder, redis.url(),
                "-Dmediapipeline.cleanup.interval=PT1S",
                "-Dmediapipeline.retention.incomplete=" + INCOMPLETE_RETENTION,
                "-Dmediapipeline.rate-limit.per-second=20",
                "-Dmediapipeline.rate-limit.burst=40").start();
        api = Api.acme(service.url());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            ServiceProcess.closeAll(service);
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Each test starts from a set that can fail over: the master a previous test killed is back as a replica. */
    @BeforeEach
    void healthySet() throws IOException {
        redis.awaitHealthy();
    }

    /**
     * The master dies in the middle of a PATCH. The client goes on as TUS clients do (HEAD, then PATCH
     * from the offset it names) and the upload completes with identical bytes, its status complete on
     * the new master; the socket watching it gets the events published after the failover.
     */
    @Test
    void anUploadInterruptedByAFailoverCompletesWithIdenticalBytes() throws Exception {
        MidUploadFailover.Result result = MidUploadFailover.run(api, "failover.bin", redis::killMaster, redis::awaitFailover, FAILOVER);
        result.outcomes().assertOnly503sAndSeenOne();
        try (Jedis master = redis.master()) {
            Map<String, String> hash = master.hgetAll(RedisKeys.upload(TestEnvironment.ACME, result.id()));
            assertEquals("completed", hash.get("status"), "the new master holds the status: " + hash);
        }
        assertNoUnhandledErrors(service);
    }

    /**
     * After a failover with nothing in flight: a ticket is issued and redeemed, an event published on the
     * new master reaches a socket (the relay subscribed again by itself), and an API key's bucket drains
     * to 429 as before.
     */
    @Test
    void ticketsTheRelayAndRateLimitsWorkAfterAFailover() throws Exception {
        String id = Api.idOf(api.create(100, "idle.bin", null));
        redis.awaitReplicated(); // an upload created a moment before the kill may lose its status (see the class comment)
        FailoverOutcomes outcomes = new FailoverOutcomes();
        try (AutoCloseable probe = outcomes.probe(api, id)) {
            redis.awaitFailover(redis.killMaster());
            Await.until(FAILOVER, "the service to answer again", () -> api.status(id).statusCode() == 200);
        }
        outcomes.assertOnly503sAndSeenOne();

        HttpResponse<String> issued = Api.send(api.request("/api/v1/ws/tickets").timeout(CLIENT_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"upload_id\": \"" + id + "\"}"))
                .header("Content-Type", "application/json"));
        assertEquals(200, issued.statusCode(), issued.body());
        String ticket = (String) Api.json(issued.body()).get("ticket");
        try (SocketWatcher browser = SocketWatcher.open(api.url(""), id, "?ticket=" + ticket)) {
            assertEquals(ProgressEvent.CREATED, browser.next(30).type(), "the ticket was redeemed on the new master");
            ProgressEvent published = new ProgressEvent("progress", id, 42.0, 42, 100L, "uploading", null);
            Await.until(FAILOVER, "the relay to be subscribed on the new master", () -> {
                try (Jedis master = redis.master()) {
                    return master.pubsubNumSub(RedisKeys.PROGRESS_CHANNEL).get(RedisKeys.PROGRESS_CHANNEL) > 0;
                }
            });
            try (Jedis master = redis.master()) {
                master.publish(RedisKeys.PROGRESS_CHANNEL, String.join("\n", Relayed.NO_ID, "acme", "alice", published.toJson()));
            }
            assertEquals(published, browser.next(30));
        }

        Api globex = Api.globex(service.url());
        HttpResponse<String> refused = null;
        for (int sent = 0; refused == null && sent < 400; sent++) {
            HttpResponse<String> response = Api.send(globex.request("/api/v1/uploads/meta/" + id + "/status").timeout(CLIENT_TIMEOUT).GET());
            assertTrue(response.statusCode() == 404 || response.statusCode() == 429, response.statusCode() + " " + response.body());
            refused = response.statusCode() == 429 ? response : null;
        }
        assertTrue(refused != null, "the bucket of 40 at 20/s drained within 400 requests");
        assertError(refused, 429, "rate_limited");
        assertEquals("0", refused.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertNoUnhandledErrors(service);
    }

    /**
     * The master dies while sweeps run every second: a completed upload stays whole and downloadable,
     * one past its Upload-Expires is removed by a sweep on the new master.
     */
    @Test
    void aFailoverDuringCleanupSweepsLosesNothing() throws Exception {
        byte[] kept = Files.readAllBytes(randomFile("kept.bin", 1024 * 1024));
        String completed = api.create(kept.length, "kept.bin", null);
        assertEquals(204, api.patch(completed, 0, kept).statusCode());
        String expiring = api.create(1000, "expiring.bin", null);
        assertEquals(204, api.patch(expiring, 0, new byte[10]).statusCode());
        awaitSweeps(2);
        redis.awaitReplicated();

        FailoverOutcomes outcomes = new FailoverOutcomes();
        try (AutoCloseable probe = outcomes.probe(api, Api.idOf(completed))) {
            redis.awaitFailover(redis.killMaster());
            Await.until(FAILOVER, "the service to answer again", () -> api.status(Api.idOf(completed)).statusCode() == 200);
        }
        outcomes.assertOnly503sAndSeenOne();
        awaitSweeps(2);

        Await.until(FAILOVER, "a sweep on the new master to remove the upload past its Upload-Expires",
                () -> api.status(Api.idOf(expiring)).statusCode(), status -> status == 404);
        assertEquals(404, api.head(expiring).statusCode());
        assertEquals(sha256(kept), sha256(api.downloaded(completed)), "SHA-256 of the download");
        assertEquals("completed", api.statusJson(Api.idOf(completed)).get("status"));
        try (Jedis master = redis.master()) {
            assertEquals("completed", master.hget(RedisKeys.upload(TestEnvironment.ACME, Api.idOf(completed)), "status"));
            assertFalse(master.exists(RedisKeys.upload(TestEnvironment.ACME, Api.idOf(expiring))));
        }
        assertNoUnhandledErrors(service);
    }

    /** Waits until the service logged {@code count} more finished sweeps. */
    private static void awaitSweeps(int count) throws IOException {
        long before = sweeps();
        Await.until(FAILOVER, count + " more cleanup sweeps", () -> sweeps() >= before + count);
    }

    private static long sweeps() throws IOException {
        return service.logLines().stream().filter(line -> line.contains("Cleanup sweep removed")).count();
    }
}
