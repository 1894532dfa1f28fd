package com.mediapipeline.auth;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    @Test
    void parsesBusinessKeyPairs() {
        assertEquals(Map.of("k1-aaaaaaaaaaaaaaaa", "acme", "k2:with:colons", "globex"),
                ApiKeys.parse(" acme:k1-aaaaaaaaaaaaaaaa , globex:k2:with:colons,"));
        assertTrue(ApiKeys.parse("").isEmpty());
    }

    @Test
    void malformedEntriesStopStartUp() {
        for (String bad : new String[] {"acme", "acme:", ":key", "ac me:key", "a:same,b:same"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiKeys.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("mediapipeline.api-keys"), e.getMessage());
        }
    }

    @Test
    void authenticatesKnownKeysAndWellFormedUsernames() {
        ApiKeys keys = keys("acme:secret-key-123456");
        assertEquals(new Caller("acme", "alice.b@x-y_z"), keys.callerOf("secret-key-123456", "alice.b@x-y_z"));
        assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(ApiException.class, () -> keys.callerOf(null, "a")).code());
        assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(ApiException.class, () -> keys.callerOf("nope", "a")).code());
        for (String bad : new String[] {null, "", "a b", "a".repeat(129), "ä", "a/b"}) {
            assertEquals(ErrorCode.INVALID_USERNAME,
                    assertThrows(ApiException.class, () -> keys.callerOf("secret-key-123456", bad)).code());
        }
        assertEquals("a".repeat(128), keys.callerOf("secret-key-123456", "a".repeat(128)).username());
    }

    /** Keys are compared as digests: a near miss (a prefix, one character off, a longer key) is no key. */
    @Test
    void onlyTheExactKeyAuthenticatesItsBusiness() {
        ApiKeys keys = keys("acme:secret-key-123456,globex:other-key-abcdef");
        assertEquals("acme", keys.callerOf("secret-key-123456", "a").business());
        assertEquals("globex", keys.callerOf("other-key-abcdef", "a").business());
        for (String near : new String[] {"secret-key-12345", "secret-key-123457", "secret-key-1234567", "SECRET-KEY-123456", ""}) {
            assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(ApiException.class, () -> keys.callerOf(near, "a")).code(), near);
            assertTrue(keys.bucketOf(near).isEmpty(), near);
        }
        assertEquals(keys.bucketOf("secret-key-123456"), keys.bucketOf("secret-key-123456"));
        assertTrue(keys.bucketOf("secret-key-123456").orElseThrow().matches("\\{acme}:key:[0-9a-f]{32}"));
        assertNotEquals(keys.bucketOf("secret-key-123456"), keys.bucketOf("other-key-abcdef"));
        assertTrue(keys.bucketOf(null).isEmpty());
    }

    @Test
    void withoutKeysEveryCallIsUnauthorized() {
        ApiKeys keys = keys(null);
        assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(ApiException.class, () -> keys.callerOf("", "a")).code());
    }

    private static ApiKeys keys(String setting) {
        ApiKeys keys = new ApiKeys();
        keys.setting = Optional.ofNullable(setting);
        keys.load();
        return keys;
    }
}
