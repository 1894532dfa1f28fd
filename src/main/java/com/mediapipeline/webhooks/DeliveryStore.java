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
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recorded events and their deliveries. Events wait in a stream that the instances read as one
 * consumer group; fanned out, each becomes a delivery per endpoint, in line behind the earlier events
 * of its upload to that endpoint. Only the first of a line is due; an instance attempting one holds it
 * by its score in the due set (the end of its lease), and every outcome is written only if that lease
 * is still the one in the set: a lease checked with the write, not before it. What is pending has no
 * TTL, so that no wait, however long, loses it; a delivery that is over is kept for the log's retention.
 */
@ApplicationScoped
@RedisCall
public class DeliveryStore {

    /**
     * Keeps a business's place in the set of businesses with something due: scored by its earliest
     * due delivery (a lease counts, so a business whose deliveries are all being attempted waits).
     */
    private static final String RESCORE = """
            local function rescore(due, businesses, business)
              local first = redis.call('ZRANGE', due, 0, 0, 'WITHSCORES')
              if first[2] then redis.call('ZADD', businesses, first[2], business) else redis.call('ZREM', businesses, business) end
            end
            """;
    /**
     * KEYS: delivery, queue, log, the business's due, the endpoint's pending, businesses due. ARGV: id,
     * place in line, now ms, retention ms, business, field pairs.
     */
    private static final String ENQUEUE = RESCORE + """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 6))
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
              rescore(KEYS[4], KEYS[6], ARGV[5])
            end
            return 1
            """;
    /**
     * KEYS: businesses due. ARGV: now ms, lease ms, count, what a business may take, the due sets'
     * prefix, then pairs of a business and what it may take if not that. Takes one due delivery of each
     * business in turn, earliest business first, until {@code count}: a business with thousands due
     * takes its share, not everyone's. Answers pairs of business and delivery id, all leased to one end.
     */
    private static final LuaScript TAKE = new LuaScript(RESCORE + """
            local now, lease, count = tonumber(ARGV[1]), tonumber(ARGV[1]) + tonumber(ARGV[2]), tonumber(ARGV[3])
            local allowed = {}
            for i = 6, #ARGV, 2 do allowed[ARGV[i]] = tonumber(ARGV[i + 1]) end
            local businesses = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1000)
            local taken, took = {}, true
            while took and #taken < 2 * count do
              took = false
              for _, business in ipairs(businesses) do
                local left = allowed[business] or tonumber(ARGV[4])
                if #taken < 2 * count and left > 0 then
                  local due = ARGV[5] .. business
                  local id = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'LIMIT', 0, 1)[1]
                  allowed[business] = id and left - 1 or 0
                  if id then
                    redis.call('ZADD', due, lease, id)
                    table.insert(taken, business)
                    table.insert(taken, id)
                    took = true
                  end
                end
              end
            end
            for _, business in ipairs(businesses) do rescore(ARGV[5] .. business, KEYS[1], business) end
            return taken
            """);
    /**
     * KEYS: the business's due, queue, the upload's unsent events, businesses due. ARGV: id, lease,
     * sequence, when to look again (ms), business. 1 when the delivery may go now: still leased here,
     * first in line, no earlier event unsent.
     */
    private static final LuaScript START = new LuaScript(RESCORE + """
            if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '-1') ~= tonumber(ARGV[2]) then return 0 end
            if redis.call('ZRANGE', KEYS[2], 0, 0)[1] ~= ARGV[1] then
              redis.call('ZREM', KEYS[1], ARGV[1])
              rescore(KEYS[1], KEYS[4], ARGV[5])
              return 0
            end
            local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
            if first[2] and tonumber(first[2]) < tonumber(ARGV[3]) then
              redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
              rescore(KEYS[1], KEYS[4], ARGV[5])
              return 0
            end
            return 1
            """);
    /**
     * KEYS: the business's due, delivery, queue, the endpoint's pending, businesses due. ARGV: id, lease,
     * now ms, retention ms, next attempt ms ('' when it is over), business, field pairs. Over, it leaves
     * the line and the next one of the line is due.
     */
    private static final LuaScript FINISH = new LuaScript(RESCORE + """
            if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '-1') ~= tonumber(ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[2], unpack(ARGV, 7))
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
            rescore(KEYS[1], KEYS[5], ARGV[6])
            return 1
            """);
    /** KEYS: the business's due, businesses due. ARGV: id, lease, when it is due again, business. */
    private static final LuaScript POSTPONE = new LuaScript(RESCORE + """
            if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '-1') ~= tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            rescore(KEYS[1], KEYS[2], ARGV[4])
            return 1
            """);
    /**
     * KEYS: delivery, replay line, the business's due, the endpoint's pending, businesses due. ARGV: id,
     * now ms, business, field pairs. -1 unknown, 0 still pending.
     */
    private static final LuaScript REPLAY = new LuaScript(RESCORE + """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            if status == 'pending' then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            redis.call('PERSIST', KEYS[1])
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
            if redis.call('ZRANGE', KEYS[2], 0, 0)[1] == ARGV[1] then
              redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[1])
              rescore(KEYS[3], KEYS[5], ARGV[3])
            end
            return 1
            """);
    /** KEYS: stream, the upload's unsent events. ARGV: group, entry id, sequence. */
    private static final String FANNED_OUT = """
            redis.call('ZREM', KEYS[2], ARGV[3])
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            return 1
            """;

