package com.mediapipeline.upload;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PublicUrlTest {

    @Test
    void withoutAProxyTheRequestsOwnSchemeAndHost() {
        assertEquals("http://localhost:8080/api/v1/uploads/x",
                PublicUrl.of("/api/v1/uploads/x", "http", "localhost:8080", null, null));
    }

    @Test
    void forwardedHeadersWinAndOnlyTheFirstHopCounts() {
        assertEquals("https://up.example.com/api/v1/uploads/x",
                PublicUrl.of("/api/v1/uploads/x", "http", "10.0.0.5:8080", "https, http", "up.example.com, proxy2"));
        assertEquals("https://[2001:db8::1]:8443/p", PublicUrl.of("/p", "http", "h", "https", "[2001:db8::1]:8443"));
    }

    @Test
    void malformedForwardedValuesAreIgnored() {
        assertEquals("http://localhost:8080/p",
                PublicUrl.of("/p", "http", "localhost:8080", "javascript", "evil.com\r\nX-Injected: 1"));
    }

    @Test
    void absoluteUrlsAreLeftAlone() {
        assertEquals("https://a.example/p", PublicUrl.of("https://a.example/p", "http", "h", "http", "b"));
    }
}
