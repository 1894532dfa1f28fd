package com.mediapipeline.ratelimit;

/**
 * What the bucket said, in the terms of the RateLimit header fields: the limit (the burst), the
 * requests left now, the seconds until the bucket is full again, and for a refusal the seconds
 * until the next request may pass.
 */
public record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {

    static Decision of(boolean allowed, double tokens, double perSecond, int burst) {
        return new Decision(allowed, burst, (int) Math.floor(tokens),
                (long) Math.ceil((burst - tokens) / perSecond),
                allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perSecond)));
    }
}
