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
 * <p>
 * Concurrent handshakes cannot see each other's credentials: since Jakarta WebSocket 2.1 the user
 * properties of the config passed to {@code modifyHandshake} are a copy for this one connection,
 * which becomes the new {@code Session}'s user properties (Tyrus 2.1: {@code ServerEndpointConfigWrapper}
 * over the handshake's own {@code RequestContext} map). {@code ConcurrentHandshakesIT} holds the container to it.
 */
public class HandshakeCredentials extends ServerEndpointConfig.Configurator {

    public static final String KEY = "mediapipeline.credentials";

    /** What the client presented; any part may be null. */
    public record Credentials(String apiKey, String username, String ticket) {
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
