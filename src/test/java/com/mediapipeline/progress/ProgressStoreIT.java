package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The status scripts on a real Redis: what the cleanup sweep's restoration of a lost status may overwrite. */
class ProgressStoreIT {

    private final ProgressStore store = new ProgressStore();
    private final UploadFacts upload = new UploadFacts(UUID.randomUUID().toString(), "acme", "alice", 100L, "a.bin",
            null, Instant.now());

    @BeforeEach
    void connect() {
        store.redis = TestRedis.client();
        store.hookProgressInterval = Duration.ofSeconds(5);
        store.resumeWindow = Duration.ofMinutes(5);
    }

    /** The external Redis of CI outlives the run: no hash without a TTL stays behind. */
    @AfterEach
    void forget() {
        store.forget(upload.id());
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

    /** The sweep read the info of an unfinished upload, then its last PATCH completed it: the repair must not undo that. */
    @Test
    void aRepairNeverUndoesACompletionThatLandedAfterTheSweepLooked() {
        store.create(upload, Instant.now());
        TestRedis.client().hset(RedisKeys.upload(upload.id()), "status", UploadStatus.COMPLETED);

        store.repair(upload, 42, false, Instant.now());

        assertEquals(UploadStatus.COMPLETED, TestRedis.uploadHash(upload.id()).get("status"));
    }
}
