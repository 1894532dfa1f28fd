package com.mediapipeline.webhooks;

import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.LuaScript;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisFailures;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The recorded events and their deliveries. Events wait in their business's stream, which the instances
 * read as one consumer group; fanned out, each becomes a delivery per endpoint, in line behind the earlier events
 * of its upload to that endpoint. Only the first of a line is due; an instance attempting one holds it
 * by its score in the due set (the end of its lease), and every outcome is written only if that lease
 * is still the one in the set: a lease checked with the write, not before it. What is pending has no
 * TTL, so that no wait, however long, loses it; a delivery that is over is kept for the log's retention.
 * Every script and command here names keys of one business, all in its slot ({@link RedisKeys}); only the
 * blocking read waits on several businesses' streams at once, and only where Redis is one node.
 */
@ApplicationScoped
@RedisCall
public class DeliveryStore {

    private static final Logger LOG = Logger.getLogger(DeliveryStore.class.getName());

    /**
     * KEYS: delivery, queue, log, the business's due, the endpoint's pending. ARGV: id, place in line, now
     * ms, retention ms, field pairs. The delivery's hash says it is queued, so it is written last: Redis
     * keeps what a script wrote before an error, and a script that failed midway must be redone whole.
     */
    private static final String ENQUEUE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[4]))
            redis.call('PEXPIRE', KEYS[3], ARGV[4])
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[5], ARGV[3], ARGV[1])
            if redis.call('ZRANGE', KEYS[2], 0, 0)[1] == ARGV[1] then
              -- fanned out late (its instance died): the one it now precedes waits again
              local displaced = redis.call('ZRANGE', KEYS[2], 1, 1)[1]
              if displaced then redis.call('ZREM', KEYS[4], displaced) end
              redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
            end
            redis.call('HSET', KEYS[1], unpack(ARGV, 5))
            return 1
            """;
    /** KEYS: the business's due. ARGV: now ms, end of the lease ms, most. Leases the earliest due deliveries; answers their ids. */
    private static final String TAKE = """
            local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
            for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
            return ids
            """;
    /**
     * KEYS: the business's due, queue, the upload's unsent events. ARGV: id, lease, sequence, when to look
     * again (ms). 1 when the delivery may go now: still leased here, first in line, no earlier event unsent.
     */
    private static final LuaScript START = new LuaScript("""
            if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '-1') ~= tonumber(ARGV[2]) then return 0 end
            if redis.call('ZRANGE', KEYS[2], 0, 0)[1] ~= ARGV[1] then
              redis.call('ZREM', KEYS[1], ARGV[1])
              return 0
            end
            local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
            if first[2] and tonumber(first[2]) < tonumber(ARGV[3]) then
              redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
              return 0
            end
            return 1
            """);
    /**
     * KEYS: the business's due, delivery, queue, the endpoint's pending. ARGV: id, lease, now ms, retention
     * ms, next attempt ms ('' when it is over), field pairs. Over, it leaves the line and the next one of
     * the line is due.
     */
    private static final LuaScript FINISH = new LuaScript("""
            if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '-1') ~= tonumber(ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[2], unpack(ARGV, 6))
            if ARGV[5] ~= '' then
              redis.call('ZADD', KEYS[1], ARGV[5], ARGV[1])
            else
              redis.call('PEXPIRE', KEYS[2], ARGV[4])
              redis.call('ZREM', KEYS[1], ARGV[1])
              redis.call('ZREM', KEYS[3], ARGV[1])
              redis.call('ZREM', KEYS[4], ARGV[1])
              local next = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
              if next then redis.call('ZADD', KEYS[1], 'NX', ARGV[3], next) end
            end
            return 1
            """);
    /** KEYS: the business's due. ARGV: id, lease, when it is due again. */
    private static final LuaScript POSTPONE = new LuaScript("""
            if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '-1') ~= tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            return 1
            """);
    /** KEYS: delivery, replay line, the business's due, the endpoint's pending. ARGV: id, now ms, field pairs. -1 unknown, 0 still pending. */
    private static final LuaScript REPLAY = new LuaScript("""
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            if status == 'pending' then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('PERSIST', KEYS[1])
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
            if redis.call('ZRANGE', KEYS[2], 0, 0)[1] == ARGV[1] then redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[1]) end
            return 1
            """);

    /** The fields of a log entry: all but the body. */
    private static final String[] ENTRY_FIELDS = {"webhook", "business", "type", "upload_id", "sequence", "queue", "status", "attempts",
        "last_status_code", "last_error", "latency_ms", "next_attempt_at", "created_at"};

    @Inject
    UnifiedJedis redis;

    /** Creates the consumer group of the business's stream, from the stream's start, unless it exists. */
    @Idempotent
    public void createGroup(String business) {
        try {
            redis.xgroupCreate(RedisKeys.webhookEvents(business), RedisKeys.WEBHOOK_EVENTS_GROUP, new StreamEntryID(0, 0), true);
        } catch (JedisDataException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /**
     * The businesses whose streams one blocking read may wait on together: all of them on one Redis; on a
     * cluster, where a command's keys must share a slot, those of one slot.
     */
    public Collection<List<String>> readableTogether(Collection<String> businesses) {
        if (businesses.isEmpty()) {
            return List.of();
        }
        return redis instanceof JedisCluster
                ? businesses.stream().collect(Collectors.groupingBy(business -> JedisClusterCRC16.getSlot(RedisKeys.webhookEvents(business)))).values()
                : List.of(List.copyOf(businesses));
    }

    /** Events of these businesses that no instance of the group has read yet, waiting up to {@code block} for some. */
    public List<RecordedEvent> read(String consumer, List<String> businesses, int count, Duration block) {
        Map<String, String> businessOf = new HashMap<>();
        Map<String, StreamEntryID> streams = new HashMap<>();
        for (String business : businesses) {
            businessOf.put(RedisKeys.webhookEvents(business), business);
            streams.put(RedisKeys.webhookEvents(business), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
        }
        List<Map.Entry<String, List<StreamEntry>>> read = redis.xreadGroup(RedisKeys.WEBHOOK_EVENTS_GROUP, consumer,
                XReadGroupParams.xReadGroupParams().count(count).block((int) block.toMillis()), streams);
        List<RecordedEvent> events = new ArrayList<>();
        if (read != null) {
            read.forEach(stream -> events.addAll(events(businessOf.get(stream.getKey()), stream.getValue())));
        }
        return events;
    }

    /**
     * Events of the business read by an instance that has not finished them for {@code idle}: taken over by
     * this one, scanning the pending ones from {@code from} (a stream id); the answer says where the scan goes on.
     */
    public Claimed takeOver(String consumer, String business, Duration idle, int count, String from) {
        Map.Entry<StreamEntryID, List<StreamEntry>> claimed = redis.xautoclaim(RedisKeys.webhookEvents(business), RedisKeys.WEBHOOK_EVENTS_GROUP,
                consumer, idle.toMillis(), new StreamEntryID(from), XAutoClaimParams.xAutoClaimParams().count(count));
        return new Claimed(events(business, claimed.getValue()), claimed.getKey().toString());
    }

    /** Puts a delivery in its line (once: a second fan-out of one event changes nothing). */
    @Idempotent
    public void enqueue(Delivery delivery, double place, long nowMillis, Duration retention) {
        Response<Object> reply;
        try (PipelineBase pipeline = redis.pipelined()) {
            reply = enqueue(pipeline, delivery, place, nowMillis, retention);
            pipeline.sync();
        }
        // a pipeline's sync keeps a command's error in its reply: a refused enqueue must not pass for done
        reply.get();
    }

    /**
     * Fans out a batch of events: each one's deliveries put in their lines in one round trip, then, in a
     * second, each event whose deliveries all went in marked fanned out (its upload's later events may go,
     * and the stream forgets it). An event with a refused enqueue (Redis out of memory, say) stays pending
     * in the group and is fanned out again by the takeover, which changes nothing that was done; so does
     * every event when a round trip fails.
     */
    @Idempotent
    public void fanOut(List<FannedOut> events, Duration retention) {
        Map<FannedOut, List<Response<Object>>> replies = new LinkedHashMap<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            for (FannedOut fanned : events) {
                replies.put(fanned, fanned.deliveries().stream()
                        .map(delivery -> enqueue(pipeline, delivery, delivery.sequence(), fanned.createdMillis(), retention)).toList());
            }
            pipeline.sync();
        }
        try (PipelineBase pipeline = redis.pipelined()) {
            replies.forEach((fanned, enqueued) -> {
                RecordedEvent event = fanned.event();
                if (enqueued.stream().allMatch(DeliveryStore::succeeded)) {
                    pipeline.zrem(event.unsent(), Long.toString(fanned.sequence()));
                    pipeline.xack(event.stream(), RedisKeys.WEBHOOK_EVENTS_GROUP, new StreamEntryID(event.id()));
                    pipeline.xdel(event.stream(), new StreamEntryID(event.id()));
                }
            });
            pipeline.sync();
        }
    }

    private static boolean succeeded(Response<Object> reply) {
        try {
            reply.get();
            return true;
        } catch (JedisDataException refused) {
            RedisFailures.log(LOG, "A webhook delivery was not put in its line; its event is fanned out again later", refused);
            return false;
        }
    }

    private static Response<Object> enqueue(PipelineBase pipeline, Delivery delivery, double place, long nowMillis, Duration retention) {
        String business = delivery.business();
        return pipeline.eval(ENQUEUE, List.of(RedisKeys.delivery(business, delivery.id()), delivery.queue(), RedisKeys.deliveryLog(business, delivery.webhook()),
                        RedisKeys.deliveriesDue(business), RedisKeys.pendingDeliveries(business, delivery.webhook())),
                args(List.of(delivery.id(), Double.toString(place), Long.toString(nowMillis), Long.toString(retention.toMillis())),
                        "webhook", delivery.webhook(), "business", business, "type", delivery.type(),
                        "upload_id", text(delivery.uploadId()), "sequence", Long.toString(delivery.sequence()), "body", delivery.body(),
                        "queue", delivery.queue(), "status", Delivery.PENDING, "attempts", "0", "created_at", delivery.createdAt(),
                        "next_attempt_at", delivery.createdAt()));
    }

    /**
     * For each business with deliveries due at {@code nowMillis}: when its earliest one was due and how
     * many are (counting no further than {@code most}), read in one round trip.
     */
    @Idempotent
    public Map<String, FairShares.Waiting> due(Collection<String> businesses, long nowMillis, int most) {
        Map<String, Response<List<Tuple>>> replies = new HashMap<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            businesses.forEach(business -> replies.put(business,
                    pipeline.zrangeByScoreWithScores(RedisKeys.deliveriesDue(business), Double.NEGATIVE_INFINITY, nowMillis, 0, most)));
            pipeline.sync();
        }
        Map<String, FairShares.Waiting> due = new HashMap<>();
        replies.forEach((business, reply) -> {
            List<Tuple> first = reply.get();
            if (!first.isEmpty()) {
                due.put(business, new FairShares.Waiting((long) first.get(0).getScore(), first.size()));
            }
        });
        return due;
    }

    /** Leases up to {@code shares} due deliveries of each business until {@code lease} ms from now, in one round trip. */
    @SuppressWarnings("unchecked")
    public Leased take(long nowMillis, Duration lease, Map<String, Integer> shares) {
        long end = nowMillis + lease.toMillis();
        Map<String, Response<Object>> replies = new HashMap<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            shares.forEach((business, share) -> replies.put(business, pipeline.eval(TAKE, List.of(RedisKeys.deliveriesDue(business)),
                    List.of(Long.toString(nowMillis), Long.toString(end), Integer.toString(share)))));
            pipeline.sync();
        }
        List<Due> due = new ArrayList<>();
        replies.forEach((business, reply) -> ((List<String>) reply.get()).forEach(id -> due.add(new Due(business, id))));
        return new Leased(due, end);
    }

    /** Whether the leased delivery may be attempted now; if an earlier event is still unsent, it is due again at {@code later}. */
    public boolean start(Delivery delivery, long lease, long laterMillis) {
        String unsent = RedisKeys.unsentEvents(delivery.business(), text(delivery.uploadId()));
        return Long.valueOf(1).equals(START.run(redis, List.of(RedisKeys.deliveriesDue(delivery.business()), delivery.queue(), unsent),
                List.of(delivery.id(), Long.toString(lease), Long.toString(delivery.sequence()), Long.toString(laterMillis))));
    }

    /** Records an attempt's outcome if the lease still holds: due again at {@code nextMillis}, or over when null. */
    public boolean finish(Delivery delivery, long lease, long nowMillis, Duration retention, Long nextMillis, String... fields) {
        String business = delivery.business();
        return Long.valueOf(1).equals(FINISH.run(redis, List.of(RedisKeys.deliveriesDue(business), RedisKeys.delivery(business, delivery.id()),
                        delivery.queue(), RedisKeys.pendingDeliveries(business, delivery.webhook())),
                args(List.of(delivery.id(), Long.toString(lease), Long.toString(nowMillis), Long.toString(retention.toMillis()),
                        nextMillis == null ? "" : Long.toString(nextMillis)), fields)));
    }

    /** Puts a leased delivery back, due at {@code laterMillis}, if the lease still holds; nothing was attempted. */
    public void postpone(Delivery delivery, long lease, long laterMillis) {
        POSTPONE.run(redis, List.of(RedisKeys.deliveriesDue(delivery.business())),
                List.of(delivery.id(), Long.toString(lease), Long.toString(laterMillis)));
    }

    /** Drops an id from the due set whose delivery is gone (Redis lost it): nothing is left to attempt. */
    public void forget(Due due) {
        redis.zrem(RedisKeys.deliveriesDue(due.business()), due.id());
    }

    /** How many deliveries wait in a line. */
    @Idempotent
    public long waiting(String queue) {
        return redis.zcard(queue);
    }

    /** Sends a delivery that is over once more, at the end of its endpoint's replay line; false if it is still pending. */
    public Optional<Boolean> replay(Delivery delivery, long nowMillis, String nowText) {
        String business = delivery.business();
        String line = RedisKeys.deliveryQueue(business, delivery.webhook(), "replay");
        Object result = REPLAY.run(redis, List.of(RedisKeys.delivery(business, delivery.id()), line, RedisKeys.deliveriesDue(business),
                        RedisKeys.pendingDeliveries(business, delivery.webhook())),
                args(List.of(delivery.id(), Long.toString(nowMillis)), "status", Delivery.PENDING,
                        "attempts", "0", "queue", line, "next_attempt_at", nowText, "last_status_code", "", "last_error", "", "latency_ms", ""));
        long code = (Long) result;
        return code < 0 ? Optional.empty() : Optional.of(code == 1);
    }

    /** The business's delivery. */
    @Idempotent
    public Optional<Delivery> find(String business, String id) {
        Map<String, String> hash = redis.hgetAll(RedisKeys.delivery(business, id));
        return hash.get("webhook") == null ? Optional.empty() : Optional.of(Delivery.of(id, hash));
    }

    /**
     * Up to {@code count} entries of an endpoint's log, newest first, from a position: those created
     * before {@code beforeMillis}, or at it with an id below {@code beforeId} (all at it when null).
     */
    @Idempotent
    public LogChunk log(String business, String webhook, long beforeMillis, String beforeId, int count) {
        String key = RedisKeys.deliveryLog(business, webhook);
        List<Tuple> chunk = new ArrayList<>();
        String below = Long.toString(beforeMillis);
        if (beforeId != null) {
            // the rest of the millisecond the last page ended in, in the order a reverse range has: ids descending
            redis.zrangeByScoreWithScores(key, beforeMillis, beforeMillis).stream().filter(entry -> entry.getElement().compareTo(beforeId) < 0)
                    .sorted(Comparator.comparing(Tuple::getElement).reversed()).limit(count).forEach(chunk::add);
            below = "(" + beforeMillis;
        }
        if (chunk.size() < count) {
            chunk.addAll(redis.zrevrangeByScoreWithScores(key, below, "-inf", 0, count - chunk.size()));
        }
        List<Response<List<String>>> replies = new ArrayList<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            chunk.forEach(entry -> replies.add(pipeline.hmget(RedisKeys.delivery(business, entry.getElement()), ENTRY_FIELDS)));
            pipeline.sync();
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            Map<String, String> hash = new HashMap<>();
            List<String> values = replies.get(i).get();
            for (int field = 0; field < ENTRY_FIELDS.length; field++) {
                if (values.get(field) != null) {
                    hash.put(ENTRY_FIELDS[field], values.get(field));
                }
            }
            if (hash.get("webhook") != null) {
                deliveries.add(Delivery.of(chunk.get(i).getElement(), hash));
            }
        }
        Tuple last = chunk.isEmpty() ? null : chunk.get(chunk.size() - 1);
        return new LogChunk(deliveries, chunk.size() == count, last == null ? 0 : (long) last.getScore(), last == null ? null : last.getElement());
    }

    /** The pending deliveries of each endpoint of these businesses: how many, and when the oldest was created (null when none). */
    @Idempotent
    public Map<String, Queue> queues(Map<String, Collection<String>> endpoints) {
        Map<String, Response<Long>> depths = new HashMap<>();
        Map<String, Response<List<Tuple>>> oldest = new HashMap<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            endpoints.forEach((business, ids) -> ids.forEach(id -> {
                depths.put(id, pipeline.zcard(RedisKeys.pendingDeliveries(business, id)));
                oldest.put(id, pipeline.zrangeWithScores(RedisKeys.pendingDeliveries(business, id), 0, 0));
            }));
            pipeline.sync();
        }
        Map<String, Queue> queues = new HashMap<>();
        depths.forEach((id, depth) -> {
            List<Tuple> first = oldest.get(id).get();
            queues.put(id, new Queue(depth.get(), first.isEmpty() ? null : (long) first.get(0).getScore()));
        });
        return queues;
    }

    private static List<RecordedEvent> events(String business, List<StreamEntry> entries) {
        // a claimed entry that was deleted meanwhile comes back without fields
        return entries.stream().filter(entry -> entry.getFields() != null)
                .map(entry -> new RecordedEvent(entry.getID().toString(), RedisKeys.webhookEvents(business),
                        RedisKeys.unsentEvents(business, entry.getFields().getOrDefault("event_upload", "")), business, entry.getFields()))
                .toList();
    }

    private static List<String> args(List<String> head, String... pairs) {
        List<String> args = new ArrayList<>(head);
        args.addAll(List.of(pairs));
        return args;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** One event's fan-out: the event, its sequence, when it happened, and its deliveries (none if no endpoint takes it). */
    public record FannedOut(RecordedEvent event, long sequence, long createdMillis, List<Delivery> deliveries) {
    }

    /** Events taken over, and the stream id the next scan starts from ("0-0": from the start again). */
    public record Claimed(List<RecordedEvent> events, String next) {
    }

    /**
     * An event as the status write recorded it: its stream entry's id, the stream, the upload's unsent
     * events it is one of, the business it belongs to, and its fields (event_* and the status hash's).
     */
    public record RecordedEvent(String id, String stream, String unsent, String business, Map<String, String> fields) {
    }

    /** Log entries read, whether more may follow, and the position of the last one read. */
    public record LogChunk(List<Delivery> deliveries, boolean more, long lastMillis, String lastId) {
    }

    /** An endpoint's pending deliveries: how many, and since when the oldest waits (ms; null when none). */
    public record Queue(long depth, Long oldestMillis) {
    }

    /** Deliveries leased together, and the end of their lease, which is also the lease's token. */
    public record Leased(List<Due> deliveries, long lease) {
    }

    /** A due delivery, and the business whose due set holds it. */
    public record Due(String business, String id) {
    }
}
