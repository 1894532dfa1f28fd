/**
 * Redis: the one client producer (external {@code redis://} or an embedded redis-server), every key
 * name in {@link com.mediapipeline.redis.RedisKeys}, and the translation of Redis failures to 503.
 */
package com.mediapipeline.redis;
