package com.mediapipeline.webhooks;

import com.mediapipeline.outbound.Signatures;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestRedis;
import com.mediapipeline.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling upgrade from the version that kept one event stream for every business and endpoints under
 * untagged keys: what such an instance left in Redis is carried over by the running service (every 15 s).
 */
class WebhookUpgradeIT extends ServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void anOlderVersionsEndpointAndRecordedEventAreCarriedOver() throws Exception {
        UnifiedJedis redis = TestRedis.client();
        String webhook = "wh_" + UUID.randomUUID().toString().replace("-", "");
        String upload = UUID.randomUUID().toString();
        String secret = Signatures.newSecret();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String now = Instant.now().toString();
            redis.hset(RedisKeys.legacyWebhook(webhook), Map.of("business", "acme", "url", receiver.url("/old"), "events", EventTypes.CREATED,
                    "description", "", "created_at", now, "disabled", "false", "secret", secret, "previous_secrets", ""));
            redis.sadd(RedisKeys.legacyWebhooks("acme"), webhook);
            try {
                redis.xgroupCreate(RedisKeys.LEGACY_WEBHOOK_EVENTS, RedisKeys.WEBHOOK_EVENTS_GROUP, new StreamEntryID(0, 0), true);
            } catch (JedisDataException busy) {
                // an earlier run's group
            }
            redis.xadd(RedisKeys.LEGACY_WEBHOOK_EVENTS, StreamEntryID.NEW_ENTRY, Map.of("event_type", EventTypes.CREATED, "event_upload", upload,
                    "event_sequence", "1", "event_at", now, "business", "acme", "status", "created", "offset", "0", "size", "10",
                    "created_at", now, "updated_at", now));
            redis.zadd(RedisKeys.legacyUnsentEvents(upload), 1, "1");

            WebhookReceiver.Call call = receiver.await(calls -> !calls.isEmpty(), WAIT).get(0);
            assertEquals(upload, call.data().get("token"));
            assertTrue(call.signedWith(secret), "signed with the endpoint's secret as the older version stored it");
            assertEquals(200, Api.send(acme.request("/api/v1/webhooks/" + webhook)).statusCode(), "the endpoint is acme's in the new keys");
            Await.until(WAIT, "the old stream, empty and read by no older instance, to be deleted",
                    () -> !redis.exists(RedisKeys.LEGACY_WEBHOOK_EVENTS));
            assertFalse(redis.exists(RedisKeys.legacyUnsentEvents(upload)), "the event is no longer unsent");
        } finally {
            Api.send(acme.request("/api/v1/webhooks/" + webhook).DELETE());
            redis.del(RedisKeys.legacyWebhook(webhook));
            redis.srem(RedisKeys.legacyWebhooks("acme"), webhook);
        }
    }
}
