package com.mediapipeline.config;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;

/**
 * The one JSON mapping of the service, for JAX-RS bodies, WebSocket messages and error bodies alike:
 * snake_case, and absent values shown as null rather than left out.
 */
public final class JsonMapping {

    public static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES)
            .withNullValues(true));

    private JsonMapping() {
    }
}
