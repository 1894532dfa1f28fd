package com.mediapipeline.webhooks;

import java.util.List;

/** An endpoint as the API shows it: never with its secret. */
public record Webhook(String id, String url, List<String> events, String description, String createdAt, boolean disabled) {

    /** Whether the endpoint takes this event now. */
    boolean takes(String type) {
        return !disabled && events.contains(type);
    }
}
