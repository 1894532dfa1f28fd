package com.mediapipeline.redis;

/**
 * Redis did not answer a {@link RedisCall} store, or refused it for now ({@link RedisFailures#outage}).
 * Callers that serve a client let it travel (errors/ answers 503 {@code redis_unavailable}); work that
 * must go on without Redis catches it.
 */
public class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
