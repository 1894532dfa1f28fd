package com.mediapipeline.ratelimit;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.redis.LuaScript;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.UnifiedJedis;

import java.util.List;

/**
 * A token bucket per caller in Redis: {@code burst} tokens at most, refilled at {@code per-second}.
 * One atomic script per request, on Redis' own clock, so that every instance shares the bucket.
 */
@ApplicationScoped
@RedisCall
public class RateLimiter {

    static final String RATE_SETTING = "mediapipeline.rate-limit.per-second";
    static final String BURST_SETTING = "mediapipeline.rate-limit.burst";
    private static final LuaScript TAKE = new LuaScript("""
            local clock = redis.call('TIME')
            local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
            local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1]) or burst
            local at = tonumber(state[2]) or now
            tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
            local allowed = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
            return {allowed, tostring(tokens)}
            """);

    @Inject
    @ConfigProperty(name = RATE_SETTING, defaultValue = "50")
    double perSecond;

    @Inject
    @ConfigProperty(name = BURST_SETTING, defaultValue = "200")
    int burst;

    @Inject
    UnifiedJedis redis;

    @PostConstruct
    void validate() {
        InvalidSettingException.require(perSecond > 0, RATE_SETTING, "must be a positive number, was " + perSecond);
        InvalidSettingException.require(burst >= 1, BURST_SETTING, "must be at least 1, was " + burst);
    }

    /** Takes one token from the caller's bucket, if there is one. */
    public Decision take(String caller) {
        List<?> answer = (List<?>) TAKE.run(redis, List.of(RedisKeys.rateLimit(caller)),
                List.of(Double.toString(perSecond), Integer.toString(burst)));
        return Decision.of(((Long) answer.get(0)) == 1, Double.parseDouble((String) answer.get(1)), perSecond, burst);
    }
}
