package com.mediapipeline.progress;

import com.mediapipeline.analytics.Tallies;
import com.mediapipeline.config.Retention;
import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.KeyScan;
import com.mediapipeline.redis.LuaScript;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.ScanStep;
import com.mediapipeline.redis.ScriptCall;
import com.mediapipeline.upload.UploadId;
import com.mediapipeline.upload.UploadListener;
import com.mediapipeline.upload.UploadLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.upload.UploadInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The Redis hash {@code upload:{<business>}:<id>} and the progress channel. Every write of the hash publishes
 * the matching event in the same atomic step, so that a watcher that reads the hash and then follows
 * the channel misses nothing. Writes restore the upload's identity if Redis lost the hash (a restart
 * without persistence), but never bring back a deleted upload, nor undo a completion. Writes
 * about bytes carry the generation of the lease that wrote them ({@code writer} in the hash): one
 * from an older lease than the last writer's is dropped, since that lease's bytes were superseded.
 */
@ApplicationScoped
@RedisCall
public class ProgressStore {

    private static final Logger LOG = Logger.getLogger(ProgressStore.class.getName());

    /**
     * Records webhook event {@code hook} of {@code upload} at {@code at}, with the status it leaves, numbered
     * in the upload's sequence; marked unsent until fanned out, so that its successors wait for it.
     */
    private static final String RECORD = """
            local sequence = redis.call('HINCRBY', KEYS[1], 'hook_sequence', 1)
            redis.call('XADD', KEYS[4], '*', 'event_type', hook, 'event_upload', upload, 'event_sequence', sequence,
                'event_at', at, unpack(redis.call('HGETALL', KEYS[1])))
            redis.call('ZADD', KEYS[5], sequence, sequence)
            """;
    /** Events a business's stream keeps, about (trimmed in whole nodes): more than a resume replays. */
    public static final int EVENTS_KEPT = 10_000;
    /**
     * Lua: hands an event to the live followers, in the business's event stream (the last
     * {@value #EVENTS_KEPT} or so, and gone after the resume window without a new one) and on the
     * channel, as a {@link Relayed} message. An upload whose hash is gone has no business to stream to:
     * its event goes on the channel alone, with id 0-0.
     */
    private static final String ANNOUNCE = """
            local function announce(hash, stream, window, channel, event)
              local business = redis.call('HGET', hash, 'business') or ''
              local user = redis.call('HGET', hash, 'username') or ''
              local id = '0-0'
              if business ~= '' then
                id = redis.call('XADD', stream, 'MAXLEN', '~', %d, '*', 'username', user, 'event', event)
                redis.call('PEXPIRE', stream, window)
              end
              redis.call('PUBLISH', channel, id .. '\\n' .. business .. '\\n' .. user .. '\\n' .. event)
            end
            """.formatted(EVENTS_KEPT);
    /**
     * Counts pairs (field, n) and the bytes into the hour's analytics counters (KEYS[8]) and the user's
     * (ARGV[a + 1] .. user), and the user as active (KEYS[9]) with their bytes (KEYS[10]); each key written
     * expires at ARGV[a] (epoch ms). Without KEYS[8] (analytics off, or the sweep's restoration) it counts nothing.
     */
    private static final String TALLY = """
            local function tally(a, user, bytes, counts)
              if not KEYS[8] then return end
              local mine, counted = user and user ~= '' and ARGV[a + 1] .. user, false
              table.insert(counts, 'bytes_received'); table.insert(counts, bytes)
              for i = 1, #counts, 2 do
                if counts[i] ~= '' and counts[i + 1] ~= 0 then
                  counted = true
                  local n = string.format('%d', counts[i + 1])
                  redis.call('HINCRBY', KEYS[8], counts[i], n)
                  if mine then redis.call('HINCRBY', mine, counts[i], n) end
                end
              end
              if not counted then return end
              if mine then
                redis.call('PFADD', KEYS[9], user)
                if bytes ~= 0 then redis.call('ZINCRBY', KEYS[10], string.format('%d', bytes), user) end
                redis.call('PEXPIREAT', mine, ARGV[a])
              end
              for i = 8, 10 do redis.call('PEXPIREAT', KEYS[i], ARGV[a]) end
            end
            """;
    /**
     * KEYS: hash, tombstone, the business's webhook types, the webhook event stream, the upload's unsent
     * events, the business's event stream, its expiry index, and {@link #TALLY}'s. ARGV: channel, event, kind (progress,
     * final, restore), ttl ms, writer generation (0: not a write of bytes), webhook event type ('' for none),
     * now ms, webhook progress interval ms, timestamp, upload id, listing key prefix, event stream lifetime
     * ms, analytics expiry and user prefix, the counter of the status written ('' for none) and the histogram
     * fields of a completion (''), whether the upload's bytes count ('1'; '0' for an assembled upload),
     * when the upload becomes due for removal (epoch ms, for the expiry index), identity pair count, identity pairs, field pairs. Bytes count as the highest offset grows (kept in the
     * hash as {@code tallied}), a status on its transition only; a dropped write counts nothing.
     */
    private static final LuaScript WRITE = new LuaScript(UploadIndex.FUNCTIONS + ANNOUNCE + TALLY + """
            if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            local before = redis.call('HGET', KEYS[1], 'status')
            if ARGV[3] == 'progress' and before == 'completed' then return 0 end
            if ARGV[3] == 'restore' and before then return 0 end
            local generation = tonumber(ARGV[5])
            if generation > 0 then
              local writer = redis.call('HGET', KEYS[1], 'writer')
              if writer and tonumber(writer) > generation then return 0 end
              redis.call('HSET', KEYS[1], 'writer', ARGV[5])
            end
            local identity = tonumber(ARGV[20])
            -- the identity is written once, except what a restoration could not know (the creator): a later write fills it in
            for i = 21, 20 + identity * 2, 2 do
              local known = redis.call('HGET', KEYS[1], ARGV[i])
              if not known or known == '' and ARGV[i + 1] ~= '' then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            end
            local was = redis.call('HGET', KEYS[1], 'offset')
            redis.call('HSET', KEYS[1], unpack(ARGV, 21 + identity * 2))
            if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
            redis.call('ZADD', KEYS[7], ARGV[19], ARGV[10])
            local now = redis.call('HMGET', KEYS[1], 'status', 'offset', 'username', 'tallied')
            local offset, counted = tonumber(now[2] or '0'), ARGV[18] == '1'
            -- bytes count once, as the highest offset grows: a cut or a revert takes none back, bytes sent again
            -- count no more; a hash written anew (Redis lost it) starts from its offset; an assembled upload's
            -- bytes were its parts'
            local high = tonumber(now[4] or (before and was) or now[2] or '0')
            if offset > high then redis.call('HSET', KEYS[1], 'tallied', now[2]) end
            local counts = {}
            if now[1] ~= before then
              list(ARGV[11], KEYS[1])
              counts = {ARGV[15], 1, ARGV[16], 1, ARGV[17], 1, 'bytes_stored', (ARGV[16] == '' or not counted) and 0 or offset}
            end
            tally(13, now[3], counted and math.max(0, offset - high) or 0, counts)
            announce(KEYS[1], KEYS[6], ARGV[12], ARGV[1], ARGV[2])
            local hook, at, upload = ARGV[6], ARGV[9], ARGV[10]
            -- 'upload.completed' when it was completed already (a repair), and the like, is no news
            if hook == '' or hook == 'upload.' .. (before or '') or redis.call('SISMEMBER', KEYS[3], hook) == 0 then return 1 end
            if hook == 'upload.progress' then
              local last = tonumber(redis.call('HGET', KEYS[1], 'hook_progress_at') or '0')
              if tonumber(ARGV[7]) - last < tonumber(ARGV[8]) then return 1 end
              redis.call('HSET', KEYS[1], 'hook_progress_at', ARGV[7])
            end
            """ + RECORD + """
            return 1
            """);
    /**
     * KEYS as {@link #WRITE}'s. ARGV: channel, event, tombstone ttl ms, webhook event type, timestamp
     * (also the deletion time), upload id, listing key prefix, event stream lifetime ms, analytics expiry
     * and user prefix, the reason's counter.
     */
    private static final LuaScript REMOVE = new LuaScript(UploadIndex.FUNCTIONS + ANNOUNCE + TALLY + """
            unlist(ARGV[7], KEYS[1])
            redis.call('ZREM', KEYS[7], ARGV[6])
            local hook, at, upload = ARGV[4], ARGV[5], ARGV[6]
            if redis.call('EXISTS', KEYS[1]) == 1 then tally(9, redis.call('HGET', KEYS[1], 'username'), 0, {ARGV[11], 1}) end
            if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('SISMEMBER', KEYS[3], hook) == 1 then
            """ + RECORD + """
            end
            announce(KEYS[1], KEYS[6], ARGV[8], ARGV[1], ARGV[2])
            redis.call('DEL', KEYS[1])
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
            return 1
            """);
    private static final String PROGRESS = "progress";
    private static final String FINAL = "final";
    private static final String RESTORE = "restore";

