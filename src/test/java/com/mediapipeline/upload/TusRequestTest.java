package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TusRequestTest {

    private static final String ID = "7d3f0a52-52d1-4b2e-9b6b-0a8e0e2f8c11";
    private static final Map<String, String> PATCH_HEADERS =
            Map.of("Content-Type", "application/offset+octet-stream", "Upload-Offset", "0");

    @Test
    void collectionAndUploadPaths() {
        assertNull(TusRequest.parse("/api/v1/uploads", "POST", Map.<String, String>of()::get).uploadId());
        assertNull(TusRequest.parse("/api/v1/uploads/", "POST", Map.<String, String>of()::get).uploadId());
        TusRequest patch = TusRequest.parse("/api/v1/uploads/" + ID, "PATCH", PATCH_HEADERS::get);
        assertEquals(ID, patch.uploadId());
        assertTrue(patch.writes());
        assertFalse(TusRequest.parse("/api/v1/uploads/" + ID, "HEAD", Map.<String, String>of()::get).writes());
    }

    /** An override decides the lock too: one that names no TUS method is refused, never passed on. */
    @Test
    void aMethodOverrideMustNameATusMethod() {
        for (String override : new String[] {"X", "GET", "PUT", "PATCH2", "PATCH X"}) {
            ApiException e = assertThrows(ApiException.class, () -> TusRequest.parse("/api/v1/uploads/" + ID, "PATCH",
                    Map.of("X-HTTP-Method-Override", override, "Content-Type", "application/offset+octet-stream")::get));
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), override);
        }
        TusRequest overridden = TusRequest.parse("/api/v1/uploads/" + ID, "POST",
                Map.of("X-HTTP-Method-Override", " patch ", "Content-Type", "application/offset+octet-stream", "Upload-Offset", "0")::get);
        assertEquals("PATCH", overridden.method());
        assertTrue(overridden.writes());
    }

    /** Every request that streams upload bytes counts against the business's stream slots, creations with upload too. */
    @Test
    void creationsWithUploadStreamLikePatches() {
        Map<String, String> octets = Map.of("Content-Type", "application/offset+octet-stream", "Upload-Length", "5");
        assertTrue(TusRequest.parse("/api/v1/uploads/", "POST", octets::get).streams());
        assertFalse(TusRequest.parse("/api/v1/uploads/", "POST", Map.of("Upload-Length", "5")::get).streams());
        assertTrue(TusRequest.parse("/api/v1/uploads/" + ID, "PATCH", PATCH_HEADERS::get).streams());
        assertFalse(TusRequest.parse("/api/v1/uploads/" + ID, "HEAD", Map.<String, String>of()::get).streams());
    }

    @Test
    void idsTheServiceDidNotMakeAreNotFound() {
        for (String id : new String[] {"..", "../etc/passwd", "1-1-1-1-1", ID.toUpperCase(), ID + "/x", ID + "%00"}) {
            ApiException e = assertThrows(ApiException.class,
                    () -> TusRequest.parse("/api/v1/uploads/" + id, "HEAD", Map.<String, String>of()::get));
            assertEquals(ErrorCode.NOT_FOUND, e.code(), id);
        }
    }

    @Test
    void methodOverrideDecidesTheMethod() {
        TusRequest request = TusRequest.parse("/api/v1/uploads/" + ID, "POST",
                Map.of("X-HTTP-Method-Override", "patch", "Content-Type", "application/offset+octet-stream", "Upload-Offset", "0")::get);
        assertEquals("PATCH", request.method());
    }

    @Test
    void patchWithAnotherContentTypeIs415() {
        ApiException e = assertThrows(ApiException.class, () -> TusRequest.parse("/api/v1/uploads/" + ID, "PATCH",
                Map.of("Content-Type", "application/octet-stream")::get));
        assertEquals(415, e.code().status());
    }

    @Test
    void checksumHeaderMustBeAKnownAlgorithmAndBase64() {
        TusRequest.parse("/api/v1/uploads/" + ID, "HEAD", Map.of("Upload-Checksum", "sha256 q83vEjRWeJA=")::get);
        for (String bad : new String[] {"sha1 ../../x", "crc32 AAAA", "sha1", "sha1 a b"}) {
            ApiException e = assertThrows(ApiException.class, () -> TusRequest.parse("/api/v1/uploads/" + ID, "HEAD",
                    Map.of("Upload-Checksum", bad)::get));
            assertEquals(ErrorCode.INVALID_CHECKSUM, e.code(), bad);
        }
    }

    @Test
    void lengthsAndOffsetsAreNonNegativeLongs() {
        for (String bad : new String[] {"-1", "abc", "1.5", "99999999999999999999"}) {
            assertThrows(ApiException.class, () -> TusRequest.parse("/api/v1/uploads", "POST",
                    Map.of("Upload-Length", bad)::get), bad);
        }
        TusRequest.parse("/api/v1/uploads", "POST", Map.of("Upload-Length", Long.toString(Long.MAX_VALUE))::get);
    }

    @Test
    void metadataIsKeyBase64PairsOfBoundedSize() {
        for (String good : new String[] {"filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==", "is_confidential",
                "filename YS5i,filetype dGV4dC9wbGFpbg==,empty"}) {
            TusRequest.parse("/api/v1/uploads", "POST", Map.of("Upload-Metadata", good)::get);
        }
        for (String bad : new String[] {"filename not base64!", "a b c", ",", "filename YQ==,,x", "k " + "A".repeat(5000)}) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ApiException.class, () -> TusRequest.parse("/api/v1/uploads",
                    "POST", Map.of("Upload-Metadata", bad)::get), bad).code());
        }
    }
}
