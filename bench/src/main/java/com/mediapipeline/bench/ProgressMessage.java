package com.mediapipeline.bench;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;

/**
 * What the benchmark reads of the service's WebSocket messages (its ProgressEvent): the fields the
 * delays need, read with JSON-B under the API's snake_case names; the other fields are ignored. A copy
 * rather than the service's class: the driver is a client of the service, as neutral as for the peer.
 *
 * @param type      "progress", "complete", … (the feed's "snapshot" and "summary" too)
 * @param uploadId  the upload the message is about
 * @param bytesSent the bytes the service had received when it sent the message
 */
public record ProgressMessage(String type, String uploadId, long bytesSent) {

    static final String PROGRESS = "progress";
    static final String COMPLETE = "complete";
    static final String SNAPSHOT = "snapshot";

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES));

    static ProgressMessage parse(String json) {
        return JSONB.fromJson(json, ProgressMessage.class);
    }
}