    @Inject
    UnifiedJedis redis;

    @Inject
    Retention retention;

    @Inject
    UploadLocks locks;

    /** How long a follower may be away and resume with Last-Event-ID (validated in feed/, which serves it). */
    @Inject
    @ConfigProperty(name = "mediapipeline.events.resume-window", defaultValue = "PT5M")
    Duration resumeWindow;

    @Inject
    Tallies tallies;

    @Inject
    KeyScan keyScan;

    /** Validated with the other webhook settings, in webhooks/; read here since the throttle runs in the status write. */
    @Inject
    @ConfigProperty(name = "mediapipeline.webhooks.progress-interval", defaultValue = "PT5S")
    Duration hookProgressInterval;

    public void create(UploadFacts upload, Instant now) {
        write(upload, FINAL, UploadListener.NO_LEASE, new ProgressEvent(ProgressEvent.CREATED, upload.id(), 0.0, 0, upload.size(), UploadStatus.CREATED, null),
                0, now.plus(retention.incomplete()), false, "status", UploadStatus.CREATED, "progress", "0.0", "offset", "0", "updated_at", now.toString());
    }

    /** Bytes up to {@code offset} arrived, written under the lease {@code generation}. */
    public void progress(UploadFacts upload, long offset, Instant now, long generation) {
        progress(PROGRESS, upload, offset, now, generation, false);
    }

