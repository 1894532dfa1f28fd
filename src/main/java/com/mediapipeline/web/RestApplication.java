package com.mediapipeline.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Map;

/**
 * The JAX-RS application under {@code /api/v1}. An error answer without a body (a HEAD's) keeps its
 * status and headers: Jersey would otherwise hand it to the container's error page as a bare status.
 */
@ApplicationPath("api/v1")
public class RestApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.response.setStatusOverSendError", true);
    }
}
