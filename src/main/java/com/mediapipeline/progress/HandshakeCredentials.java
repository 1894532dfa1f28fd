package com.mediapipeline.progress;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;
import java.util.Map;

/**
 * Keeps the handshake's authentication for the endpoint, which cannot see HTTP headers: the
 * {@code X-API-KEY}/{@code X-Username} headers of scripts, or a browser's {@code ?ticket=}.
 * Only {@code modifyHandshake} is overridden, so that endpoints keep their CDI injection.
 */
public class HandshakeCredentials extends ServerEndpointConfig.Configurator {

    static final String KEY = "mediapipeline.credentials";

    /** What the client presented; any part may be null. */
    record Credentials(String apiKey, String username, String ticket) {
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        config.getUserProperties().put(KEY, new Credentials(first(request.getHeaders(), "X-API-KEY"),
                first(request.getHeaders(), "X-Username"), first(request.getParameterMap(), "ticket")));
    }

    private static String first(Map<String, List<String>> values, String name) {
        return values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
}
