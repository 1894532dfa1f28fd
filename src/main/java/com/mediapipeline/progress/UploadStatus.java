package com.mediapipeline.progress;

import java.util.List;
import java.util.Map;

/** An upload's status as the API shows it (snake_case in JSON). */
public record UploadStatus(
        String token,
        String status,
        double progress,
        long offset,
        Long size,
        String createdAt,
        String updatedAt,
        String completedAt,
        String filename,
        String contentType,
        String username,
        String message) {

    public static final String CREATED = "created";
    public static final String UPLOADING = "uploading";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final List<String> ALL = List.of(CREATED, UPLOADING, COMPLETED, FAILED);

    /** The status that the hash {@code upload:{<business>}:<id>} holds (one with a status field). */
    public static UploadStatus of(String id, Map<String, String> hash) {
        return new UploadStatus(id, hash.get("status"), Double.parseDouble(hash.getOrDefault("progress", "0")),
                Long.parseLong(hash.getOrDefault("offset", "0")), blankToNull(hash.get("size")) == null ? null : Long.valueOf(hash.get("size")),
                hash.get("created_at"), hash.get("updated_at"), blankToNull(hash.get("completed_at")),
                blankToNull(hash.get("filename")), blankToNull(hash.get("content_type")),
                blankToNull(hash.get("username")), blankToNull(hash.get("message")));
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** offset/size x 100, cut (not rounded) to one decimal so that 100 means every byte is stored. */
    public static double percent(long offset, Long size) {
        if (size == null) {
            return 0.0;
        }
        if (size == 0 || offset >= size) {
            return 100.0;
        }
        return Math.floor(offset * 1000.0 / size) / 10.0;
    }
}
