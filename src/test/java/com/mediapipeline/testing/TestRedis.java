package com.mediapipeline.testing;

import com.mediapipeline.redis.RedisKeys;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.util.Map;

/** A second, independent connection to the Redis the service uses, to check what it stored. */
public final class TestRedis {

    private static JedisPooled client;

    private TestRedis() {
    }

    public static synchronized JedisPooled client() {
        if (client == null) {
            client = new JedisPooled(URI.create(TestEnvironment.redisUrl()));
        }
        return client;
    }

    public static Map<String, String> uploadHash(String uploadId) {
        return client().hgetAll(RedisKeys.upload(uploadId));
    }
}
