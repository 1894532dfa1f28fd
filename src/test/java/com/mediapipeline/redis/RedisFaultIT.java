package com.mediapipeline.redis;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A Redis failure that is no outage is a bug: it answers 500, not the 503 that sends clients and operators waiting for Redis. */
class RedisFaultIT extends ServiceIT {

    /** A status hash overwritten with a string makes Redis answer WRONGTYPE: 500 {@code internal_error}, and Redis stays ready. */
    @Test
    void aWrongTypeIs500AndRedisStaysReady() {
        String id = Api.idOf(acme.create(10, null, null));
        UnifiedJedis redis = TestRedis.client();
        String key = RedisKeys.upload(TestEnvironment.ACME, id);
        Map<String, String> status = redis.hgetAll(key);
        redis.set(key, "not a hash");
        try {
            assertError(acme.status(id), 500, "internal_error");
            assertEquals(200, Api.send(HttpRequest.newBuilder(URI.create(acme.url("").replaceFirst("(//[^/]+)/.*", "$1/health/ready")))
                    .GET()).statusCode());
        } finally {
            redis.del(key);
            redis.hset(key, status);
        }
    }

    /** The bytes matter more than the status: a PATCH whose status writes Redis refuses still stores its bytes (204). */
    @Test
    void aPatchStoresItsBytesWhenItsStatusCannotBeWritten() {
        String upload = acme.create(10, null, null);
        String id = Api.idOf(upload);
        UnifiedJedis redis = TestRedis.client();
        String key = RedisKeys.upload(TestEnvironment.ACME, id);
        redis.set(key, "not a hash");
        try {
            assertEquals(204, acme.patch(upload, 0, "0123456789".getBytes(StandardCharsets.US_ASCII)).statusCode());
            assertEquals("10", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
        } finally {
            redis.del(key);
        }
        assertArrayEquals("0123456789".getBytes(StandardCharsets.US_ASCII), acme.downloaded(upload));
    }
}
