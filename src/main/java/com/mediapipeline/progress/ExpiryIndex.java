package com.mediapipeline.progress;

import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;

import java.time.Instant;
import java.util.List;

/**
 * The expiry index of each business ({@link RedisKeys#expiries}): its uploads by when each becomes due for
 * removal. The status scripts of {@link ProgressStore} keep it with the hash (a write schedules the upload,
 * a removal drops it); the cleanup sweep reads the due ones, and corrects what it finds early, late or
 * missing, since the files decide when an upload is due.
 */
@ApplicationScoped
@RedisCall
public class ExpiryIndex {

    @Inject
    UnifiedJedis redis;

    /** Up to {@code count} of the business's uploads due by {@code now}, skipping the first {@code skip}, soonest first. */
    @Idempotent
    public List<String> due(String business, Instant now, int skip, int count) {
        return redis.zrangeByScore(RedisKeys.expiries(business), Double.NEGATIVE_INFINITY, now.toEpochMilli(), skip, count);
    }

    /** Moves an upload that was due too early to when its files say; not back in if a removal dropped it meanwhile. */
    @Idempotent
    public void reschedule(String business, String id, Instant dueAt) {
        redis.zadd(RedisKeys.expiries(business), dueAt.toEpochMilli(), id, ZAddParams.zAddParams().xx());
    }

    /**
     * Schedules an upload for no later than {@code dueAt}: adds one that is missing (stored by an older
     * version, or its entry lost), moves one that is scheduled later; one scheduled earlier stays, to be
     * looked at then.
     */
    @Idempotent
    public void ensure(String business, String id, Instant dueAt) {
        redis.zadd(RedisKeys.expiries(business), dueAt.toEpochMilli(), id, ZAddParams.zAddParams().lt());
    }

    /** Drops the entry of an upload that is gone. */
    @Idempotent
    public void drop(String business, String id) {
        redis.zrem(RedisKeys.expiries(business), id);
    }
}
