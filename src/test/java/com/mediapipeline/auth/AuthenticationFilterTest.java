package com.mediapipeline.auth;

import com.mediapipeline.testing.Stubs;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which requests pass without a key, judged by the filter alone (the service answers 401 behind it
 * too, so only here can a wrong exemption show): OPTIONS, and a socket handshake; nothing that merely
 * looks like one once decoded, normalised or overridden.
 */
class AuthenticationFilterTest {

    private static final String ID = "0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70";
    private static final int PASSED = 0;

    @Test
    void optionsPassesWithoutAKey() throws Exception {
        assertEquals(PASSED, filter("OPTIONS", "/api/v1/uploads/", "/api/v1/uploads/", Map.of()));
        assertEquals(PASSED, filter("OPTIONS", "/api/v1/storage/" + ID, "/api/v1/storage/" + ID, Map.of()));
    }

    @Test
    void tusDiscoveryByOverridePassesWithoutAKey() throws Exception {
        assertEquals(PASSED, filter("POST", "/api/v1/uploads/", "/api/v1/uploads/", Map.of("X-HTTP-Method-Override", " options ")));
    }

    @Test
    void anOverrideFromOptionsToAnotherMethodNeedsAKey() throws Exception {
        String upload = "/api/v1/uploads/" + ID;
        assertEquals(401, filter("OPTIONS", upload, upload, Map.of("X-HTTP-Method-Override", "PATCH")));
    }

    /** JAX-RS does not honour the override: a POST that says OPTIONS is still a POST there. */
    @Test
    void theOverrideCountsOnlyOnTusRoutes() throws Exception {
        assertEquals(401, filter("POST", "/api/v1/ws/tickets", "/api/v1/ws/tickets", Map.of("X-HTTP-Method-Override", "OPTIONS")));
        String status = "/api/v1/uploads/meta/" + ID + "/status";
        assertEquals(401, filter("GET", status, status, Map.of("X-HTTP-Method-Override", "OPTIONS")));
        assertEquals(401, filter("POST", "/api/v1/uploads/x%2F..%2Fmeta", "/api/v1/meta", Map.of("X-HTTP-Method-Override", "OPTIONS")));
    }

    @Test
    void aSocketHandshakePassesWithoutAKey() throws Exception {
        String socket = "/api/v1/ws/" + ID;
        assertEquals(PASSED, filter("GET", socket, socket, Map.of("Upgrade", "websocket")));
    }

    @Test
    void onlyAGetUpgradeToOneSocketIsAHandshake() throws Exception {
        String socket = "/api/v1/ws/" + ID;
        assertEquals(401, filter("GET", socket, socket, Map.of()), "no upgrade");
        assertEquals(401, filter("HEAD", socket, socket, Map.of("Upgrade", "websocket")), "not a GET");
        assertEquals(401, filter("GET", "/api/v1/ws/tickets", "/api/v1/ws/tickets", Map.of("Upgrade", "websocket")), "the tickets resource");
    }

    /** A raw URI that the container decodes or normalises into a socket path, or the other way round, is no handshake. */
    @Test
    void noSpellingMakesAnotherRouteAHandshake() throws Exception {
        Map<String, String> upgrade = Map.of("Upgrade", "websocket");
        assertEquals(401, filter("GET", "/api/v1/storage/" + ID + "%2F..%2F..%2Fws%2Fab", "/api/v1/ws/ab", upgrade));
        assertEquals(401, filter("GET", "/api/v1/ws/..;/storage/" + ID, "/api/v1/ws/..", upgrade));
        assertEquals(401, filter("GET", "/api/v1/ws/%2e%2e/storage/" + ID, "/api/v1/storage/" + ID, upgrade));
        assertEquals(401, filter("GET", "/api/v1/ws/" + ID + ";x=1", "/api/v1/ws/" + ID, upgrade));
    }

    /** Runs the filter without credentials: PASSED when it let the request on, else the status it answered. */
    private static int filter(String method, String rawPath, String mappedPath, Map<String, String> headers) throws Exception {
        AuthenticationFilter filter = new AuthenticationFilter();
        filter.authentication = authentication();
        int[] outcome = {-1};
        HttpServletRequest request = Stubs.stub(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getRequestURI" -> "/app" + rawPath;
            case "getContextPath" -> "/app";
            case "getServletPath" -> mappedPath;
            case "getPathInfo" -> null;
            case "getHeader" -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            default -> throw new UnsupportedOperationException(name);
        });
        HttpServletResponse response = Stubs.stub(HttpServletResponse.class, (name, args) -> switch (name) {
            case "setStatus" -> {
                outcome[0] = (Integer) args[0];
                yield null;
            }
            case "getOutputStream" -> new Discarding();
            case "resetBuffer", "setContentType", "setCharacterEncoding", "setContentLength", "flushBuffer", "setHeader" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
        FilterChain chain = (req, res) -> outcome[0] = PASSED;
        filter.doFilter(request, response, chain);
        return outcome[0];
    }

    private static Authentication authentication() {
        ApiKeys keys = new ApiKeys();
        keys.setting = Optional.of("acme:secret-key-123456");
        keys.load();
        Authentication authentication = new Authentication();
        authentication.keys = keys;
        authentication.current = new CurrentCaller();
        return authentication;
    }

    private static final class Discarding extends ServletOutputStream {
        @Override
        public void write(int b) {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }
    }
}
