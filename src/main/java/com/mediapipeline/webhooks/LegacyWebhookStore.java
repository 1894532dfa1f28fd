package com.mediapipeline.webhooks;

import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What versions before the business tags keep in Redis ({@link RedisKeys}' legacy keys): endpoints under
 * names without their business's tag, and one stream of every business's events. Read here to carry them
 * into this version's keys ({@link WebhookUpgrade}); goes with those keys in a later release.
 */
@ApplicationScoped
@RedisCall
public class LegacyWebhookStore {

    /**
     * KEYS: the legacy stream. ARGV: group, idle ms, the prefix of this version's consumer names. Deletes it
     * when it is empty, no consumer has an event pending, and no older instance's consumer has read it for
     * the idle time (one reads it every half second while it runs); 1 if it did.
     */
    private static final String DROP = """
            if redis.call('XLEN', KEYS[1]) > 0 then return 0 end
            local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
            for _, consumer in ipairs(ok and consumers or {}) do
              local info = {}
              for i = 1, #consumer, 2 do info[consumer[i]] = consumer[i + 1] end
              if info['pending'] > 0 then return 0 end
              local ours = string.sub(info['name'], 1, #ARGV[3]) == ARGV[3]
              if not ours and info['idle'] < tonumber(ARGV[2]) then return 0 end
            end
            redis.call('DEL', KEYS[1])
            return 1
            """;
    /** How this version's consumers of the legacy stream are named: their reads say nothing of older instances. */
    static final String CONSUMER_PREFIX = "upgrade:";
    /** Marks an endpoint of the legacy keys as carried over, so that a change made since is not undone by copying it again. */
    private static final String COPIED = "copied";

    @Inject
    UnifiedJedis redis;

    /** The business's endpoints under the legacy keys that no instance of this version has copied yet: id to fields. */
    @Idempotent
    public Map<String, Map<String, String>> endpoints(String business) {
        Set<String> ids = redis.smembers(RedisKeys.legacyWebhooks(business));
        Map<String, Response<Map<String, String>>> replies = new HashMap<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            ids.forEach(id -> replies.put(id, pipeline.hgetAll(RedisKeys.legacyWebhook(id))));
            pipeline.sync();
        }
        Map<String, Map<String, String>> endpoints = new HashMap<>();
        replies.forEach((id, reply) -> {
            Map<String, String> fields = reply.get();
            if (business.equals(fields.get("business")) && !fields.containsKey(COPIED)) {
                endpoints.put(id, fields);
            }
        });
        return endpoints;
    }

    @Idempotent
    public void copied(String id) {
        redis.hset(RedisKeys.legacyWebhook(id), COPIED, "true");
    }

    /** Whether the legacy stream exists. */
    @Idempotent
    public boolean hasEvents() {
        return redis.exists(RedisKeys.LEGACY_WEBHOOK_EVENTS);
    }

    /** Events of the legacy stream: those an instance read and left for {@code idle}, then some nobody read, without waiting. */
    public List<DeliveryStore.RecordedEvent> read(String consumer, Duration idle, int count) {
        String stream = RedisKeys.LEGACY_WEBHOOK_EVENTS;
        try {
            redis.xgroupCreate(stream, RedisKeys.WEBHOOK_EVENTS_GROUP, new StreamEntryID(0, 0), false);
        } catch (JedisDataException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
                throw e;
            }
        }
        List<StreamEntry> entries = new ArrayList<>(redis.xautoclaim(stream, RedisKeys.WEBHOOK_EVENTS_GROUP, consumer, idle.toMillis(),
                new StreamEntryID(0, 0), XAutoClaimParams.xAutoClaimParams().count(count)).getValue());
        List<Map.Entry<String, List<StreamEntry>>> unread = redis.xreadGroup(RedisKeys.WEBHOOK_EVENTS_GROUP, consumer,
                XReadGroupParams.xReadGroupParams().count(count), Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        if (unread != null) {
            unread.forEach(read -> entries.addAll(read.getValue()));
        }
        // a claimed entry that was deleted meanwhile comes back without fields
        return entries.stream().filter(entry -> entry.getFields() != null).map(entry -> new DeliveryStore.RecordedEvent(entry.getID().toString(),
                stream, RedisKeys.legacyUnsentEvents(entry.getFields().getOrDefault("event_upload", "")),
                entry.getFields().getOrDefault("business", ""), entry.getFields())).toList();
    }

    /** Deletes the legacy stream if it is empty and no instance of an older version reads it any more; whether it did. */
    public boolean drop(Duration idle) {
        return Long.valueOf(1).equals(redis.eval(DROP, List.of(RedisKeys.LEGACY_WEBHOOK_EVENTS),
                List.of(RedisKeys.WEBHOOK_EVENTS_GROUP, Long.toString(idle.toMillis()), CONSUMER_PREFIX)));
    }
}
