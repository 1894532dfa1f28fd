package com.mediapipeline.progress;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The listing's query parameters and cursor, and how an upload is named in the indexes. */
class UploadListingTest {

    @Test
    void defaultsAndBounds() {
        UploadListing.Query query = UploadListing.Query.of(null, null, null, null);
        assertEquals(UploadListing.DEFAULT_LIMIT, query.limit());
        assertNull(query.after());
        assertEquals(1, UploadListing.Query.of(null, null, "1", null).limit());
        assertEquals(500, UploadListing.Query.of("failed", "alice@example.com", "500", "").limit());
        for (String limit : new String[] {"0", "501", "-1", "", "1.5", "99999999999"}) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ApiException.class, () -> UploadListing.Query.of(null, null, limit, null)).code(), limit);
        }
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ApiException.class, () -> UploadListing.Query.of("done", null, null, null)).code());
        assertEquals(ErrorCode.INVALID_USERNAME, assertThrows(ApiException.class, () -> UploadListing.Query.of(null, "a:b", null, null)).code());
    }

    /** A cursor carries the index member of the last upload of a page, and nothing else passes. */
    @Test
    void cursorsAreMembersOnly() {
        String member = UploadIndex.member(UUID.randomUUID().toString(), Instant.ofEpochMilli(1_764_000_000_123L));
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(member.getBytes(StandardCharsets.UTF_8));
        assertEquals(member, UploadListing.Query.of(null, null, null, cursor).after());
        for (String bad : new String[] {"%%", "bm90LWEtY3Vyc29y", encode("1764000000123:not-an-id"), encode("17640:" + UUID.randomUUID()),
                encode(member + "x"), encode(member.toUpperCase())}) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ApiException.class, () -> UploadListing.Query.of(null, null, null, bad)).code(), bad);
        }
    }

    @Test
    void membersSortByCreationTime() {
        String id = "0a1b2c3d-0000-4000-8000-000000000000";
        assertEquals("0000000000042:" + id, UploadIndex.member(id, Instant.ofEpochMilli(42)));
        assertEquals(id, UploadIndex.idOf(UploadIndex.member(id, Instant.ofEpochMilli(42))));
        String earlier = UploadIndex.member("ffffffff-0000-4000-8000-000000000000", Instant.ofEpochMilli(999));
        String later = UploadIndex.member(id, Instant.ofEpochMilli(1000));
        assertEquals(-1, Integer.signum(earlier.compareTo(later)));
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
