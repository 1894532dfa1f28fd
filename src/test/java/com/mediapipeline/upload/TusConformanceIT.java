package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static com.mediapipeline.testing.Api.OCTET_STREAM;
import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers where the public TUS conformance suite (sagikazarmark/tus-compliance-tests), tusd and
 * the spec's examples agree and tus-java-server's defaults did not: each case here in our own words.
 */
class TusConformanceIT extends ServiceIT {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    /**
     * The spec's HEAD example answers "200 OK" with "Cache-Control: no-store"; an unfinished upload
     * also tells when it expires (in the RFC 9110 date format), as tusd does, a finished one does not.
     */
    @Test
    void headIs200AndNeverCached() {
        String upload = acme.create(10, null, null);
        HttpResponse<String> head = acme.head(upload);
        assertEquals(200, head.statusCode());
        assertEquals("no-store", head.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("0", head.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("10", head.headers().firstValue("Upload-Length").orElseThrow());
        ZonedDateTime expires = ZonedDateTime.parse(head.headers().firstValue("Upload-Expires").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME);
        assertTrue(expires.isAfter(ZonedDateTime.now()), expires.toString());
        assertEquals(204, acme.patch(upload, 0, new byte[10]).statusCode());
        assertTrue(acme.head(upload).headers().firstValue("Upload-Expires").isEmpty(), "a finished upload does not expire as unfinished");
    }

    /** OPTIONS may be 200 or 204; 200 as tusd. Unfinished partials are refused, so that extension is not offered. */
    @Test
    void optionsIs200AndOffersOnlyWhatIsServed() {
        HttpResponse<String> options = send(Api.anonymous(base).request(acme.uploadsUrl())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, options.statusCode());
        String extensions = options.headers().firstValue("Tus-Extension").orElseThrow();
        assertFalse(extensions.contains("concatenation-unfinished"), extensions);
    }

    @Test
    void patchWithoutUploadOffsetIs400() {
        String upload = acme.create(5, null, null);
        assertError(send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(HELLO))
                .header("Content-Type", OCTET_STREAM)), 400, "bad_request");
        assertEquals("0", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** "The Server MUST respond with 409 Conflict" and, as tusd, tells the offset to resume from. */
    @Test
    void wrongOffsetIs409WithTheCurrentOffset() {
        String upload = acme.create(10, null, null);
        assertEquals(204, acme.patch(upload, 0, HELLO).statusCode());
        HttpResponse<String> conflict = acme.patch(upload, 2, HELLO);
        assertError(conflict, 409, "offset_mismatch");
        assertEquals("5", conflict.headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** A PATCH whose Content-Length runs past Upload-Length is too large for the upload: 413, as tusd. */
    @Test
    void patchPastTheLengthIs413() {
        String upload = acme.create(3, null, null);
        assertError(acme.patch(upload, 0, HELLO), 413, "too_large");
        assertEquals("0", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** concatenation: "the Server MUST respond with 403 Forbidden" to a PATCH of a final upload, whatever its offset. */
    @Test
    void patchOfAFinalUploadIs403EvenAtAWrongOffset() {
        String part = acme.createWith("Upload-Length", "5", "Upload-Concat", "partial");
        assertEquals(204, acme.patch(part, 0, HELLO).statusCode());
        String fin = acme.createWith("Upload-Concat", "final;" + part);
        assertError(acme.patch(fin, 0, HELLO), 403, "final_upload_not_patchable");
        assertError(acme.patch(fin, 5, HELLO), 403, "final_upload_not_patchable");
    }

    @Test
    void finalNamingAnotherServersUploadIs400() {
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Concat", "final;http://elsewhere.example/files/abc")), 400, "bad_request");
    }

    /** creation-defer-length: "once Upload-Length has been set, it MUST NOT be changed". */
    @Test
    void aDeclaredLengthCannotChange() {
        String upload = acme.createWith("Upload-Defer-Length", "1");
        assertEquals(204, send(acme.patchRequest(upload, 0, HELLO).header("Upload-Length", "100")).statusCode());
        assertError(send(acme.patchRequest(upload, 5, HELLO).header("Upload-Length", "200")), 400, "inconsistent_length");
        assertEquals(204, send(acme.patchRequest(upload, 5, HELLO).header("Upload-Length", "100")).statusCode(),
                "the same length again is no change");
        assertEquals("100", acme.head(upload).headers().firstValue("Upload-Length").orElseThrow());
        assertEquals("10", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** creation-with-upload: a body that is not application/offset+octet-stream is refused, not silently dropped. */
    @Test
    void creationBodyOfAnotherTypeIs415() {
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.ofByteArray(HELLO))
                .header("Upload-Length", "5").header("Content-Type", "text/plain")), 415, "unsupported_media_type");
        HttpResponse<String> empty = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "5").header("Content-Type", "text/plain"));
        assertEquals(201, empty.statusCode(), "a type without a body is harmless: " + empty.body());
    }
}
