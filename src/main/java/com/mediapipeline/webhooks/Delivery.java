package com.mediapipeline.webhooks;

import java.util.Map;

/**
 * One event for one endpoint, as stored: its body (the same bytes on every attempt), where it waits in
 * line ({@code queue}, ordered by {@code sequence}) and how its attempts went.
 */
record Delivery(String id, String webhook, String business, String type, String uploadId, long sequence, String body, String queue,
                String status, int attempts, Integer lastStatusCode, String lastError, Long latencyMs, String nextAttemptAt,
                String createdAt) {

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    static Delivery of(String id, Map<String, String> hash) {
        return new Delivery(id, hash.get("webhook"), hash.get("business"), hash.get("type"), blankToNull(hash.get("upload_id")),
                Long.parseLong(hash.getOrDefault("sequence", "0")), hash.get("body"), hash.get("queue"), hash.get("status"),
                Integer.parseInt(hash.getOrDefault("attempts", "0")), number(hash.get("last_status_code"), Integer::valueOf),
                blankToNull(hash.get("last_error")), number(hash.get("latency_ms"), Long::valueOf), blankToNull(hash.get("next_attempt_at")),
                hash.get("created_at"));
    }

    /** The entry of the delivery log. */
    Entry entry() {
        return new Entry(id, type, uploadId, status, attempts, lastStatusCode, lastError, latencyMs, nextAttemptAt, createdAt);
    }

    /** A delivery as {@code GET /api/v1/webhooks/{id}/deliveries} lists it; its id is the webhook-id the receiver saw. */
    public record Entry(String id, String type, String uploadId, String status, int attempts, Integer lastStatusCode,
                        String lastError, Long latencyMs, String nextAttemptAt, String createdAt) {
    }

    private static <T> T number(String text, java.util.function.Function<String, T> parse) {
        return text == null || text.isEmpty() ? null : parse.apply(text);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
