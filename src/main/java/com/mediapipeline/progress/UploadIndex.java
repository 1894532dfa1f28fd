package com.mediapipeline.progress;

import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The listing indexes of each business's uploads (see {@link RedisKeys#LISTINGS}). The status scripts of
 * {@link ProgressStore} keep them, in the same atomic step as the hash, with {@link #FUNCTIONS}: an
 * upload is listed when its status changes and unlisted when it is removed. A hash that ends otherwise (its
 * TTL, a sweep dropping it) leaves entries that readers skip and the sweep's {@link #repair} drops.
 */
@ApplicationScoped
@RedisCall
public class UploadIndex {

    /** Lua: the indexes an upload (its hash) is in, by business and user, and its moves between them. */
    static final String FUNCTIONS = """
            local function listings(prefix, hash)
              local business = redis.call('HGET', hash, 'business')
              if not business then return {} end
              local user = redis.call('HGET', hash, 'username') or ''
              if user == '' then return {prefix .. business} end
              return {prefix .. business, prefix .. business .. ':user:' .. user}
            end
            local function unlist(prefix, hash, member)
              if member == '' then return end
              for _, key in ipairs(listings(prefix, hash)) do
                redis.call('ZREM', key, member)
                for _, status in ipairs(%s) do redis.call('ZREM', key .. ':status:' .. status, member) end
              end
            end
            local function list(prefix, hash, member)
              unlist(prefix, hash, member)
              local status = redis.call('HGET', hash, 'status')
              if not status then return end
              for _, key in ipairs(listings(prefix, hash)) do
                redis.call('ZADD', key, 0, member)
                redis.call('ZADD', key .. ':status:' .. status, 0, member)
              end
            end
            """.formatted(UploadStatus.ALL.stream().map(status -> "'" + status + "'").collect(Collectors.joining(", ", "{", "}")));
    /** KEYS: hash. ARGV: listing prefix, member. */
    private static final String RELIST = FUNCTIONS + "list(ARGV[1], KEYS[1], ARGV[2]) return 1";
    /** KEYS: hash, index. ARGV: member. Atomic with the writes that list, so an upload created meanwhile stays. */
    private static final String DROP_IF_GONE = "if redis.call('EXISTS', KEYS[1]) == 0 then return redis.call('ZREM', KEYS[2], ARGV[1]) end return 0";
    private static final int MILLIS_DIGITS = 13;
    private static final int CHUNK = 1000;

    @Inject
    JedisPooled redis;

    /** How an upload is named in the indexes: creation time first, so that the names sort by it. */
    public static String member(String id, Instant createdAt) {
        return String.format("%0" + MILLIS_DIGITS + "d:%s", createdAt.toEpochMilli(), id);
    }

    public static String idOf(String member) {
        return member.substring(MILLIS_DIGITS + 1);
    }

    /** Up to {@code count} members of the index, newest first, after {@code after} (from the newest when null). */
    @Idempotent
    public List<String> newest(String index, String after, int count) {
        return redis.zrevrangeByLex(index, after == null ? "+" : "(" + after, "-", 0, count);
    }

    /**
     * The cleanup sweep's reconciliation, given the ids of every hash it found: drops the entries of
     * uploads whose hash is gone, and lists uploads that are in no index (hashes written before the
     * listing existed). Answers how many entries it dropped and how many uploads it listed.
     */
    @Idempotent
    public Repair repair(Set<String> hashed) {
        Set<String> listed = new HashSet<>();
        List<Entry> stale = new ArrayList<>();
        forEachIndex(index -> forEachMember(index, member -> {
            String id = idOf(member);
            if (!hashed.contains(id)) {
                stale.add(new Entry(index, member));
            } else if (RedisKeys.listsAll(index)) {
                listed.add(id);
            }
        }));
        long dropped = 0;
        for (List<Entry> batch : batches(stale)) {
            dropped += dropIfGone(batch);
        }
        int relisted = 0;
        for (List<String> batch : batches(hashed.stream().filter(id -> !listed.contains(id)).toList())) {
            relisted += relist(batch);
        }
        return new Repair(dropped, relisted);
    }

    private long dropIfGone(List<Entry> entries) {
        List<Response<Object>> replies = new ArrayList<>();
        try (Pipeline pipeline = redis.pipelined()) {
            entries.forEach(entry -> replies.add(pipeline.eval(DROP_IF_GONE,
                    List.of(RedisKeys.upload(idOf(entry.member())), entry.index()), List.of(entry.member()))));
            pipeline.sync();
        }
        return replies.stream().mapToLong(reply -> (Long) reply.get()).sum();
    }

    private int relist(List<String> ids) {
        List<Response<String>> createdAt = new ArrayList<>();
        try (Pipeline pipeline = redis.pipelined()) {
            ids.forEach(id -> createdAt.add(pipeline.hget(RedisKeys.upload(id), "created_at")));
            pipeline.sync();
        }
        int relisted = 0;
        try (Pipeline pipeline = redis.pipelined()) {
            for (int i = 0; i < ids.size(); i++) {
                String created = createdAt.get(i).get();
                if (created != null) {
                    pipeline.eval(RELIST, List.of(RedisKeys.upload(ids.get(i))), List.of(RedisKeys.LISTINGS, member(ids.get(i), Instant.parse(created))));
                    relisted++;
                }
            }
            pipeline.sync();
        }
        return relisted;
    }

    private static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += CHUNK) {
            batches.add(items.subList(from, Math.min(items.size(), from + CHUNK)));
        }
        return batches;
    }

    private void forEachIndex(Consumer<String> action) {
        ScanParams match = new ScanParams().match(RedisKeys.LISTINGS + "*").count(CHUNK);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, match, "zset");
            page.getResult().forEach(action);
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }

    private void forEachMember(String index, Consumer<String> action) {
        String from = "-";
        List<String> chunk;
        do {
            chunk = redis.zrangeByLex(index, from, "+", 0, CHUNK);
            chunk.forEach(action);
            from = chunk.isEmpty() ? from : "(" + chunk.get(chunk.size() - 1);
        } while (chunk.size() == CHUNK);
    }

    private record Entry(String index, String member) {
    }

    /** What a {@link #repair} did: index entries dropped, uploads listed. */
    public record Repair(long dropped, int listed) {
    }
}
