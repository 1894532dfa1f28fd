package com.mediapipeline.ratelimit;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.redis.LuaScript;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.annotation.Metric;
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
    /**
     * Lua: takes a token of the bucket at {@code key}, if it has one; answers whether it did (1 or 0)
     * and the tokens left, as text. A function, so that a PATCH takes its token in the script that
     * also takes its stream slot and lock (upload/PatchAdmission).
     */
    public static final String TAKE_TOKEN = """
            local function take_token(key, rate, burst)
              local clock = redis.call('TIME')
              local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
              local state = redis.call('HMGET', key, 'tokens', 'at')
              local tokens = tonumber(state[1]) or burst
              local at = tonumber(state[2]) or now
              tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
              local allowed = 0
              if tokens >= 1 then
                tokens = tokens - 1
                allowed = 1
              end
              redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
              redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
              return allowed, tostring(tokens)
            end
            """;
    private static final LuaScript TAKE = new LuaScript(TAKE_TOKEN + """
            local allowed, tokens = take_token(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
            return {allowed, tokens}
            """);

    @Inject
    @ConfigProperty(name = RATE_SETTING, defaultValue = "50")
    double perSecond;

    @Inject
    @ConfigProperty(name = BURST_SETTING, defaultValue = "200")
    int burst;

    @Inject
    UnifiedJedis redis;

    @Inject
    @Metric(name = "ratelimit.rejected", absolute = true, description = "Requests refused with 429")
    Counter rejected;

    @PostConstruct
    void validate() {
        InvalidSettingException.require(perSecond > 0, RATE_SETTING, "must be a positive number, was " + perSecond);
        InvalidSettingException.require(burst >= 1, BURST_SETTING, "must be at least 1, was " + burst);
    }

    /** Takes one token from the caller's bucket, if there is one. */
    public Decision take(String caller) {
        List<?> answer = (List<?>) TAKE.run(redis, List.of(RedisKeys.rateLimit(caller)), arguments());
        return decision((Long) answer.get(0), (String) answer.get(1));
    }

    /** The arguments of {@link #TAKE_TOKEN}'s {@code take_token} after the key: rate and burst. */
    public List<String> arguments() {
        return List.of(Double.toString(perSecond), Integer.toString(burst));
    }

    /** What {@code take_token} answered, as a decision; a refusal is counted. */
    public Decision decision(long allowed, String tokensLeft) {
        if (allowed != 1) {
            rejected.inc();
        }
        return Decision.of(allowed == 1, Double.parseDouble(tokensLeft), perSecond, burst);
    }
}