    /** Completed: the hash also gets a TTL, in case every cleanup sweep misses it. */
    public void complete(UploadFacts upload, Instant completedAt, long generation) {
        complete(FINAL, upload, completedAt, generation, false);
    }

    /**
     * A PATCH's status write at its end (its offset, or its completion): when the request holds the upload's
     * lease, it goes with the lease's release, one round trip for both ({@link UploadLocks#releaseWith}).
     */
    public void stored(UploadFacts upload, long offset, boolean completed, Instant now, long generation) {
        if (completed) {
            complete(FINAL, upload, now, generation, true);
        } else {
            progress(PROGRESS, upload, offset, now, generation, true);
        }
    }

    /**
     * The restoration of a hash that Redis lost, from the upload's info file (last written at {@code lastWrite}),
     * by the cleanup sweep or a status read: as {@link #restore(UploadFacts, long, boolean, Instant)}.
     */
    public void restore(UploadInfo info, Instant lastWrite) {
        restore(UploadFacts.of(info), info.getOffset(), !info.isUploadInProgress(), lastWrite);
    }

    /**
     * A restoration of a hash that Redis lost: written only where there still is none, since the upload's
     * creation or a PATCH may have written a newer one after the restorer read the info file, and never
     * over a deletion's tombstone.
     */
    public void restore(UploadFacts upload, long offset, boolean completed, Instant at) {
        if (completed) {
            complete(RESTORE, upload, at, UploadListener.NO_LEASE, false);
        } else {
            progress(RESTORE, upload, offset, at, UploadListener.NO_LEASE, false);
        }
    }

    private void progress(String kind, UploadFacts upload, long offset, Instant now, long generation, boolean last) {
        double percent = UploadStatus.percent(offset, upload.size());
        write(upload, kind, generation, new ProgressEvent(ProgressEvent.PROGRESS, upload.id(), percent, offset, upload.size(),
                        UploadStatus.UPLOADING, null),
                0, now.plus(retention.incomplete()), last, "status", UploadStatus.UPLOADING, "offset", Long.toString(offset), "size", text(upload.size()),
                "progress", Double.toString(percent), "updated_at", now.toString(), "message", "");
    }

