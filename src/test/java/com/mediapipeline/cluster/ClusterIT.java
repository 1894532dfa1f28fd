package com.mediapipeline.cluster;

import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.SocketWatcher;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the microbundle behind an imaginary load balancer, sharing one Redis and one
 * storage folder: an upload moves freely between them, one writer at a time, one sweep at a time,
 * one rate limit for both.
 */
class ClusterIT {

    private static final int SWEEP_SECONDS = 2;
    private static final int RETENTION_SECONDS = 6;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static Path storage;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        TestEnvironment.start();
        storage = Files.createDirectories(TestEnvironment.workDir().resolve("cluster-" + System.nanoTime()));
        String[] options = {"-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.cleanup.interval=PT" + SWEEP_SECONDS + "S",
                // every sweep reconciles everything, so that orphans are found within seconds
                "-Dmediapipeline.cleanup.reconciliation=PT" + SWEEP_SECONDS + "S",
                "-Dmediapipeline.retention.completed=PT" + RETENTION_SECONDS + "S",
                "-Dmediapipeline.retention.incomplete=PT" + RETENTION_SECONDS + "S",
                "-Dmediapipeline.rate-limit.per-second=20", "-Dmediapipeline.rate-limit.burst=40",
                "-Dmediapipeline.progress.interval-ms=" + TestEnvironment.PROGRESS_INTERVAL_MS};
        a = new ServiceProcess(storage, ServiceProcess.reservedPort(1), options);
        b = new ServiceProcess(storage, ServiceProcess.reservedPort(2), options);
        ServiceProcess.startAll(a, b);
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(a, b);
    }

    /** Upload on A, watch on B, resume on B, download from B. */
    @Test
    void anUploadMovesBetweenInstances() throws Exception {
        Api onA = Api.acme(a.url());
        Api onB = Api.acme(b.url());
        int size = 2 * 1024 * 1024;
        byte[] content = SlowBody.pattern(size);
        String upload = onA.create(size, "shared.bin", null);
        String id = Api.idOf(upload);
        String uploadOnB = onB.uploadsUrl() + id;
        try (SocketWatcher watcher = SocketWatcher.open(onB, id)) {
            assertEquals("created", watcher.next().type());
            assertEquals(204, onA.patch(upload, 0, Arrays.copyOf(content, size / 2)).statusCode());
            assertEquals(size / 2, awaitBytes(watcher, size / 2).bytesSent(), "B's socket follows a PATCH that A received");

            assertEquals(Integer.toString(size / 2), onB.head(uploadOnB).headers().firstValue("Upload-Offset").orElseThrow());
            assertEquals(204, onB.patch(uploadOnB, size / 2, Arrays.copyOfRange(content, size / 2, size)).statusCode());
            // a progress message may report the last byte before the completion is recorded: the socket ends with complete
            assertEquals("complete", awaitEnd(watcher).type());
        }
        assertEquals("completed", onB.statusJson(id).get("status"));
        assertArrayEquals(content, onB.download(id).body());
        long ttl = TestRedis.client().pttl(RedisKeys.upload(TestEnvironment.ACME, id));
        assertTrue(ttl > 0 && ttl <= (RETENTION_SECONDS + 2L * SWEEP_SECONDS) * 1000, "a completed status expires by itself: " + ttl);
    }

    /** Past its Upload-Expires while a PATCH streams into it: the sweep leaves it alone, and it completes. */
    @Test
    void anUploadReceivingBytesIsNeverSwept() throws Exception {
        Api onA = Api.acme(a.url());
        long size = 8L * 1024 * 1024;
        String upload = onA.create(size, "slow.bin", null);
        long started = System.nanoTime();
        HttpResponse<String> patch = onA.slowPatch(upload, size, 320).get();
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertTrue(seconds > RETENTION_SECONDS + SWEEP_SECONDS, "the PATCH outlived the upload's expiry: " + seconds + " s");
        assertEquals(204, patch.statusCode(), patch.body());
        assertEquals("completed", onA.statusJson(Api.idOf(upload)).get("status"));
    }

    /** Two PATCHes of one upload on two instances cannot interleave: the second is refused. */
    @Test
    void aSecondWriterOnAnotherInstanceIsRefused() throws Exception {
        Api onA = Api.acme(a.url());
        Api onB = Api.acme(b.url());
        long size = 8L * 1024 * 1024;
        String upload = onA.create(size, null, null);
        CompletableFuture<HttpResponse<String>> slow = onA.slowPatch(upload, size, 40);
        TestRedis.awaitLocked(Api.idOf(upload));
        assertError(onB.patch(onB.uploadsUrl() + Api.idOf(upload), 0, new byte[10]), 423, "locked");
        assertEquals(204, slow.get().statusCode());
        assertEquals(Long.toString(size), onB.head(onB.uploadsUrl() + Api.idOf(upload)).headers()
                .firstValue("Upload-Offset").orElseThrow());
    }

    /** The bucket of an API key is shared: requests spread over both instances drain the same one. */
    @Test
    void theRateLimitHoldsAcrossInstances() {
        Api[] instances = {Api.globex(a.url()), Api.globex(b.url())};
        HttpResponse<String> refused = null;
        int sent = 0;
        long start = System.nanoTime();
        while (refused == null && sent < 400) {
            HttpResponse<String> response = instances[sent++ % 2].status("0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70");
            if (response.statusCode() == 429) {
                refused = response;
            }
        }
        // one shared bucket lets through 40 plus 20 per second; a bucket per instance would let through twice that
        double seconds = (System.nanoTime() - start) / 1e9;
        long shared = 40 + (long) Math.ceil(20 * seconds);
        assertTrue(refused != null && sent <= shared + 2,
                "refused after " + sent + " requests in " + seconds + " s to a shared bucket of 40 at 20/s (at most " + shared + ")");
        assertError(refused, 429, "rate_limited");
        assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        assertEquals("40", refused.headers().firstValue("RateLimit-Limit").orElseThrow());
        assertEquals("0", refused.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertTrue(refused.headers().firstValue("RateLimit-Reset").isPresent());
        assertEquals(429, refusedHandshake(instances), "the WebSocket handshake takes a token too");
    }

    /**
     * A request under the uploads' path that names PATCH in the override header but is no PATCH of an upload
     * (the status API under meta/, which ignores the header) takes its token before it is served, like any
     * other: it cannot leave its token for after its answer, and so never be refused.
     */
    @Test
    void aStatusCallNamingPatchStillTakesItsTokenFirst() {
        Api globex = Api.globex(a.url());
        HttpResponse<String> refused = null;
        for (int sent = 0; refused == null && sent < 400; sent++) {
            HttpResponse<String> response = Api.send(globex.request("/api/v1/uploads/meta/0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70/status")
                    .header("X-HTTP-Method-Override", "PATCH").GET());
            if (response.statusCode() == 429) {
                refused = response;
            }
        }
        assertTrue(refused != null, "400 status calls naming PATCH, none refused by a bucket of 40 at 20/s");
        assertError(refused, 429, "rate_limited");
    }

    /** Keeps the bucket empty and opens a socket right after; answers the status of the refused handshake. */
    private static int refusedHandshake(Api[] instances) {
        for (int attempt = 0; attempt < 50; attempt++) {
            for (int i = 0; i < 5; i++) {
                instances[i % 2].status("0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70");
            }
            try (SocketWatcher ignored = SocketWatcher.open(instances[attempt % 2], "0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70")) {
                // a token had come back in between: drain and try again
            } catch (SocketWatcher.Refused refused) {
                return refused.status();
            }
        }
        return 0;
    }

    /** After a crash: a status without files is dropped, files whose status Redis lost get it back, a lost write is repaired. */
    @Test
    void aSweepReconcilesOrphans() throws Exception {
        Api onA = Api.acme(a.url());
        String ghost = "6f1c2b9e-70a1-4c8e-8d21-0b7e3a601f5c";
        TestRedis.client().hset(RedisKeys.upload(TestEnvironment.ACME, ghost), Map.of("status", "uploading", "business", "acme", "offset", "5"));
        String upload = onA.create(100, "kept.bin", null);
        onA.patch(upload, 0, new byte[40]);
        TestRedis.client().del(RedisKeys.upload(TestEnvironment.ACME, Api.idOf(upload)));
        String done = onA.create(10, "done.bin", null);
        onA.patch(done, 0, new byte[10]);
        // the completing status write lost (Redis restarted just then): the hash still says where it was
        TestRedis.client().hset(RedisKeys.upload(TestEnvironment.ACME, Api.idOf(done)), Map.of("status", "uploading", "offset", "4", "progress", "40.0"));

        record Seen(boolean ghostStatus, int keptStatus, Object doneStatus) {
        }
        Await.until(Duration.ofSeconds(4L * SWEEP_SECONDS + 5),
                "a sweep to drop the ghost's status, restore kept.bin's and repair done.bin's",
                () -> new Seen(TestRedis.client().exists(RedisKeys.upload(TestEnvironment.ACME, ghost)), onA.status(Api.idOf(upload)).statusCode(),
                        onA.statusJson(Api.idOf(done)).get("status")),
                seen -> !seen.ghostStatus() && seen.keptStatus() == 200 && "completed".equals(seen.doneStatus()));
        assertEquals(10, ((Number) onA.statusJson(Api.idOf(done)).get("offset")).longValue(), "a lost completion is repaired");
        assertFalse(TestRedis.client().exists(RedisKeys.upload(TestEnvironment.ACME, ghost)), "a status whose files are gone is dropped");
        Map<String, Object> restored = onA.statusJson(Api.idOf(upload));
        assertEquals("uploading", restored.get("status"));
        assertEquals(40, ((Number) restored.get("offset")).longValue());
        assertEquals("kept.bin", restored.get("filename"));
        assertTrue(Files.exists(storage.resolve("uploads").resolve(Api.idOf(upload)).resolve("data")));
    }

    /** Expired uploads (completed or not) go, watchers hear "expired", and no two sweeps run in the same interval. */
    @Test
    void oneSweepPerIntervalRemovesExpiredUploads() throws Exception {
        Api onA = Api.acme(a.url());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String upload = onA.create(3, null, null);
            onA.patch(upload, 0, new byte[3]);
            ids.add(Api.idOf(upload));
        }
        String watched = Api.idOf(onA.create(10, null, null));
        try (SocketWatcher watcher = SocketWatcher.open(Api.acme(b.url()), watched)) {
            assertEquals("created", watcher.next().type());
            ProgressEvent gone = watcher.next(RETENTION_SECONDS + 3L * SWEEP_SECONDS + 5);
            assertEquals("error", gone.type());
            assertEquals("expired", gone.message());
        }
        Await.until(Duration.ofSeconds(RETENTION_SECONDS + 4L * SWEEP_SECONDS + 10), "the expired uploads to be swept",
                () -> ids.stream().map(id -> onA.status(id).statusCode()).toList(),
                statuses -> statuses.stream().allMatch(status -> status == 404));
        for (String id : ids) {
            assertError(Api.acme(b.url()).status(id), 404, "not_found");
            assertEquals(404, Api.acme(b.url()).download(id).statusCode());
        }
        List<Instant> sweeps = sweepTimes(a);
        sweeps.addAll(sweepTimes(b));
        Collections.sort(sweeps);
        assertTrue(sweeps.size() >= 2, "sweeps ran: " + sweeps);
        for (int i = 1; i < sweeps.size(); i++) {
            long gap = sweeps.get(i).toEpochMilli() - sweeps.get(i - 1).toEpochMilli();
            assertTrue(gap >= SWEEP_SECONDS * 1000L * 3 / 4, "two sweeps " + gap + " ms apart: " + sweeps);
        }
    }

    private static ProgressEvent awaitEnd(SocketWatcher watcher) throws InterruptedException {
        ProgressEvent event = watcher.next();
        while (!event.terminal()) {
            event = watcher.next();
        }
        return event;
    }

    private static ProgressEvent awaitBytes(SocketWatcher watcher, long bytes) throws InterruptedException {
        ProgressEvent event = watcher.next();
        while (event.bytesSent() < bytes) {
            event = watcher.next();
        }
        return event;
    }

    private static final Pattern SWEEP = Pattern.compile("^\\[([^]]+)].*Cleanup sweep removed \\d+ expired upload\\(s\\) in (\\d+) ms");

    /** When each sweep began (its log line is written at its end): the sweep lock spaces the beginnings. */
    private static List<Instant> sweepTimes(ServiceProcess instance) throws Exception {
        List<Instant> times = new ArrayList<>();
        for (String line : instance.logLines()) {
            Matcher m = SWEEP.matcher(line);
            if (m.find()) {
                times.add(OffsetDateTime.parse(m.group(1).replaceFirst("(\\+\\d{2})(\\d{2})$", "$1:$2")).toInstant()
                        .minusMillis(Long.parseLong(m.group(2))));
            }
        }
        return times;
    }
}
