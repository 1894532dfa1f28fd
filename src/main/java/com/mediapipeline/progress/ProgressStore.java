package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.JedisPooled;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Redis hash {@code upload:<id>}: one write per call, never resurrecting a deleted upload. */
@ApplicationScoped
@RedisCall
public class ProgressStore {

    /** HSET only if the hash still exists: a PATCH still streaming must not re-create a deleted upload. */
    private static final String UPDATE_IF_PRESENT =
            "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], unpack(ARGV)) return 1 end return 0";

    @Inject
    JedisPooled redis;

    public void create(String id, String business, String username, Long size,
                       String filename, String contentType, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("status", UploadStatus.CREATED);
        fields.put("progress", "0.0");
        fields.put("offset", "0");
        fields.put("size", size == null ? "" : size.toString());
        fields.put("created_at", now.toString());
        fields.put("updated_at", now.toString());
        fields.put("business", business);
        fields.put("username", username);
        fields.put("filename", filename == null ? "" : filename);
        fields.put("content_type", contentType == null ? "" : contentType);
        redis.hset(RedisKeys.upload(id), fields);
    }

    public void progress(String id, long offset, Long size, Instant now) {
        update(id, "status", UploadStatus.UPLOADING, "offset", Long.toString(offset),
                "size", size == null ? "" : size.toString(),
                "progress", Double.toString(UploadStatus.percent(offset, size)),
                "updated_at", now.toString(), "message", "");
    }

    public void complete(String id, long size, Instant now) {
        update(id, "status", UploadStatus.COMPLETED, "offset", Long.toString(size), "size", Long.toString(size),
                "progress", "100.0", "updated_at", now.toString(), "completed_at", now.toString(), "message", "");
    }

    public void fail(String id, String reason, Instant now) {
        update(id, "status", UploadStatus.FAILED, "message", reason, "updated_at", now.toString());
    }

    /** The upload's status if it exists and belongs to the business; empty otherwise. */
    public Optional<UploadStatus> find(String id, String business) {
        Map<String, String> hash = redis.hgetAll(RedisKeys.upload(id));
        if (hash.isEmpty() || !business.equals(hash.get("business"))) {
            return Optional.empty();
        }
        String size = hash.get("size");
        return Optional.of(new UploadStatus(id, hash.get("status"), Double.parseDouble(hash.get("progress")),
                Long.parseLong(hash.get("offset")), blankToNull(size) == null ? null : Long.valueOf(size),
                hash.get("created_at"), hash.get("updated_at"), blankToNull(hash.get("completed_at")),
                blankToNull(hash.get("filename")), blankToNull(hash.get("content_type")),
                hash.get("username"), blankToNull(hash.get("message"))));
    }

    public void remove(String id) {
        redis.del(RedisKeys.upload(id));
    }

    private void update(String id, String... fieldsAndValues) {
        List<String> args = new ArrayList<>(List.of(fieldsAndValues));
        redis.eval(UPDATE_IF_PRESENT, List.of(RedisKeys.upload(id)), args);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
