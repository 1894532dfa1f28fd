package com.mediapipeline.progress;

import com.mediapipeline.analytics.TestAnalytics;
import com.mediapipeline.config.Retention;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status scripts on a real Redis: what the cleanup sweep's restoration of a lost status may overwrite. */
class ProgressStoreIT {

    private final ProgressStore store = new ProgressStore();
    private final UploadFacts upload = new UploadFacts(UUID.randomUUID().toString(), "acme", "alice", 100L, "a.bin",
            null, Instant.now(), false);

    @BeforeEach
    void connect() {
        store.redis = TestRedis.client();
        store.hookProgressInterval = Duration.ofSeconds(5);
        store.resumeWindow = Duration.ofMinutes(5);
        store.retention = new Retention() {
            @Override
            public Duration completedKeyTtl() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration incomplete() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration completed() {
                return Duration.ofMinutes(1);
            }
        };
        store.tallies = TestAnalytics.tallies();
    }

    /** The external Redis of CI outlives the run: no hash without a TTL stays behind. */
    @AfterEach
    void forget() {
        store.forget(upload.business(), upload.id());
        TestRedis.client().zrem(RedisKeys.expiries("acme"), upload.id());
    }

    /** The sweep saw no status, then the upload's creation wrote one: the restoration must not undo it. */
    @Test
    void aRestorationLeavesAStatusWrittenMeanwhileAlone() {
        store.create(upload, Instant.now());

        store.restore(upload, 0, false, Instant.now());

        assertEquals(UploadStatus.CREATED, TestRedis.uploadHash(upload.id()).get("status"));
    }

    @Test
    void aLostStatusComesBackFromTheUploadsFacts() {
        store.restore(upload, 42, false, Instant.now());

        Map<String, String> hash = TestRedis.uploadHash(upload.id());
        assertEquals(UploadStatus.UPLOADING, hash.get("status"));
        assertEquals("42", hash.get("offset"));
        assertEquals("acme", hash.get("business"));
    }

    /**
     * The sweep saw an upload's files before its creation wrote a status, and restored one without its creator:
     * the creation's write still names the creator, and lists and counts the upload as theirs.
     */
    @Test
    void aCreationAfterARestorationStillNamesItsCreator() {
        String business = "restored" + System.nanoTime();
        UploadFacts created = new UploadFacts(UUID.randomUUID().toString(), business, "alice", 100L, "a.bin", null, Instant.now(), false);
        UploadFacts unknown = new UploadFacts(created.id(), business, null, 100L, "a.bin", null, created.createdAt(), false);
        long hour = Instant.now().truncatedTo(ChronoUnit.HOURS).getEpochSecond();
        store.restore(unknown, 0, false, Instant.now());
        store.create(created, Instant.now());
        try {
            assertEquals("alice", TestRedis.uploadHash(business, created.id()).get("username"));
            assertEquals(List.of(UploadIndex.member(created.id(), created.createdAt())),
                    TestRedis.client().zrange(RedisKeys.listing(business, "alice", UploadStatus.CREATED), 0, -1));
            assertEquals("1", TestRedis.client().hget(RedisKeys.analyticsOfUser(business, hour, "alice"), "created"));
        } finally {
            store.remove(created.business(), created.id(), "deleted");
            TestRedis.delete(RedisKeys.analytics(business, hour), RedisKeys.analyticsOfUser(business, hour, "alice"),
                    RedisKeys.analyticsUsers(business, hour), RedisKeys.analyticsBytes(business, hour), RedisKeys.events(business));
        }
    }

    /**
     * Each status write schedules the upload in its business's expiry index, in the same step: an unfinished
     * upload retention.incomplete after the write, a completed one retention.completed after its completion;
     * a write that is dropped moves nothing, and the removal takes the upload out.
     */
    @Test
    void theStatusWritesKeepTheExpiryIndex() {
        Instant created = Instant.now();
        store.create(upload, created);
        assertEquals(created.plusSeconds(60).toEpochMilli(), due());
        Instant progressed = created.plusSeconds(5);
        store.progress(upload, 10, progressed, 1);
        assertEquals(progressed.plusSeconds(60).toEpochMilli(), due());
        Instant completed = created.plusSeconds(7);
        store.complete(upload, completed, 1);
        assertEquals(completed.plusSeconds(60).toEpochMilli(), due());

        store.progress(upload, 20, created.plusSeconds(30), 1);
        assertEquals(completed.plusSeconds(60).toEpochMilli(), due(), "a progress write after the completion is dropped");
        store.remove(upload.business(), upload.id(), "deleted");
        assertNull(TestRedis.client().zscore(RedisKeys.expiries("acme"), upload.id()), "a removal drops the upload from the index");
    }

    private long due() {
        return TestRedis.client().zscore(RedisKeys.expiries("acme"), upload.id()).longValue();
    }