    /** The fields of a log entry: all but the body. */
    private static final String[] ENTRY_FIELDS = {"webhook", "business", "type", "upload_id", "sequence", "queue", "status", "attempts",
        "last_status_code", "last_error", "latency_ms", "next_attempt_at", "created_at"};

    @Inject
    UnifiedJedis redis;

    /** Creates the consumer group, from the stream's start, unless it exists. */
    @Idempotent
    public void createGroup() {
        try {
            redis.xgroupCreate(RedisKeys.WEBHOOK_EVENTS, RedisKeys.WEBHOOK_EVENTS_GROUP, new StreamEntryID(0, 0), true);
        } catch (JedisDataException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Events no instance of the group has read yet, waiting up to {@code block} for some. */
    public List<RecordedEvent> read(String consumer, int count, Duration block) {
        List<Map.Entry<String, List<StreamEntry>>> read = redis.xreadGroup(RedisKeys.WEBHOOK_EVENTS_GROUP, consumer,
                XReadGroupParams.xReadGroupParams().count(count).block((int) block.toMillis()),
                Map.of(RedisKeys.WEBHOOK_EVENTS, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        return read == null || read.isEmpty() ? List.of() : events(read.get(0).getValue());
    }

    /**
     * Events read by an instance that has not finished them for {@code idle}: taken over by this one,
     * scanning the pending ones from {@code from} (a stream id); the answer says where the scan goes on.
     */
    public Claimed takeOver(String consumer, Duration idle, int count, String from) {
        Map.Entry<StreamEntryID, List<StreamEntry>> claimed = redis.xautoclaim(RedisKeys.WEBHOOK_EVENTS, RedisKeys.WEBHOOK_EVENTS_GROUP,
                consumer, idle.toMillis(), new StreamEntryID(from), XAutoClaimParams.xAutoClaimParams().count(count));
        return new Claimed(events(claimed.getValue()), claimed.getKey().toString());
    }

    /** Puts a delivery in its line (once: a second fan-out of one event changes nothing). */
    @Idempotent
    public void enqueue(Delivery delivery, double place, long nowMillis, Duration retention) {
        try (PipelineBase pipeline = redis.pipelined()) {
            enqueue(pipeline, delivery, place, nowMillis, retention);
            pipeline.sync();
        }
    }

    /**
     * Fans out a batch of events in one round trip: each one's deliveries put in their lines, then the
     * event marked fanned out (its upload's later events may go, and the stream forgets it), in that
     * order (Redis runs a pipeline's scripts one after the other). If the round trip fails, the events
     * stay pending in the group and are fanned out again, which changes nothing that was done.
     */
    @Idempotent
    public void fanOut(List<FannedOut> events, Duration retention) {
        try (PipelineBase pipeline = redis.pipelined()) {
            for (FannedOut event : events) {
                event.deliveries().forEach(delivery -> enqueue(pipeline, delivery, delivery.sequence(), event.createdMillis(), retention));
                pipeline.eval(FANNED_OUT, List.of(RedisKeys.WEBHOOK_EVENTS, RedisKeys.unsentEvents(event.uploadId())),
                        List.of(RedisKeys.WEBHOOK_EVENTS_GROUP, event.entry(), Long.toString(event.sequence())));
            }
            pipeline.sync();
        }
    }

    private static void enqueue(PipelineBase pipeline, Delivery delivery, double place, long nowMillis, Duration retention) {
        pipeline.eval(ENQUEUE, List.of(RedisKeys.delivery(delivery.id()), delivery.queue(), RedisKeys.deliveryLog(delivery.webhook()),
                        RedisKeys.deliveriesDue(delivery.business()), RedisKeys.pendingDeliveries(delivery.webhook()), RedisKeys.BUSINESSES_DUE),
                args(List.of(delivery.id(), Double.toString(place), Long.toString(nowMillis), Long.toString(retention.toMillis()),
                        delivery.business()),
                        "webhook", delivery.webhook(), "business", delivery.business(), "type", delivery.type(),
                        "upload_id", text(delivery.uploadId()), "sequence", Long.toString(delivery.sequence()), "body", delivery.body(),
                        "queue", delivery.queue(), "status", Delivery.PENDING, "attempts", "0", "created_at", delivery.createdAt(),
                        "next_attempt_at", delivery.createdAt()));
    }

    /**
     * Up to {@code count} due deliveries, leased to the caller until {@code lease} ms, taken from the
     * businesses in turn: at most {@code perBusiness} of one, or what {@code allowed} says for it.
     */
    @SuppressWarnings("unchecked")
    public Leased take(long nowMillis, Duration lease, int count, int perBusiness, Map<String, Integer> allowed) {
        List<String> args = new ArrayList<>(List.of(Long.toString(nowMillis), Long.toString(lease.toMillis()), Integer.toString(count),
                Integer.toString(perBusiness), RedisKeys.DELIVERIES_DUE_PREFIX));
        allowed.forEach((business, left) -> args.addAll(List.of(business, Integer.toString(left))));
        List<String> pairs = (List<String>) TAKE.run(redis, List.of(RedisKeys.BUSINESSES_DUE), args);
        List<Due> due = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            due.add(new Due(pairs.get(i), pairs.get(i + 1)));
        }
        return new Leased(due, nowMillis + lease.toMillis());
    }

    /** Whether the leased delivery may be attempted now; if an earlier event is still unsent, it is due again at {@code later}. */
    public boolean start(Delivery delivery, long lease, long laterMillis) {
        String unsent = delivery.uploadId() == null ? RedisKeys.unsentEvents("") : RedisKeys.unsentEvents(delivery.uploadId());
        return Long.valueOf(1).equals(START.run(redis, List.of(RedisKeys.deliveriesDue(delivery.business()), delivery.queue(), unsent,
                        RedisKeys.BUSINESSES_DUE),
                List.of(delivery.id(), Long.toString(lease), Long.toString(delivery.sequence()), Long.toString(laterMillis), delivery.business())));
    }

    /** Records an attempt's outcome if the lease still holds: due again at {@code nextMillis}, or over when null. */
    public boolean finish(Delivery delivery, long lease, long nowMillis, Duration retention, Long nextMillis, String... fields) {
        return Long.valueOf(1).equals(FINISH.run(redis, List.of(RedisKeys.deliveriesDue(delivery.business()), RedisKeys.delivery(delivery.id()),
                        delivery.queue(), RedisKeys.pendingDeliveries(delivery.webhook()), RedisKeys.BUSINESSES_DUE),
                args(List.of(delivery.id(), Long.toString(lease), Long.toString(nowMillis), Long.toString(retention.toMillis()),
                        nextMillis == null ? "" : Long.toString(nextMillis), delivery.business()), fields)));
    }

    /** Puts a leased delivery back, due at {@code laterMillis}, if the lease still holds; nothing was attempted. */
    public void postpone(Delivery delivery, long lease, long laterMillis) {
        POSTPONE.run(redis, List.of(RedisKeys.deliveriesDue(delivery.business()), RedisKeys.BUSINESSES_DUE),
                List.of(delivery.id(), Long.toString(lease), Long.toString(laterMillis), delivery.business()));
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
        String line = RedisKeys.deliveryQueue(delivery.webhook(), "replay");
        Object result = REPLAY.run(redis, List.of(RedisKeys.delivery(delivery.id()), line, RedisKeys.deliveriesDue(delivery.business()),
                        RedisKeys.pendingDeliveries(delivery.webhook()), RedisKeys.BUSINESSES_DUE),
                args(List.of(delivery.id(), Long.toString(nowMillis), delivery.business()), "status", Delivery.PENDING,
                        "attempts", "0", "queue", line, "next_attempt_at", nowText, "last_status_code", "", "last_error", "", "latency_ms", ""));
        long code = (Long) result;
        return code < 0 ? Optional.empty() : Optional.of(code == 1);
    }

    @Idempotent
    public Optional<Delivery> find(String id) {
        Map<String, String> hash = redis.hgetAll(RedisKeys.delivery(id));
        return hash.get("webhook") == null ? Optional.empty() : Optional.of(Delivery.of(id, hash));
    }

    /**
     * Up to {@code count} entries of an endpoint's log, newest first, from a position: those created
     * before {@code beforeMillis}, or at it with an id below {@code beforeId} (all at it when null).
     */
    @Idempotent
    public LogChunk log(String webhook, long beforeMillis, String beforeId, int count) {
        String key = RedisKeys.deliveryLog(webhook);
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
            chunk.forEach(entry -> replies.add(pipeline.hmget(RedisKeys.delivery(entry.getElement()), ENTRY_FIELDS)));
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

    /** Every endpoint's pending deliveries: how many, and when the oldest was created (null when none), in one round trip. */
    @Idempotent
    public Map<String, Queue> queues() {
        List<String> ids = new ArrayList<>(redis.smembers(RedisKeys.ALL_WEBHOOKS));
        List<Response<Long>> depths = new ArrayList<>();
        List<Response<List<Tuple>>> oldest = new ArrayList<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            for (String id : ids) {
                depths.add(pipeline.zcard(RedisKeys.pendingDeliveries(id)));
                oldest.add(pipeline.zrangeWithScores(RedisKeys.pendingDeliveries(id), 0, 0));
            }
            pipeline.sync();
        }
        Map<String, Queue> queues = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            List<Tuple> first = oldest.get(i).get();
            queues.put(ids.get(i), new Queue(depths.get(i).get(), first.isEmpty() ? null : (long) first.get(0).getScore()));
        }
        return queues;
    }

    private static List<RecordedEvent> events(List<StreamEntry> entries) {
        // a claimed entry that was deleted meanwhile comes back without fields
        return entries.stream().filter(entry -> entry.getFields() != null)
                .map(entry -> new RecordedEvent(entry.getID().toString(), entry.getFields())).toList();
    }

    private static List<String> args(List<String> head, String... pairs) {
        List<String> args = new ArrayList<>(head);
        args.addAll(List.of(pairs));
        return args;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** One event's fan-out: its stream entry, upload and sequence, when it happened, and its deliveries (none if no endpoint takes it). */
    public record FannedOut(String entry, String uploadId, long sequence, long createdMillis, List<Delivery> deliveries) {
    }

    /** Events taken over, and the stream id the next scan starts from ("0-0": from the start again). */
    public record Claimed(List<RecordedEvent> events, String next) {
    }

    /** An event as the status write recorded it: its stream entry's id, and its fields (event_* and the status hash's). */
    public record RecordedEvent(String id, Map<String, String> fields) {
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
