package com.mediapipeline.redis;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.logging.Logger;

/**
 * Redis outages of a {@link RedisCall} store ({@link RedisFailures#outage}) become one
 * {@link RedisUnavailableException}. Any other Redis failure is a fault: logged here with its stack
 * trace, since this is the one place that sees it whoever called (background work included, which
 * logs a line at most), and passed on as a {@link RedisFaultException}, to be answered 500 like any other bug. A call whose
 * connection broke is tried once more only when it is {@link Idempotent}: the first try may have run
 * in Redis with only its reply lost, and redeeming a ticket, taking a rate-limit token or publishing
 * an event twice is worse than one 503.
 */
@RedisCall
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class RedisFailureInterceptor {

    private static final Logger LOG = Logger.getLogger(RedisFailureInterceptor.class.getName());

    @AroundInvoke
    Object translate(InvocationContext context) throws Exception {
        try {
            return context.getMethod().isAnnotationPresent(Idempotent.class) ? proceedRetryingOnce(context) : context.proceed();
        } catch (RuntimeException e) {
            boolean outage = RedisFailures.outage(e);
            if (!outage && !(e instanceof JedisException)) {
                // not Redis' (an ApiException, a bug of ours): it passes as it is
                throw e;
            }
            String call = "Redis call " + context.getMethod().getName() + " failed";
            RedisFailures.log(LOG, call, e);
            throw outage ? new RedisUnavailableException(call, e) : new RedisFaultException(call, e);
        }
    }

    /** After a Redis restart the pool's first connection is dead: one retry gets a fresh one. */
    private static Object proceedRetryingOnce(InvocationContext context) throws Exception {
        try {
            return context.proceed();
        } catch (JedisConnectionException stale) {
            return context.proceed();
        }
    }
}
