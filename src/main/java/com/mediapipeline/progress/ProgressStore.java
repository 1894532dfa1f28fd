package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.JedisPooled;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Redis hash {@code upload:<id>} and the progress channel: every write of the hash publishes
 * the matching event in the same atomic step, so that a watcher that reads the hash and then
 * follows the channel misses nothing. A write never resurrects a deleted upload.
 */
@ApplicationScoped
@RedisCall
public class ProgressStore {

    private static final String CREATE =
            "redis.call('HSET', KEYS[1], unpack(ARGV, 3)) redis.call('PUBLISH', ARGV[1], ARGV[2]) return 1";
    private static final String UPDATE_IF_PRESENT = "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end "
            + "redis.call('HSET', KEYS[1], unpack(ARGV, 3)) redis.call('PUBLISH', ARGV[1], ARGV[2]) return 1";
    /** Progress of an upload that is still there and not yet complete (a late flush must not undo completion). */
    private static final String PROGRESS_IF_ACTIVE = "if redis.call('EXISTS', KEYS[1]) == 0 "
            + "or redis.call('HGET', KEYS[1], 'status') == 'completed' then return 0 end "
            + "redis.call('HSET', KEYS[1], unpack(ARGV, 3)) redis.call('PUBLISH', ARGV[1], ARGV[2]) return 1";
    private static final String REMOVE =
            "if redis.call('DEL', KEYS[1]) == 1 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end return 1";

    @Inject
    JedisPooled redis;

    public void create(String id, String business, String username, Long size,
                       String filename, String contentType, Instant now) {
        ProgressEvent event = new ProgressEvent(ProgressEvent.CREATED, id, 0.0, 0, size, UploadStatus.CREATED, null);
        write(CREATE, id, event, "status", UploadStatus.CREATED, "progress", "0.0", "offset", "0",
                "size", text(size), "created_at", now.toString(), "updated_at", now.toString(),
                "business", business, "username", username, "filename", text(filename), "content_type", text(contentType));
    }

    public void progress(String id, long offset, Long size, Instant now) {
        double percent = UploadStatus.percent(offset, size);
        ProgressEvent event = new ProgressEvent(ProgressEvent.PROGRESS, id, percent, offset, size, UploadStatus.UPLOADING, null);
        write(PROGRESS_IF_ACTIVE, id, event, "status", UploadStatus.UPLOADING, "offset", Long.toString(offset),
                "size", text(size), "progress", Double.toString(percent), "updated_at", now.toString(), "message", "");
    }

    public void complete(String id, long size, Instant now) {
        ProgressEvent event = new ProgressEvent(ProgressEvent.COMPLETE, id, 100.0, size, size, UploadStatus.COMPLETED, null);
        write(UPDATE_IF_PRESENT, id, event, "status", UploadStatus.COMPLETED, "offset", Long.toString(size),
                "size", Long.toString(size), "progress", "100.0", "updated_at", now.toString(),
                "completed_at", now.toString(), "message", "");
    }

    public void fail(String id, long offset, Long size, String reason, Instant now) {
        ProgressEvent event = new ProgressEvent(ProgressEvent.ERROR, id, UploadStatus.percent(offset, size), offset, size,
                UploadStatus.FAILED, reason);
        write(UPDATE_IF_PRESENT, id, event, "status", UploadStatus.FAILED, "message", reason, "updated_at", now.toString());
    }

    public void remove(String id) {
        redis.eval(REMOVE, List.of(RedisKeys.upload(id)),
                List.of(RedisKeys.PROGRESS_CHANNEL, ProgressEvent.deleted(id).toJson()));
    }

    /** The upload's status if it exists and belongs to the business; empty otherwise. */
    public Optional<UploadStatus> find(String id, String business) {
        Map<String, String> hash = redis.hgetAll(RedisKeys.upload(id));
        if (hash.isEmpty() || !business.equals(hash.get("business"))) {
            return Optional.empty();
        }
        return Optional.of(new UploadStatus(id, hash.get("status"), Double.parseDouble(hash.get("progress")),
                Long.parseLong(hash.get("offset")), blankToNull(hash.get("size")) == null ? null : Long.valueOf(hash.get("size")),
                hash.get("created_at"), hash.get("updated_at"), blankToNull(hash.get("completed_at")),
                blankToNull(hash.get("filename")), blankToNull(hash.get("content_type")),
                hash.get("username"), blankToNull(hash.get("message"))));
    }

    private void write(String script, String id, ProgressEvent event, String... fieldsAndValues) {
        List<String> args = new ArrayList<>(fieldsAndValues.length + 2);
        args.add(RedisKeys.PROGRESS_CHANNEL);
        args.add(event.toJson());
        args.addAll(List.of(fieldsAndValues));
        redis.eval(script, List.of(RedisKeys.upload(id)), args);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
