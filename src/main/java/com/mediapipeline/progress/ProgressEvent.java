package com.mediapipeline.progress;

import com.mediapipeline.config.JsonMapping;

import java.util.Set;

/** A WebSocket message: an upload's state at one moment (snake_case in JSON). */
public record ProgressEvent(String type, String uploadId, double progress, long bytesSent, Long totalSize,
                            String status, String message) {

    public static final String CREATED = "created";
    public static final String PROGRESS = "progress";
    public static final String COMPLETE = "complete";
    public static final String ERROR = "error";
    private static final Set<String> REMOVAL_REASONS = Set.of("deleted", "expired");

    /** The message that tells a client where an upload stands now. */
    public static ProgressEvent of(UploadStatus status) {
        String type = switch (status.status()) {
            case UploadStatus.CREATED -> CREATED;
            case UploadStatus.COMPLETED -> COMPLETE;
            case UploadStatus.FAILED -> ERROR;
            default -> PROGRESS;
        };
        return new ProgressEvent(type, status.token(), status.progress(), status.offset(), status.size(),
                status.status(), status.message());
    }

    /** The upload is gone ("deleted", "expired"): watchers hear an error and their sockets close. */
    public static ProgressEvent removed(String uploadId, String reason) {
        return new ProgressEvent(ERROR, uploadId, 0, 0, null, UploadStatus.FAILED, reason);
    }

    /** Whether this says the upload is gone, as {@link #removed} does (an upload that failed keeps its size). */
    public boolean removal() {
        return ERROR.equals(type) && totalSize == null && bytesSent == 0 && REMOVAL_REASONS.contains(message);
    }

    /** After a complete or an error nothing more will come: the socket closes. */
    public boolean terminal() {
        return COMPLETE.equals(type) || ERROR.equals(type);
    }

    public String toJson() {
        return JsonMapping.JSONB.toJson(this);
    }

    public static ProgressEvent fromJson(String json) {
        return JsonMapping.JSONB.fromJson(json, ProgressEvent.class);
    }
}