    private void complete(String kind, UploadFacts upload, Instant completedAt, long generation, boolean last) {
        long size = upload.size();
        write(upload, kind, generation, new ProgressEvent(ProgressEvent.COMPLETE, upload.id(), 100.0, size, size, UploadStatus.COMPLETED, null),
                retention.completedKeyTtl().toMillis(), completedAt.plus(retention.completed()), last, "status", UploadStatus.COMPLETED, "offset", Long.toString(size),
                "size", Long.toString(size), "progress", "100.0", "updated_at", completedAt.toString(),
                "completed_at", completedAt.toString(), "message", "");
    }

    /**
     * The disk refused bytes: {@code offset} is where the upload was cut back to, so the status (and the bytes
     * analytics count, which follow its offset) no longer includes the refused bytes that progress writes had shown.
     */
    public void fail(UploadFacts upload, long offset, String reason, Instant now, long generation) {
        double percent = UploadStatus.percent(offset, upload.size());
        write(upload, FINAL, generation, new ProgressEvent(ProgressEvent.ERROR, upload.id(), percent, offset, upload.size(), UploadStatus.FAILED, reason),
                0, now.plus(retention.incomplete()), false, "status", UploadStatus.FAILED, "offset", Long.toString(offset), "progress", Double.toString(percent),
                "message", reason, "updated_at", now.toString());
    }

    /** Gone for good: watchers hear an error with the reason ("deleted", "expired"). */
    public void remove(String business, String id, String reason) {
        Instant now = Instant.now();
        List<String> args = new ArrayList<>(List.of(RedisKeys.PROGRESS_CHANNEL, ProgressEvent.removed(id, reason).toJson(),
                Long.toString(retention.incomplete().toMillis()), "upload." + reason, now.toString(), id, RedisKeys.LISTINGS,
                Long.toString(resumeWindow.toMillis())));
        args.addAll(tallies.args(business, now));
        args.add(reason);
        REMOVE.run(redis, keys(id, business, now, true), args);
    }

    /** The upload's status if it exists and belongs to the business; empty otherwise. */
    @Idempotent
    public Optional<UploadStatus> find(UploadId id, String business) {
        return statusOf(id, redis.hgetAll(RedisKeys.upload(business, id.value())), business);
    }

