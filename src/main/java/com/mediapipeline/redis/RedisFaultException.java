package com.mediapipeline.redis;

/**
 * Redis refused a {@link RedisCall} store's command for a fault of our code, data or setup, not for an
 * outage ({@link RedisFailures#outage}): a bug, answered 500 like any other. A type of ours, so that
 * work outside the stores can tell Redis failing from its own failures without knowing Jedis.
 */
public class RedisFaultException extends RuntimeException {

    public RedisFaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
