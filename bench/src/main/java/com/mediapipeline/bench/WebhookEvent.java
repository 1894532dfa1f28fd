package com.mediapipeline.bench;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import java.util.List;

/**
 * What the benchmark reads of a webhook event's body, and writes to register an endpoint: a copy of the
 * API's fields, read with JSON-B under their snake_case names (the other fields are ignored), as
 * {@link ProgressMessage} does.
 *
 * @param type      "upload.created", …
 * @param timestamp when the status changed, ISO-8601, written by the service
 * @param data      the upload's status at that moment
 */
public record WebhookEvent(String type, String timestamp, Data data) {

    static final String CREATED = "upload.created";
    static final String PROGRESS = "upload.progress";
    static final String COMPLETED = "upload.completed";
    static final String FAILED = "upload.failed";
    static final String DELETED = "upload.deleted";
    static final String EXPIRED = "upload.expired";
    /** Every event an endpoint can take but progress. */
    static final List<String> ALL_BUT_PROGRESS = List.of(CREATED, COMPLETED, FAILED, DELETED, EXPIRED);
    static final List<String> ALL = List.of(CREATED, PROGRESS, COMPLETED, FAILED, DELETED, EXPIRED);

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES));

    /**
     * @param token    the upload's id
     * @param sequence the upload's events counted from 1
     */
    public record Data(String token, long sequence) {
    }

    /** {@code POST /api/v1/webhooks}'s body. */
    public record Registration(String url, List<String> events, String description) {
    }

    /** What the benchmark reads of the answer: the endpoint's id. */
    public record Registered(String id) {
    }

    static WebhookEvent parse(String json) {
        return JSONB.fromJson(json, WebhookEvent.class);
    }

    static String registration(String url, List<String> events) {
        return JSONB.toJson(new Registration(url, events, "bench"));
    }

    static String idOf(String registered) {
        return JSONB.fromJson(registered, Registered.class).id();
    }
}