    /**
     * Each upload's status as {@link #find} answers it, all read in one pipelined round trip; an
     * upload whose hash cannot be read as a status is answered as missing, not as the batch's failure.
     */
    @Idempotent
    public Map<UploadId, Optional<UploadStatus>> findAll(Set<UploadId> ids, String business) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UploadId, Response<Map<String, String>>> replies = new LinkedHashMap<>();
        try (PipelineBase pipeline = redis.pipelined()) {
            ids.forEach(id -> replies.put(id, pipeline.hgetAll(RedisKeys.upload(business, id.value()))));
            pipeline.sync();
        }
        Map<UploadId, Optional<UploadStatus>> statuses = new LinkedHashMap<>();
        replies.forEach((id, reply) -> {
            try {
                statuses.put(id, statusOf(id, reply.get(), business));
            } catch (JedisDataException | NumberFormatException unreadable) {
                LOG.warning("The status of " + id.value() + " cannot be read: " + unreadable);
                statuses.put(id, Optional.empty());
            }
        });
        return statuses;
    }

    private static Optional<UploadStatus> statusOf(UploadId id, Map<String, String> hash, String business) {
        if (hash.get("status") == null || !business.equals(hash.get("business"))) {
            return Optional.empty();
        }
        return Optional.of(UploadStatus.of(id.value(), hash));
    }

    /** When the status says the upload completed, for the cleanup sweep. */
    @Idempotent
    public Optional<Instant> completedAt(String business, UploadId id) {
        return Optional.ofNullable(blankToNull(redis.hget(RedisKeys.upload(business, id.value()), "completed_at"))).map(Instant::parse);
    }

    /**
     * The cleanup sweep's repair of a hash that disagrees with what is recorded on disk: a status
     * write can be lost (Redis restarting just then), and a lost completion would otherwise stay. An
     * offset goes in as progress, which never undoes a completion that landed after the sweep looked.
     */
    @Idempotent
    public void repair(UploadFacts upload, long offset, boolean completed, Instant at) {
        if (completed) {
            complete(FINAL, upload, at, UploadListener.NO_LEASE, false);
        } else {
            progress(PROGRESS, upload, offset, at, UploadListener.NO_LEASE, false);
        }
    }

    /** Whether the hash says this offset and state: completed, or not completed at this offset. */
    @Idempotent
    public boolean agrees(String business, UploadId id, long offset, boolean completed) {
        List<String> fields = redis.hmget(RedisKeys.upload(business, id.value()), "status", "offset");
        boolean saysCompleted = UploadStatus.COMPLETED.equals(fields.get(0));
        return fields.get(0) != null && (completed ? saysCompleted : !saysCompleted && Long.toString(offset).equals(fields.get(1)));
    }

    public boolean exists(String business, UploadId id) {
        return redis.exists(RedisKeys.upload(business, id.value()));
    }

    /**
     * A step of the sweep's walk over every status hash, for its search for orphans: the uploads whose hashes
     * are among about {@code budget} keys from {@code cursor}, and the cursor to go on from.
     */
    @Idempotent
    public ScanStep<Hashed> ids(String cursor, long budget) {
        ScanStep<String> step = keyScan.step(cursor, RedisKeys.UPLOADS + "{*", "hash", budget);
        return new ScanStep<>(step.found().stream().map(key -> new Hashed(RedisKeys.businessOf(key).orElseThrow(),
                key.substring(key.lastIndexOf(':') + 1))).toList(), step.cursor());
    }

    /** An upload that has a status hash. */
    public record Hashed(String business, String id) {
    }

    /** Drops a hash whose upload has no files any more (a crash between deleting the two). */
    @Idempotent
    public void forget(String business, String id) {
        redis.del(RedisKeys.upload(business, id));
    }

    /** {@code dueAt}: when the upload becomes due for removal if this write is its last, as the sweep judges it from the files. */
    private void write(UploadFacts upload, String kind, long generation, ProgressEvent event, long ttlMillis, Instant dueAt, boolean last, String... fields) {
        Instant now = Instant.now();
        List<String> args = new ArrayList<>(List.of(RedisKeys.PROGRESS_CHANNEL, event.toJson(), kind,
                Long.toString(ttlMillis), Long.toString(generation), hookType(kind, event.status()), Long.toString(now.toEpochMilli()),
                Long.toString(hookProgressInterval.toMillis()), now.toString(), upload.id(), RedisKeys.LISTINGS,
                Long.toString(resumeWindow.toMillis())));
        args.addAll(tallies.args(upload.business(), now));
        args.add(UploadStatus.UPLOADING.equals(event.status()) ? "" : event.status());
        args.addAll(UploadStatus.COMPLETED.equals(event.status()) ? Tallies.completion(upload.createdAt(), now, event.bytesSent()) : List.of("", ""));
        args.add(upload.assembled() ? "0" : "1");
        args.add(Long.toString(dueAt.toEpochMilli()));
        args.addAll(List.of("7", UploadIndex.LISTED_AS, UploadIndex.member(upload.id(), upload.createdAt()),
                "business", upload.business(), "username", text(upload.username()),
                "filename", text(upload.filename()), "content_type", text(upload.contentType()),
                "created_at", upload.createdAt().toString(), "size", text(upload.size())));
        args.addAll(List.of(fields));
        ScriptCall write = new ScriptCall(WRITE, keys(upload.id(), upload.business(), now, !RESTORE.equals(kind)), args);
        if (!last || !locks.releaseWith(upload.id(), write)) {
            write.run(redis);
        }
    }

    /**
     * The webhook event a write is: "upload." and the status it sets ("upload.progress" while uploading);
     * none for the sweep's restoration of a lost hash, since the events of what it restores were recorded then.
     */
    private static String hookType(String kind, String status) {
        if (RESTORE.equals(kind)) {
            return "";
        }
        return "upload." + (UploadStatus.UPLOADING.equals(status) ? "progress" : status);
    }

    /** The scripts' keys; with {@code tallied}, the analytics keys of the hour too, unless analytics are off. */
    private List<String> keys(String id, String business, Instant now, boolean tallied) {
        List<String> keys = new ArrayList<>(List.of(RedisKeys.upload(business, id), RedisKeys.deleted(business, id), RedisKeys.webhookTypes(business),
                RedisKeys.webhookEvents(business), RedisKeys.unsentEvents(business, id), RedisKeys.events(business), RedisKeys.expiries(business)));
        if (tallied) {
            keys.addAll(tallies.keys(business, now));
        }
        return keys;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
