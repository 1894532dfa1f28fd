package com.mediapipeline.redis;

import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.progress.Relayed;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.RedisSentinelSet;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SocketWatcher;
import com.mediapipeline.testing.TestEnvironment;
import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

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

    private static final int SIZE = 8 * 1024 * 1024;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
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
        service = new ServiceProcess(Files.createDirectories(folder.resolve("storage")), ServiceProcess.reservedPort(1),
                "-Dmediapipeline.redis.url=" + redis.url(),
                "-Dmediapipeline.cleanup.interval=PT1S",
                "-Dmediapipeline.retention.incomplete=" + INCOMPLETE_RETENTION,
                "-Dmediapipeline.upload.lock-timeout=PT5S",
                "-Dmediapipeline.progress.interval-ms=100",
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
        Path file = randomFile("failover.bin", SIZE);
        TusURLMemoryStore store = new TusURLMemoryStore();
        TusClient client = client(store);
        TusUpload upload = new TusUpload(file.toFile());
        String id = Api.idOf(client.createUpload(upload).getUploadURL().toString());
        // the Location names the machine's address; the tests talk to the service over loopback only
        store.set(upload.getFingerprint(), URI.create(api.uploadsUrl() + id).toURL());
        TusUploader uploader = chunked(client.resumeUpload(upload));
        Outcomes outcomes = new Outcomes();
        long offsetAtKill;
        try (SocketWatcher watcher = SocketWatcher.open(api, id)) {
            while (uploader.getOffset() < SIZE * 7L / 16) { // half way through the fourth PATCH of 1 MiB
                uploader.uploadChunk();
            }
            offsetAtKill = uploader.getOffset();
            // the service is writing that PATCH when the master dies: it has recorded some of its bytes
            Await.until(FAILOVER, "the fourth PATCH's bytes to be recorded", () -> ((Number) api.statusJson(id).get("offset")).longValue(),
                    offset -> offset > 3L * 1024 * 1024);
            try (Probe probe = new Probe(outcomes, id)) {
                int old = redis.killMaster();
                uploader = uploadTheRest(client, upload, uploader, outcomes);
                redis.awaitFailover(old);
            }
            assertEquals(id, Api.idOf(uploader.getUploadURL().toString()), "the same upload resumed");

            ProgressEvent complete = awaitEvent(watcher, ProgressEvent.COMPLETE);
            assertEquals(SIZE, complete.bytesSent(), "the relay, subscribed to the new master, brought the completion");
            assertTrue(watcher.messages().stream().anyMatch(event -> event.bytesSent() > offsetAtKill));
        }
        outcomes.assertOnly503sAndSeenOne();

        assertEquals(sha256(Files.readAllBytes(file)), sha256(api.downloaded(uploader.getUploadURL().toString())), "SHA-256 of the download");
        Map<String, Object> status = api.statusJson(id);
        assertEquals("completed", status.get("status"));
        assertEquals(SIZE, ((Number) status.get("offset")).intValue());
        try (Jedis master = redis.master()) {
            Map<String, String> hash = master.hgetAll(RedisKeys.upload(TestEnvironment.ACME, id));
            assertEquals("completed", hash.get("status"), "the new master holds the status: " + hash);
        }
        assertNoUnhandledErrors();
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
        Outcomes outcomes = new Outcomes();
        try (Probe probe = new Probe(outcomes, id)) {
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
        assertNoUnhandledErrors();
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

        Outcomes outcomes = new Outcomes();
        try (Probe probe = new Probe(outcomes, Api.idOf(completed))) {
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
        assertNoUnhandledErrors();
    }

    /** Sends the rest of the file, resuming from HEAD after each failure, as a TUS client that retries does. */
    private static TusUploader uploadTheRest(TusClient client, TusUpload upload, TusUploader uploader, Outcomes outcomes)
            throws Exception {
        TusUploader current = uploader;
        while (true) {
            try {
                while (current.uploadChunk() > -1) {
                    // one PATCH of 1 MiB after another
                }
                current.finish();
                return current;
            } catch (ProtocolException | IOException failed) {
                outcomes.add(failed);
                current = Await.until(FAILOVER, "HEAD to answer the offset to resume from", () -> {
                    try {
                        return chunked(client.resumeUpload(upload));
                    } catch (ProtocolException | IOException notYet) {
                        outcomes.add(notYet);
                        return null;
                    }
                }, Objects::nonNull);
            }
        }
    }

    /** What the service answered while Redis was failing over, for the assertions that follow. */
    private static final class Outcomes {
        private final List<String> seen = new CopyOnWriteArrayList<>();

        void add(HttpResponse<String> response) {
            if (response.statusCode() == 200) {
                return;
            }
            seen.add(response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("(no type)")
                    + " " + response.body());
        }

        void add(Exception failure) {
            if (failure instanceof ProtocolException protocol && protocol.getCausingConnection() != null) {
                seen.add(answer(protocol.getCausingConnection()));
            } else if (failure instanceof SocketTimeoutException) {
                seen.add("hung: " + failure);
            } else {
                // a PATCH body cut off by an early answer (the service answered 503 and closed): the client resumes
                seen.add("io: " + failure);
            }
        }

        void add(String hung) {
            seen.add(hung);
        }

        /**
         * Every error was a 503 redis_unavailable in JSON, or a 423 of a lock not yet expired. A HEAD has no
         * body, and a PATCH answered before its body was sent may lose the answer's body to the reset of the
         * connection that the client is still writing to; the client then resumes, as after any I/O failure.
         */
        void assertOnly503sAndSeenOne() {
            List<String> unexpected = seen.stream().filter(answer -> !answer.startsWith("io: ")
                    && !answer.matches("(?s)503 application/json\\S* \\{.*\"error\": ?\"redis_unavailable\".*\"message\".*")
                    && !answer.matches("503 application/json\\S* \\((HEAD|body cut)\\)")
                    && !answer.matches("(?s)423 application/json\\S* \\{.*\"error\": ?\"locked\".*")).toList();
            assertEquals(List.of(), unexpected, "answers during the failover besides 503 JSON; all: " + seen);
            assertTrue(seen.stream().anyMatch(answer -> answer.startsWith("503")), "no 503 while the master was down: " + seen);
        }

        private static String answer(HttpURLConnection connection) {
            try {
                String type = Objects.requireNonNullElse(connection.getContentType(), "(no type)");
                if ("HEAD".equals(connection.getRequestMethod())) {
                    return connection.getResponseCode() + " " + type + " (HEAD)";
                }
                InputStream error = connection.getErrorStream();
                String body = error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8);
                return connection.getResponseCode() + " " + type + " " + (body.isEmpty() ? "(body cut)" : body);
            } catch (IOException e) {
                return "io: reading the answer: " + e;
            }
        }
    }

    /** Asks the status of an upload over and over, each call bounded by the client timeout, until closed. */
    private static final class Probe implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Probe(Outcomes outcomes, String uploadId) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        outcomes.add(Api.send(api.request("/api/v1/uploads/meta/" + uploadId + "/status").timeout(CLIENT_TIMEOUT).GET()));
                        Thread.sleep(100); // 10 a second: within the rate limit of the business
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        outcomes.add("hung or failed: " + e);
                    }
                }
            }, "failover-probe");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /** The real TUS client, whose requests give up after the client timeout instead of waiting for ever. */
    private static TusClient client(TusURLMemoryStore store) throws IOException {
        TusClient client = new TusClient() {
            @Override
            public void prepareConnection(HttpURLConnection connection) {
                super.prepareConnection(connection);
                connection.setReadTimeout((int) CLIENT_TIMEOUT.toMillis());
            }
        };
        client.setConnectTimeout((int) CLIENT_TIMEOUT.toMillis());
        client.setUploadCreationURL(URI.create(api.uploadsUrl()).toURL());
        client.setHeaders(Map.of("X-API-KEY", TestEnvironment.ACME_KEY, "X-Username", "alice"));
        client.enableResuming(store);
        return client;
    }

    /** PATCHes of 1 MiB, written 64 KiB at a time. */
    private static TusUploader chunked(TusUploader uploader) {
        uploader.setChunkSize(64 * 1024);
        uploader.setRequestPayloadSize(1024 * 1024);
        return uploader;
    }

    private static ProgressEvent awaitEvent(SocketWatcher watcher, String type) throws InterruptedException {
        while (true) {
            ProgressEvent event = watcher.next(FAILOVER.toSeconds());
            if (type.equals(event.type())) {
                return event;
            }
        }
    }

    /** Waits until the service logged {@code count} more finished sweeps. */
    private static void awaitSweeps(int count) throws IOException {
        long before = sweeps();
        Await.until(FAILOVER, count + " more cleanup sweeps", () -> sweeps() >= before + count);
    }

    private static long sweeps() throws IOException {
        return service.logLines().stream().filter(line -> line.contains("Cleanup sweep removed")).count();
    }

    /** A 500 is a bug: the service logs each one with its stack trace. */
    private static void assertNoUnhandledErrors() throws IOException {
        List<String> unhandled = service.logLines().stream().filter(line -> line.contains("Unhandled error")).toList();
        assertEquals(List.of(), unhandled, "see " + service.log());
    }

    private static Path randomFile(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        Path dir = Files.createDirectories(TestEnvironment.workDir().resolve("sentinel-files"));
        return Files.write(dir.resolve(name), bytes);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
