package com.mediapipeline.webhooks;

import java.util.List;

/**
 * The events an endpoint can take. The status writes of progress/ record them by name, "upload." and
 * the status they set ({@code upload.progress} while uploading) or the reason of a removal.
 */
public final class EventTypes {

    public static final String CREATED = "upload.created";
    public static final String PROGRESS = "upload.progress";
    public static final String COMPLETED = "upload.completed";
    public static final String FAILED = "upload.failed";
    public static final String DELETED = "upload.deleted";
    public static final String EXPIRED = "upload.expired";
    /** Sent by {@code POST /api/v1/webhooks/{id}/ping} only; no endpoint subscribes to it. */
    public static final String PING = "ping";
    public static final List<String> ALL = List.of(CREATED, PROGRESS, COMPLETED, FAILED, DELETED, EXPIRED);

    private EventTypes() {
    }

    /** Whether the event's data ends the upload's life, and so carries {@code deleted_at}. */
    static boolean removal(String type) {
        return DELETED.equals(type) || EXPIRED.equals(type);
    }
}
