/**
 * Redis: the one client producer (external {@code redis://} or an embedded redis-server), every key
 * name in {@link com.mediapipeline.redis.RedisKeys}, pub/sub subscriptions, and Redis outages as one
 * {@link com.mediapipeline.redis.RedisUnavailableException} (other failures are faults, answered 500),
 * retried only where a call is safe to repeat.
 */
package com.mediapipeline.redis;
