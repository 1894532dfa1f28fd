package com.mediapipeline.redis;

import com.mediapipeline.auth.TicketStore;
import com.mediapipeline.progress.ProgressStore;
import com.mediapipeline.ratelimit.RateLimiter;
import com.mediapipeline.upload.UploadId;
import com.mediapipeline.testing.TestRedis;
import jakarta.interceptor.InvocationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A broken connection does not say whether Redis ran the command: on a real Redis, each call below
 * runs its command, then loses the reply. Only calls marked {@link Idempotent} may run again.
 */
class RedisFailureInterceptorIT {

    private final RedisFailureInterceptor interceptor = new RedisFailureInterceptor();
    private final UnifiedJedis redis = TestRedis.client();
    private final String key = "test:reply-lost:" + UUID.randomUUID();

    @AfterEach
    void clean() {
        redis.del(key);
    }

    /** A ticket is single use: a redemption whose reply was lost answers 503, and is not run again (which would say "no such ticket"). */
    @Test
    void aRedemptionWhoseReplyWasLostIsNotRepeated() throws Exception {
        redis.set(key, "acme\nalice\nupload");
        ReplyLost redeem = new ReplyLost(TicketStore.class.getMethod("redeem", String.class, String.class), () -> redis.getDel(key));

        assertThrows(RedisUnavailableException.class, () -> interceptor.translate(redeem));

        assertEquals(1, redeem.runs);
    }

    @Test
    void aRateLimitTokenWhoseReplyWasLostIsTakenOnce() throws Exception {
        redis.set(key, "10");
        ReplyLost take = new ReplyLost(RateLimiter.class.getMethod("take", String.class), () -> redis.decr(key));

        assertThrows(RedisUnavailableException.class, () -> interceptor.translate(take));

        assertEquals("9", redis.get(key));
    }

    /** A read is safe to repeat: after a Redis restart it gets a fresh connection instead of a 503. */
    @Test
    void anIdempotentReadIsTriedOnceMore() throws Exception {
        redis.hset(key, "status", "uploading");
        ReplyLost find = new ReplyLost(ProgressStore.class.getMethod("find", UploadId.class, String.class), () -> redis.hgetAll(key));

        assertEquals(Map.of("status", "uploading"), interceptor.translate(find));
        assertEquals(2, find.runs);
    }

    /** The container's side of an intercepted call: the first run's reply never arrives. */
    private static final class ReplyLost implements InvocationContext {

        private final Method method;
        private final Supplier<Object> command;
        private int runs;

        ReplyLost(Method method, Supplier<Object> command) {
            this.method = method;
            this.command = command;
        }

        @Override
        public Object proceed() {
            runs++;
            Object reply = command.get();
            if (runs == 1) {
                throw new JedisConnectionException("Unexpected end of stream");
            }
            return reply;
        }

        @Override
        public Method getMethod() {
            return method;
        }

        @Override
        public Object getTarget() {
            return null;
        }

        @Override
        public Object getTimer() {
            return null;
        }

        @Override
        public Constructor<?> getConstructor() {
            return null;
        }

        @Override
        public Object[] getParameters() {
            return new Object[0];
        }

        @Override
        public void setParameters(Object[] params) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> getContextData() {
            return Map.of();
        }
    }
}
