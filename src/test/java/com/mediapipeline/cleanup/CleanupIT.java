package com.mediapipeline.cleanup;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cleanup sweep on an instance that sweeps every two seconds, keeps completed uploads for three and
 * unfinished ones for an hour, and reconciles everything over a day (the default): thousands of slices,
 * so that what the sweep removes within seconds it found through the expiry index.
 */
class CleanupIT {

    private static final int SWEEP_SECONDS = 2;
    private static final int COMPLETED_SECONDS = 3;
    private static final Pattern SWEEP = Pattern.compile("Cleanup sweep removed \\d+ expired upload");
    private static Path storage;
    private static ServiceProcess service;
    private static Api acme;

    @BeforeAll
    static void start() throws Exception {
        TestEnvironment.start();
        storage = Files.createDirectories(TestEnvironment.workDir().resolve("cleanup-" + System.nanoTime()));
        service = new ServiceProcess(storage,
                ServiceProcess.reservedPort(1), "-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.cleanup.interval=PT" + SWEEP_SECONDS + "S",
                "-Dmediapipeline.retention.completed=PT" + COMPLETED_SECONDS + "S",
                "-Dmediapipeline.retention.incomplete=PT1H",
                "-Dmediapipeline.rate-limit.per-second=100000", "-Dmediapipeline.rate-limit.burst=100000").start();
        acme = Api.acme(service.url());
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(service);
    }

    /** The status write that completes an upload schedules it in its business's expiry index; the next sweep after that removes it. */
    @Test
    void aCompletedUploadIsScheduledAndRemovedOnceDue() {
        String id = completedUpload();
        Double due = TestRedis.client().zscore(RedisKeys.expiries("acme"), id);
        assertNotNull(due, "a completed upload is in the expiry index");
        long completedAt = Instant.parse((String) acme.statusJson(id).get("completed_at")).toEpochMilli();
        assertEquals(completedAt + COMPLETED_SECONDS * 1000L, due.longValue(), "due retention.completed after its last byte");
        Await.until(Duration.ofSeconds(COMPLETED_SECONDS + 3L * SWEEP_SECONDS + 5), "the sweep to remove the due upload",
                () -> !stored(id));
        assertNull(TestRedis.client().zscore(RedisKeys.expiries("acme"), id), "a removal drops the upload from the index");
    }

    /**
     * With a thousand uploads stored and a few due, a sweep issues Redis commands for the due ones, not for
     * every one stored (a sweep that looked at each would issue several thousand; on a cluster the walks ask
     * every node for its role and size besides, a few dozen more).
     */
    @Test
    void aSweepCostsRedisCommandsForTheDueUploadsNotTheStoredOnes() throws Exception {
        Api stored = acme.as("stored-" + System.nanoTime());
        IntStream.range(0, 1000).parallel().forEach(i -> stored.create(10, null, null));
        List<String> due = IntStream.range(0, 5).mapToObj(i -> completedUpload()).toList();
        long commands = commandsOfOneSweep(() -> Thread.sleep(COMPLETED_SECONDS * 1000L));
        for (String id : due) {
            assertFalse(stored(id), "the due upload went in that sweep");
        }
        assertTrue(commands < 600, "one sweep over 1,000 stored uploads, 5 due, issued " + commands + " Redis commands");
    }

    /**
     * An upload missing from the expiry index (stored by an older version, or its entry lost) is scheduled
     * when the reconciliation's slice comes to it: at its Upload-Expires.
     */
    @Test
    void anUploadMissingFromTheExpiryIndexIsScheduledWhenItsSliceComes() throws Exception {
        String upload = acme.create(10, null, null);
        String id = Api.idOf(upload);
        long expires = ZonedDateTime.parse(acme.head(upload).headers().firstValue("Upload-Expires").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        withSweepsHeld(() -> {
            assertEquals(1, TestRedis.client().zrem(RedisKeys.expiries("acme"), id));
            nextSliceAt(id);
        });
        Double due = Await.until(Duration.ofSeconds(4L * SWEEP_SECONDS + 5), "the slice to schedule the upload again",
                () -> TestRedis.client().zscore(RedisKeys.expiries("acme"), id), score -> score != null);
        assertTrue(Math.abs(due - expires) < 1000, "scheduled at its Upload-Expires " + expires + ", not " + due);
    }

    /** A due upload missing from the expiry index is not seen by the sweeps until its slice comes; then it is removed. */
    @Test
    void aDueUploadMissingFromTheExpiryIndexIsRemovedWhenItsSliceComes() throws Exception {
        String id = completedUpload();
        withSweepsHeld(() -> assertEquals(1, TestRedis.client().zrem(RedisKeys.expiries("acme"), id)));
        Thread.sleep((COMPLETED_SECONDS + 3L * SWEEP_SECONDS) * 1000);
        assertTrue(stored(id), "no sweep looked at every upload");
        withSweepsHeld(() -> nextSliceAt(id));
        Await.until(Duration.ofSeconds(4L * SWEEP_SECONDS + 5), "the slice to remove the due upload", () -> !stored(id));
    }

    /** Whether the upload's folder is there (its completed status expires by itself soon after it is due, so it would not tell). */
    private static boolean stored(String id) {
        return Files.exists(storage.resolve("uploads").resolve(id));
    }

    private static String completedUpload() {
        String upload = acme.create(3, null, null);
        assertEquals(204, acme.patch(upload, 0, new byte[3]).statusCode());
        return Api.idOf(upload);
    }

    /** Points the reconciliation's next folder slice at the upload. */
    private static void nextSliceAt(String id) {
        TestRedis.client().hset(RedisKeys.RECONCILIATION, ReconciliationCursor.FOLDERS, Integer.toString(Integer.parseInt(id.substring(0, 4), 16)));
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} while no sweep runs: the test holds the sweep's lock (a sweep that began before ends meanwhile). */
    private static void withSweepsHeld(Step step) throws Exception {
        Await.until(Duration.ofSeconds(10), "the sweep lock to be free",
                () -> TestRedis.client().set(RedisKeys.SWEEP_LOCK, "test", SetParams.setParams().nx().px(60_000)) != null);
        try {
            Thread.sleep(1000);
            step.run();
        } finally {
            TestRedis.client().del(RedisKeys.SWEEP_LOCK);
        }
    }

    /** The Redis commands (all clients') from the release of the sweep lock, after {@code meanwhile}, to the end of the next sweep. */
    private static long commandsOfOneSweep(Step meanwhile) throws Exception {
        long[] before = new long[2];
        withSweepsHeld(() -> {
            meanwhile.run();
            before[0] = sweeps();
            before[1] = commands();
        });
        Await.until(Duration.ofSeconds(4L * SWEEP_SECONDS + 5), "a sweep", () -> sweeps() > before[0]);
        return commands() - before[1];
    }

    private static long sweeps() throws IOException {
        return service.logLines().stream().filter(line -> SWEEP.matcher(line).find()).count();
    }

    private static long commands() {
        return TestRedis.calls("[^:]+");
    }
}
