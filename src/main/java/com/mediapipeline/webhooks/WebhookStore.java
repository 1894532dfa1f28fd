package com.mediapipeline.webhooks;

import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.LuaScript;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The endpoints: a hash {@code webhook:{<business>}:<id>} each, the set of a business's ids, and the set of event
 * types its enabled endpoints take, rewritten with every change so that status writes record only
 * events someone wants.
 */
@ApplicationScoped
@RedisCall
public class WebhookStore {

    /**
     * KEYS: endpoint, the business's set, its types. ARGV: the business's endpoint key prefix, id, mode,
     * most endpoints of a business, field pairs. Create writes a new endpoint unless the business has the
     * most already (-1) or it exists (0); update changes only its fields, and only of an endpoint that still
     * exists (0 if gone); rotate (new secret, until ms, now ms, most kept) makes the new secret current
     * and keeps the current one as a previous one until then, beside the previous ones still valid.
     */
    private static final LuaScript SAVE = new LuaScript("""
            if ARGV[3] == 'delete' then
              redis.call('DEL', KEYS[1])
              redis.call('SREM', KEYS[2], ARGV[2])
            elseif ARGV[3] == 'create' then
              if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then return -1 end
              if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
              redis.call('HSET', KEYS[1], unpack(ARGV, 5))
              redis.call('SADD', KEYS[2], ARGV[2])
            else
              if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
              if ARGV[3] == 'rotate' then
                local kept = {}
                for entry in string.gmatch(redis.call('HGET', KEYS[1], 'previous_secrets') or '', '[^,]+') do
                  if tonumber(string.match(entry, '|(%d+)$')) > tonumber(ARGV[7]) then table.insert(kept, entry) end
                end
                table.insert(kept, redis.call('HGET', KEYS[1], 'secret') .. '|' .. ARGV[6])
                while #kept > tonumber(ARGV[8]) do table.remove(kept, 1) end
                redis.call('HSET', KEYS[1], 'secret', ARGV[5], 'previous_secrets', table.concat(kept, ','))
              else
                redis.call('HSET', KEYS[1], unpack(ARGV, 5))
              end
            end
            redis.call('DEL', KEYS[3])
            -- the business's other endpoints, named here from its key prefix: in its slot like the declared keys
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
              local endpoint = redis.call('HMGET', ARGV[1] .. id, 'events', 'disabled')
              if endpoint[1] and endpoint[2] ~= 'true' then
                for event in string.gmatch(endpoint[1], '[^,]+') do redis.call('SADD', KEYS[3], event) end
              end
            end
            return 1
            """);

    @Inject
    UnifiedJedis redis;

    /** Stores a new endpoint, unless its business has {@code most} already; whether it did. */
    public boolean create(StoredWebhook stored, int most) {
        Webhook webhook = stored.webhook();
        return save(stored.business(), webhook.id(), "create", most, "business", stored.business(), "url", webhook.url(),
                "events", String.join(",", webhook.events()), "description", webhook.description(), "created_at", webhook.createdAt(),
                "disabled", Boolean.toString(webhook.disabled()), "secret", stored.secret(), "previous_secrets", "") == 1;
    }

    /** Sets these fields of an endpoint that still exists; false if it is gone. */
    @Idempotent
    public boolean update(String business, String id, Map<String, String> fields) {
        List<String> pairs = new ArrayList<>();
        fields.forEach((field, value) -> pairs.addAll(List.of(field, value)));
        return save(business, id, "update", 0, pairs.toArray(String[]::new)) == 1;
    }

    /**
     * Makes {@code secret} the endpoint's; its current one goes on signing until {@code until}, beside
     * the previous ones still valid (the newest {@value StoredWebhook#MOST_PREVIOUS}); false if it is gone.
     */
    public boolean rotate(String business, String id, String secret, Instant until) {
        return save(business, id, "rotate", 0, secret, Long.toString(until.toEpochMilli()), Long.toString(System.currentTimeMillis()),
                Integer.toString(StoredWebhook.MOST_PREVIOUS)) == 1;
    }

    @Idempotent
    public void delete(String business, String id) {
        save(business, id, "delete", 0);
    }

    private long save(String business, String id, String mode, int most, String... pairs) {
        List<String> args = new ArrayList<>(List.of(RedisKeys.webhook(business, ""), id, mode, Integer.toString(most)));
        args.addAll(List.of(pairs));
        return (Long) SAVE.run(redis, keys(business, id), args);
    }

    /**
     * Stores an endpoint as a version before the business tags kept it, unless it is stored already; its
     * fields as they were, so its secrets go on signing.
     */
    @Idempotent
    public void adopt(String business, String id, Map<String, String> fields) {
        List<String> pairs = new ArrayList<>();
        fields.forEach((field, value) -> pairs.addAll(List.of(field, value)));
        save(business, id, "create", Integer.MAX_VALUE, pairs.toArray(String[]::new));
    }

    /** The endpoint, if it exists and belongs to the business. */
    @Idempotent
    public Optional<StoredWebhook> find(String business, String id) {
        return parse(id, redis.hgetAll(RedisKeys.webhook(business, id))).filter(stored -> stored.business().equals(business));
    }

    /** The ids of each business's endpoints, read in one round trip. */
    @Idempotent
    public Map<String, Collection<String>> ids(Collection<String> businesses) {
        Map<String, Response<Set<String>>> replies = new HashMap<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            businesses.forEach(business -> replies.put(business, pipeline.smembers(RedisKeys.webhooks(business))));
            pipeline.sync();
        }
        Map<String, Collection<String>> ids = new HashMap<>();
        replies.forEach((business, reply) -> ids.put(business, reply.get()));
        return ids;
    }

    /** The business's endpoints, oldest first. */
    @Idempotent
    public List<StoredWebhook> all(String business) {
        List<String> ids = new ArrayList<>(redis.smembers(RedisKeys.webhooks(business)));
        List<Response<Map<String, String>>> replies = new ArrayList<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            ids.forEach(id -> replies.add(pipeline.hgetAll(RedisKeys.webhook(business, id))));
            pipeline.sync();
        }
        List<StoredWebhook> found = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            parse(ids.get(i), replies.get(i).get()).filter(stored -> stored.business().equals(business)).ifPresent(found::add);
        }
        found.sort(Comparator.comparing((StoredWebhook stored) -> stored.webhook().createdAt()).thenComparing(stored -> stored.webhook().id()));
        return found;
    }

    private static List<String> keys(String business, String id) {
        return List.of(RedisKeys.webhook(business, id), RedisKeys.webhooks(business), RedisKeys.webhookTypes(business));
    }

    private static Optional<StoredWebhook> parse(String id, Map<String, String> hash) {
        if (hash.get("business") == null) {
            return Optional.empty();
        }
        String events = hash.getOrDefault("events", "");
        Webhook webhook = new Webhook(id, hash.get("url"), events.isEmpty() ? List.of() : Arrays.asList(events.split(",")),
                hash.getOrDefault("description", ""), hash.get("created_at"), Boolean.parseBoolean(hash.get("disabled")));
        return Optional.of(new StoredWebhook(webhook, hash.get("business"), hash.get("secret"),
                StoredWebhook.Previous.parse(hash.getOrDefault("previous_secrets", ""))));
    }
}
