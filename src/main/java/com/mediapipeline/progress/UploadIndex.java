package com.mediapipeline.progress;

import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.KeyScan;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.ScanStep;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongBiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The listing indexes of each business's uploads (see {@link RedisKeys#LISTINGS}). The status scripts of
 * {@link ProgressStore} keep them, in the same atomic step as the hash, with {@link #FUNCTIONS}: an
 * upload is listed when its status changes and unlisted when it is removed. A hash that ends otherwise (its
 * TTL, a sweep dropping it) leaves entries that readers skip and the sweep's {@link #repair} drops.
 * <p>
 * The scripts name the index keys themselves, from the hash's business, user and status, with the
 * business's hash tag as {@link RedisKeys#listing} does.
 */
@ApplicationScoped
@RedisCall
public class UploadIndex {

    /** The hash field naming the upload in the indexes, written once with its identity: every script unlists by it. */
    static final String LISTED_AS = "listed_as";
    /** Lua: the indexes an upload (its hash) is in, by business and user, and its moves between them. */
    static final String FUNCTIONS = """
            local function listings(prefix, hash)
              local business = redis.call('HGET', hash, 'business')
              if not business then return {} end
              local user, all = redis.call('HGET', hash, 'username') or '', prefix .. '{' .. business .. '}'
              if user == '' then return {all} end
              return {all, all .. ':user:' .. user}
            end
            local function unlist(prefix, hash)
              local member = redis.call('HGET', hash, 'listed_as')
              if not member then return end
              for _, key in ipairs(listings(prefix, hash)) do
                redis.call('ZREM', key, member)
                for _, status in ipairs(%s) do redis.call('ZREM', key .. ':status:' .. status, member) end
              end
            end
            local function list(prefix, hash)
              unlist(prefix, hash)
              local member, status = redis.call('HGET', hash, 'listed_as'), redis.call('HGET', hash, 'status')
              if not member or not status then return end
              for _, key in ipairs(listings(prefix, hash)) do
                redis.call('ZADD', key, 0, member)
                redis.call('ZADD', key .. ':status:' .. status, 0, member)
              end
            end
            """.formatted(UploadStatus.ALL.stream().map(status -> "'" + status + "'").collect(Collectors.joining(", ", "{", "}")));
    /**
     * KEYS: hash. ARGV: listing prefix, member ('' if unknown: for a hash written before the listing, which
     * names none, the answer is then -1, asking for it). Lists the upload again when an index it belongs in
     * lacks it: 1 if so.
     */
    private static final String ENSURE = FUNCTIONS + """
            if redis.call('HEXISTS', KEYS[1], 'status') == 0 then return 0 end
            if redis.call('HEXISTS', KEYS[1], 'listed_as') == 0 then
              if ARGV[2] == '' then return -1 end
              redis.call('HSET', KEYS[1], 'listed_as', ARGV[2])
            end
            local member, status = redis.call('HGET', KEYS[1], 'listed_as'), redis.call('HGET', KEYS[1], 'status')
            for _, key in ipairs(listings(ARGV[1], KEYS[1])) do
              if not redis.call('ZSCORE', key, member) or not redis.call('ZSCORE', key .. ':status:' .. status, member) then
                list(ARGV[1], KEYS[1])
                return 1
              end
            end
            return 0
            """;
    /** KEYS: hash, index. ARGV: member. Atomic with the writes that list, so an upload created meanwhile stays. */
    private static final String DROP_IF_GONE = "if redis.call('EXISTS', KEYS[1]) == 0 then return redis.call('ZREM', KEYS[2], ARGV[1]) end return 0";
    private static final int MILLIS_DIGITS = 13;
    private static final Pattern MEMBER = Pattern.compile("\\d{" + MILLIS_DIGITS + "}:[0-9a-f-]{36}");
    private static final int CHUNK = 1000;

    @Inject
    UnifiedJedis redis;

    @Inject
    KeyScan keyScan;

    /** How an upload is named in the indexes: creation time first, so that the names sort by it. */
    public static String member(String id, Instant createdAt) {
        return String.format("%0" + MILLIS_DIGITS + "d:%s", createdAt.toEpochMilli(), id);
    }

    public static String idOf(String member) {
        return member.substring(MILLIS_DIGITS + 1);
    }

    /** Whether a text (a client's cursor) is a member as {@link #member} makes them. */
    public static boolean isMember(String text) {
        return MEMBER.matcher(text).matches() && UploadId.isValid(idOf(text));
    }

    /** Up to {@code count} members of the index, newest first, after {@code after} (from the newest when null). */
    @Idempotent
    public List<String> newest(String index, String after, int count) {
        return redis.zrevrangeByLex(index, after == null ? "+" : "(" + after, "-", 0, count);
    }

    /** How many of the business's uploads (of the user, when not null) are in each status, in one round trip. */
    @Idempotent
    public Map<String, Long> counts(String business, String username) {
        Map<String, Response<Long>> replies = new LinkedHashMap<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            UploadStatus.ALL.forEach(status -> replies.put(status, pipeline.zcard(RedisKeys.listing(business, username, status))));
            pipeline.sync();
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        replies.forEach((status, reply) -> counts.put(status, reply.get()));
        return counts;
    }

    /** A step of the cleanup sweep's walk over the listing indexes: their keys among about {@code budget} keys from {@code cursor}. */
    @Idempotent
    public ScanStep<String> indexes(String cursor, long budget) {
        return keyScan.step(cursor, RedisKeys.LISTINGS + "{*", "zset", budget);
    }

    /**
     * The cleanup sweep's reconciliation of a slice: drops the entries of these {@code indexes} whose upload's
     * hash is gone, and lists again each of these uploads ({@code hashed}: ids whose hash the sweep found)
     * missing from an index it belongs in (a hash written before the listing existed, or by an instance of an
     * older version during a rolling upgrade).
     */
    @Idempotent
    public Repair repair(Collection<ProgressStore.Hashed> hashed, Collection<String> indexes) {
        long dropped = sumOverChunks(indexes, this::dropGone);
        long relisted = 0;
        for (List<ProgressStore.Hashed> batch : batches(List.copyOf(hashed))) {
            relisted += ensureListed(batch);
        }
        return new Repair(dropped, relisted);
    }

    /** One pipelined look at the hashes of a chunk of an index's entries, and {@link #DROP_IF_GONE} for those gone. */
    private long dropGone(String index, List<String> members) {
        String business = RedisKeys.businessOf(index).orElseThrow();
        List<Response<Boolean>> exists = new ArrayList<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            members.forEach(member -> exists.add(pipeline.exists(RedisKeys.upload(business, idOf(member)))));
            pipeline.sync();
        }
        List<Function<PipelineBase, Response<Object>>> drops = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            String member = members.get(i);
            if (!exists.get(i).get()) {
                drops.add(pipeline -> pipeline.eval(DROP_IF_GONE, List.of(RedisKeys.upload(business, idOf(member)), index), List.of(member)));
            }
        }
        return run(drops).stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One pipelined {@link #ENSURE} per upload; only the uploads whose hash predates the listing (no
     * {@code listed_as}) cost a second round trip, which reads their creation time to name them.
     */
    private long ensureListed(List<ProgressStore.Hashed> ids) {
        List<Long> answers = run(ids.stream().map(id -> ensure(id, "")).toList());
        List<ProgressStore.Hashed> unnamed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (answers.get(i) < 0) {
                unnamed.add(ids.get(i));
            }
        }
        long listed = answers.stream().filter(answer -> answer > 0).count();
        if (unnamed.isEmpty()) {
            return listed;
        }
        List<Response<String>> createdAt = new ArrayList<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            unnamed.forEach(id -> createdAt.add(pipeline.hget(RedisKeys.upload(id.business(), id.id()), "created_at")));
            pipeline.sync();
        }
        List<Function<PipelineBase, Response<Object>>> named = new ArrayList<>();
        for (int i = 0; i < unnamed.size(); i++) {
            String created = createdAt.get(i).get();
            if (created != null) {
                named.add(ensure(unnamed.get(i), member(unnamed.get(i).id(), Instant.parse(created))));
            }
        }
        return listed + run(named).stream().filter(answer -> answer > 0).count();
    }

    private static Function<PipelineBase, Response<Object>> ensure(ProgressStore.Hashed upload, String member) {
        return pipeline -> pipeline.eval(ENSURE, List.of(RedisKeys.upload(upload.business(), upload.id())), List.of(RedisKeys.LISTINGS, member));
    }

    /** Runs the scripts in one pipeline and answers what each answered. */
    private List<Long> run(List<Function<PipelineBase, Response<Object>>> scripts) {
        List<Response<Object>> replies = new ArrayList<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            scripts.forEach(script -> replies.add(script.apply(pipeline)));
            pipeline.sync();
        }
        return replies.stream().map(reply -> (Long) reply.get()).toList();
    }

    private static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += CHUNK) {
            batches.add(items.subList(from, Math.min(items.size(), from + CHUNK)));
        }
        return batches;
    }

    /**
     * The sum of what {@code action} answers for the entries of each index, a chunk at a time: the first chunk
     * of a batch of indexes in one round trip, the rest of a long one after.
     */
    private long sumOverChunks(Collection<String> all, ToLongBiFunction<String, List<String>> action) {
        long sum = 0;
        for (List<String> indexes : batches(List.copyOf(all))) {
            List<Response<List<String>>> firsts = new ArrayList<>();
            try (PipelineBase pipeline = redis.pipelined()) {
                indexes.forEach(index -> firsts.add(pipeline.zrangeByLex(index, "-", "+", 0, CHUNK)));
                pipeline.sync();
            }
            for (int i = 0; i < indexes.size(); i++) {
                String index = indexes.get(i);
                List<String> chunk = firsts.get(i).get();
                while (!chunk.isEmpty()) {
                    sum += action.applyAsLong(index, chunk);
                    if (chunk.size() < CHUNK) {
                        break;
                    }
                    chunk = redis.zrangeByLex(index, "(" + chunk.get(chunk.size() - 1), "+", 0, CHUNK);
                }
            }
        }
        return sum;
    }

    /** What a {@link #repair} did: index entries dropped, uploads listed. */
    public record Repair(long dropped, long listed) {
    }
}
