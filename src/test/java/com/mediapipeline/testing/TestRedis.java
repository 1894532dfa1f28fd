package com.mediapipeline.testing;

import com.mediapipeline.redis.RedisConnection;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.RedisUrl;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.Map;

/** A second, independent connection to the Redis the service uses, to check what it stored. */
public final class TestRedis {

    private static UnifiedJedis client;

    private TestRedis() {
    }

    public static synchronized UnifiedJedis client() {
        if (client == null) {
            client = RedisConnection.open(RedisUrl.parse(TestEnvironment.redisUrl()).orElseThrow());
        }
        return client;
    }

    public static Map<String, String> uploadHash(String uploadId) {
        return client().hgetAll(RedisKeys.upload(uploadId));
    }

    /** Waits until a request (a PATCH that has begun) holds the upload's write lock. */
    public static void awaitLocked(String uploadId) {
        Await.until(Duration.ofSeconds(10), "a request to hold the write lock of " + uploadId,
                () -> client().exists(RedisKeys.uploadLock(uploadId)));
    }

    /**
     * Waits until a PATCH under a lease has reported bytes of the upload (the status hash names its
     * lease as {@code writer}). Unlike the lock, which may come and go between two looks, this stays.
     */
    public static void awaitLeasedWrite(String uploadId) {
        Await.until(Duration.ofSeconds(30), "a PATCH under a lease to report bytes of " + uploadId,
                () -> client().hexists(RedisKeys.upload(uploadId), "writer"));
    }

    /** Waits until nobody holds the upload's write lock: its holder released it, or stalled past its lease. */
    public static void awaitUnlocked(String uploadId) {
        Await.until(Duration.ofSeconds(TestEnvironment.LOCK_TIMEOUT_SECONDS + 10L), "the write lock of " + uploadId
                + " to be released or to expire", () -> !client().exists(RedisKeys.uploadLock(uploadId)));
    }
}
