package com.mediapipeline.redis;

import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Keys an older version wrote without hash tags, moved on a real Redis as an upgraded instance starts.
 * Not on a Redis Cluster, where no older version ran and the service does not migrate.
 */
class KeyMigrationIT {

    @BeforeAll
    static void oneRedis() {
        assumeFalse(TestEnvironment.redisUrl().startsWith("redis-cluster:"), "the migration runs on one Redis only");
    }

    private static final long HOUR = 1_700_000_000L / 3600 * 3600;

    private final UnifiedJedis redis = TestRedis.client();
    private final String business = "migration-" + UUID.randomUUID().toString().substring(0, 8);
    private final String old = "analytics:" + business + ":" + HOUR;

    @AfterEach
    void forget() {
        redis.del(RedisKeys.analytics(business, HOUR), RedisKeys.analyticsUsers(business, HOUR),
                RedisKeys.analyticsBytes(business, HOUR), RedisKeys.analyticsOfUser(business, HOUR, "alice"),
                old, old + ":users", old + ":bytes", old + ":user:alice", "uploads:" + business, "uploads:" + business + ":status:completed");
    }

    @Test
    void oldAnalyticsKeysAreRenamedOrAddedToWhatANewInstanceCounted() {
        redis.hset(old, Map.of("completed", "3", "bytes_received", "1000"));
        redis.pexpire(old, 600_000);
        redis.pfadd(old + ":users", "alice", "bob");
        redis.zadd(old + ":bytes", 700, "alice");
        redis.hset(old + ":user:alice", "completed", "2");
        // a new instance already counted into the tagged names of the same hour
        redis.hset(RedisKeys.analytics(business, HOUR), Map.of("completed", "1", "failed", "1"));
        redis.pfadd(RedisKeys.analyticsUsers(business, HOUR), "carol");
        redis.zadd(RedisKeys.analyticsBytes(business, HOUR), 50, "alice");

        assertTrue(KeyMigration.run(redis) >= 4);

        assertEquals(Map.of("completed", "4", "failed", "1", "bytes_received", "1000"), redis.hgetAll(RedisKeys.analytics(business, HOUR)));
        assertTrue(redis.pttl(RedisKeys.analytics(business, HOUR)) > 0, "the old key's expiry is kept");
        assertEquals(3, redis.pfcount(RedisKeys.analyticsUsers(business, HOUR)));
        assertEquals(750.0, redis.zscore(RedisKeys.analyticsBytes(business, HOUR), "alice"));
        assertEquals(Map.of("completed", "2"), redis.hgetAll(RedisKeys.analyticsOfUser(business, HOUR, "alice")));
        for (String key : List.of(old, old + ":users", old + ":bytes", old + ":user:alice")) {
            assertFalse(redis.exists(key), key);
        }
    }

    @Test
    void oldListingIndexesAreDroppedForTheSweepToListAnew() {
        redis.zadd("uploads:" + business, 0, "0000000000001:" + UUID.randomUUID());
        redis.zadd("uploads:" + business + ":status:completed", 0, "0000000000001:" + UUID.randomUUID());
        redis.zadd(RedisKeys.listing(business, null, null), 0, "0000000000002:" + UUID.randomUUID());

        KeyMigration.run(redis);

        assertFalse(redis.exists("uploads:" + business));
        assertFalse(redis.exists("uploads:" + business + ":status:completed"));
        assertEquals(1, redis.zcard(RedisKeys.listing(business, null, null)), "a tagged index stays");
        redis.del(RedisKeys.listing(business, null, null));
    }

    @Test
    void anOldStatusHashMovesToItsBusinessSlotAndKeepsWhatANewerWriteSet() {
        String id = UUID.randomUUID().toString();
        String moved = UUID.randomUUID().toString();
        redis.hset("upload:" + id, Map.of("business", business, "status", "uploading", "offset", "10", "hook_sequence", "4"));
        redis.pexpire("upload:" + id, 600_000);
        redis.hset(RedisKeys.upload(business, id), Map.of("status", "completed", "offset", "20"));
        redis.hset("upload:" + moved, Map.of("business", business, "status", "created"));
        try {
            KeyMigration.run(redis);

            assertEquals(Map.of("business", business, "status", "completed", "offset", "20", "hook_sequence", "4"),
                    redis.hgetAll(RedisKeys.upload(business, id)), "the newer write wins, what it lacks is kept");
            assertTrue(redis.pttl(RedisKeys.upload(business, id)) > 0);
            assertEquals("created", redis.hget(RedisKeys.upload(business, moved), "status"));
            assertFalse(redis.exists("upload:" + id));
            assertFalse(redis.exists("upload:" + moved));
        } finally {
            redis.del(RedisKeys.upload(business, id), RedisKeys.upload(business, moved), "upload:" + id, "upload:" + moved);
        }
    }

    @Test
    void aSecondStartMovesNothingOfThisBusiness() {
        redis.hset(old, "completed", "1");
        KeyMigration.run(redis);
        KeyMigration.run(redis);
        assertEquals("1", redis.hget(RedisKeys.analytics(business, HOUR), "completed"));
    }
}
