package com.mediapipeline.cleanup;

import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;

/**
 * Who runs this interval's sweep: the first instance to take the lock. It is never released, only
 * expires, so that one sweep runs per interval cluster-wide, and a crashed holder blocks nothing.
 */
@ApplicationScoped
@RedisCall
public class SweepLock {

    @Inject
    UnifiedJedis redis;

    public boolean tryTake(Duration hold) {
        return redis.set(RedisKeys.SWEEP_LOCK, "held", SetParams.setParams().nx().px(hold.toMillis())) != null;
    }
}
