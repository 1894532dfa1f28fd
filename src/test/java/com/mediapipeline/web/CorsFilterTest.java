package com.mediapipeline.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.mediapipeline.testing.Stubs.stub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CORS on every route: which origins are answered, preflights without authentication, and the TUS headers a browser may read. */
class CorsFilterTest {

    @Test
    void aRequestWithoutOriginPassesWithOnlyVary() throws Exception {
        Exchange exchange = filter("*", "POST", Map.of());

        assertTrue(exchange.passedOn);
        assertEquals(Map.of("Vary", List.of("Origin")), exchange.headers, "a cache must not serve this answer to a CORS request");
    }

    @Test
    void anyOriginIsAnsweredWithTheWildcardByDefault() throws Exception {
        Exchange exchange = filter("*", "POST", Map.of("Origin", "https://app.example.com"));

        assertTrue(exchange.passedOn);
        assertEquals("*", exchange.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", exchange.header("Vary"));
    }

    @Test
    void aListedOriginIsEchoedAndAnUnlistedOneGetsNoCorsHeaders() throws Exception {
        String origins = " https://a.example.com , ,https://b.example.com";
        Exchange listed = filter(origins, "GET", Map.of("Origin", "https://b.example.com"));
        assertTrue(listed.passedOn);
        assertEquals("https://b.example.com", listed.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", listed.header("Vary"));

        Exchange unlisted = filter(origins, "GET", Map.of("Origin", "https://evil.example.com"));
        assertTrue(unlisted.passedOn);
        assertEquals(Map.of("Vary", List.of("Origin")), unlisted.headers);

        Exchange preflight = filter(origins, "OPTIONS", Map.of("Origin", "https://evil.example.com",
                "Access-Control-Request-Method", "PATCH"));
        assertTrue(preflight.passedOn, "an unlisted origin's preflight is not answered here");
        assertEquals(Map.of("Vary", List.of("Origin")), preflight.headers);
        assertNull(preflight.status);
    }

    /** The browser must read Location, Upload-Offset and the other TUS headers of every answer. */
    @Test
    void answersExposeTheTusHeaders() throws Exception {
        Exchange exchange = filter("*", "PATCH", Map.of("Origin", "https://app.example.com"));

        List<String> exposed = List.of(exchange.header("Access-Control-Expose-Headers").split(", "));
        for (String header : List.of("Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Tus-Resumable",
                "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm", "Content-Disposition",
                "Content-Range", "ETag", "Retry-After")) {
            assertTrue(exposed.contains(header), header + " in " + exposed);
        }
        assertNull(exchange.header("Access-Control-Allow-Methods"), "only a preflight lists the methods");
    }

    /** A preflight carries no API key: it is answered here, 204, and never reaches authentication. */
    @Test
    void aPreflightIsAnsweredWithoutGoingDownTheChain() throws Exception {
        Exchange exchange = filter("*", "OPTIONS", Map.of("Origin", "https://app.example.com",
                "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "x-api-key, upload-offset"));

        assertFalse(exchange.passedOn);
        assertEquals(204, exchange.status);
        assertEquals("*", exchange.header("Access-Control-Allow-Origin"));
        assertEquals(List.of("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"),
                List.of(exchange.header("Access-Control-Allow-Methods").split(", ")));
        List<String> allowed = List.of(exchange.header("Access-Control-Allow-Headers").split(", "));
        for (String header : List.of("Content-Type", "Upload-Offset", "Upload-Length", "Upload-Metadata",
                "Upload-Defer-Length", "Upload-Concat", "Upload-Checksum", "Tus-Resumable", "X-HTTP-Method-Override",
                "X-API-KEY", "X-Username", "Range", "If-Range")) {
            assertTrue(allowed.contains(header), header + " in " + allowed);
        }
        assertEquals("86400", exchange.header("Access-Control-Max-Age"));
        assertNull(exchange.header("Access-Control-Expose-Headers"));
    }

    /** TUS' own OPTIONS (no Access-Control-Request-Method) is no preflight: TUS answers it, with the headers exposed. */
    @Test
    void anOptionsRequestThatIsNoPreflightGoesOnToTus() throws Exception {
        Exchange exchange = filter("*", "OPTIONS", Map.of("Origin", "https://app.example.com"));

        assertTrue(exchange.passedOn);
        assertNull(exchange.status);
        assertTrue(exchange.header("Access-Control-Expose-Headers").contains("Tus-Version"));
        assertNull(exchange.header("Access-Control-Allow-Methods"));
    }

    /** What the filter did with one request: the headers and status it set, and whether it called the chain. */
    private static final class Exchange {
        final Map<String, List<String>> headers = new HashMap<>();
        Integer status;
        boolean passedOn;

        String header(String name) {
            List<String> values = headers.get(name);
            if (values == null) {
                return null;
            }
            assertEquals(1, values.size(), name + ": " + values);
            return values.get(0);
        }
    }

    private static Exchange filter(String allowedOrigins, String method, Map<String, String> requestHeaders) throws Exception {
        CorsFilter filter = new CorsFilter();
        filter.allowedOrigins = allowedOrigins;
        filter.parse();
        Exchange exchange = new Exchange();
        HttpServletRequest request = stub(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getHeader" -> requestHeaders.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            default -> throw new UnsupportedOperationException(name);
        });
        HttpServletResponse response = stub(HttpServletResponse.class, (name, args) -> switch (name) {
            case "setHeader" -> exchange.headers.put((String) args[0], new ArrayList<>(List.of((String) args[1])));
            case "addHeader" -> exchange.headers.computeIfAbsent((String) args[0], n -> new ArrayList<>()).add((String) args[1]);
            case "setStatus" -> exchange.status = (Integer) args[0];
            default -> throw new UnsupportedOperationException(name);
        });
        FilterChain chain = (req, res) -> {
            assertTrue(req == request && res == response, "the chain gets the request and response as they came");
            exchange.passedOn = true;
        };
        filter.doFilter(request, response, chain);
        return exchange;
    }
}