    /** The sweep read the info of an unfinished upload, then its last PATCH completed it: the repair must not undo that. */
    @Test
    void aRepairNeverUndoesACompletionThatLandedAfterTheSweepLooked() {
        store.create(upload, Instant.now());
        TestRedis.client().hset(RedisKeys.upload(upload.business(), upload.id()), "status", UploadStatus.COMPLETED);

        store.repair(upload, 42, false, Instant.now());

        assertEquals(UploadStatus.COMPLETED, TestRedis.uploadHash(upload.id()).get("status"));
    }

    /**
     * Analytics count inside the status write: bytes as the highest offset grows (a cut back takes none back,
     * bytes sent again count no more), a status once per transition however often it is written, nothing of
     * an older lease's write, and nothing again when Redis lost the hash and a write makes it anew.
     */
    @Test
    void analyticsCountWhatTheWriteChangedOnce() {
        String business = "tally" + System.nanoTime();
        UploadFacts mine = new UploadFacts(UUID.randomUUID().toString(), business, "alice", 100L, null, null, Instant.now(), false);
        long firstHour = Instant.now().truncatedTo(ChronoUnit.HOURS).getEpochSecond();
        store.create(mine, Instant.now());
        store.progress(mine, 40, Instant.now(), 2);
        store.progress(mine, 70, Instant.now(), 1);
        store.progress(mine, 40, Instant.now(), 2);
        store.fail(mine, 30, "the disk is full", Instant.now(), 2);
        store.fail(mine, 30, "the disk is full", Instant.now(), 2);
        store.progress(mine, 50, Instant.now(), 3);
        TestRedis.client().del(RedisKeys.upload(mine.business(), mine.id()));
        store.progress(mine, 80, Instant.now(), 3);
        long lastHour = Instant.now().truncatedTo(ChronoUnit.HOURS).getEpochSecond();
        store.forget(mine.business(), mine.id());

        List<Long> hours = firstHour == lastHour ? List.of(firstHour) : List.of(firstHour, lastHour);
        Map<String, Long> counted = new HashMap<>();
        Map<String, Long> alices = new HashMap<>();
        for (long hour : hours) {
            TestRedis.client().hgetAll(RedisKeys.analytics(business, hour)).forEach((field, n) -> counted.merge(field, Long.parseLong(n), Long::sum));
            TestRedis.client().hgetAll(RedisKeys.analyticsOfUser(business, hour, "alice")).forEach((field, n) -> alices.merge(field, Long.parseLong(n), Long::sum));
            assertTrue(TestRedis.client().pttl(RedisKeys.analytics(business, hour)) > Duration.ofDays(90).toMillis(), "kept past the retention, not for ever");
        }
        assertEquals(Map.of("created", 1L, "failed", 1L, "bytes_received", 50L), counted);
        assertEquals(counted, alices);
        assertEquals(1, TestRedis.client().pfcount(hours.stream().map(hour -> RedisKeys.analyticsUsers(business, hour)).toArray(String[]::new)));
        assertEquals(50.0, hours.stream().mapToDouble(hour -> TestRedis.client().zscore(RedisKeys.analyticsBytes(business, hour), "alice") == null ? 0
                : TestRedis.client().zscore(RedisKeys.analyticsBytes(business, hour), "alice")).sum());
        hours.forEach(hour -> TestRedis.delete(RedisKeys.analytics(business, hour), RedisKeys.analyticsOfUser(business, hour, "alice"),
                RedisKeys.analyticsUsers(business, hour), RedisKeys.analyticsBytes(business, hour)));
    }

    /** An upload assembled from partial uploads counts as created and completed, but its bytes were its parts'. */
    @Test
    void anAssembledUploadCountsNoBytesOfItsOwn() {
        String business = "tally" + System.nanoTime();
        UploadFacts assembled = new UploadFacts(UUID.randomUUID().toString(), business, "alice", 100L, null, null, Instant.now(), true);
        long firstHour = Instant.now().truncatedTo(ChronoUnit.HOURS).getEpochSecond();
        store.create(assembled, Instant.now());
        store.progress(assembled, 100, Instant.now(), 0);
        store.complete(assembled, Instant.now(), 0);
        long lastHour = Instant.now().truncatedTo(ChronoUnit.HOURS).getEpochSecond();
        store.forget(assembled.business(), assembled.id());

        Map<String, Long> counted = new HashMap<>();
        for (long hour : firstHour == lastHour ? List.of(firstHour) : List.of(firstHour, lastHour)) {
            TestRedis.client().hgetAll(RedisKeys.analytics(business, hour)).forEach((field, n) -> counted.merge(field, Long.parseLong(n), Long::sum));
            TestRedis.delete(RedisKeys.analytics(business, hour), RedisKeys.analyticsOfUser(business, hour, "alice"),
                    RedisKeys.analyticsUsers(business, hour), RedisKeys.analyticsBytes(business, hour));
        }
        assertEquals(1L, counted.get("created"));
        assertEquals(1L, counted.get("completed"));
        assertEquals(null, counted.get("bytes_received"), "counted: " + counted);
        assertEquals(null, counted.get("bytes_stored"), "counted: " + counted);
    }
}
