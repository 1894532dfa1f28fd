package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static com.mediapipeline.testing.Api.OCTET_STREAM;
import static com.mediapipeline.testing.Api.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * TUS 1.0.0 PATCH in raw HTTP: offsets, content type, ids, the writer's lock, lengths, the method
 * override (https://tus.io/protocols/resumable-upload).
 */
class UploadPatchIT extends ServiceIT {

    /** "If the offsets do not match, the Server MUST respond with the 409 Conflict status." */
    @Test
    void patchWithWrongOffsetIs409() {
        String upload = acme.create(10, null, null);
        HttpResponse<String> response = acme.patch(upload, 3, new byte[7]);
        assertError(response, 409, "offset_mismatch");
        assertEquals("0", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
    }

    /**
     * A refused PATCH gives its lock back before its answer leaves: the client's next PATCH, sent the
     * moment it reads the 409, must not meet a 423.
     */
    @Test
    void aRefusedPatchHasGivenItsLockBackWhenItsAnswerArrives() {
        String upload = acme.create(10, null, null);
        String id = Api.idOf(upload);
        for (int i = 0; i < 20; i++) {
            assertError(acme.patch(upload, 3, new byte[7]), 409, "offset_mismatch");
            assertFalse(TestRedis.isLocked(id), "the lock of the refused PATCH " + i + " is still held after its answer");
        }
        assertEquals(204, acme.patch(upload, 0, new byte[10]).statusCode());
    }

    /** "All PATCH requests MUST use Content-Type: application/offset+octet-stream, otherwise 415." */
    @Test
    void patchWithWrongContentTypeIs415() {
        String upload = acme.create(4, null, null);
        HttpResponse<String> response = send(acme.request(upload)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("data"))
                .header("Content-Type", "text/plain").header("Upload-Offset", "0"));
        assertError(response, 415, "unsupported_media_type");
    }

    /** "If the resource is not found, the Server SHOULD return 404" — also for ids it never made. */
    @Test
    void unknownOrMalformedIdIs404() {
        assertError(acme.patch(acme.uploadsUrl() + "7d3f0a52-52d1-4b2e-9b6b-0a8e0e2f8c11", 0, new byte[1]), 404, "not_found");
        // the container resolves the encoded slashes when it maps the path, which then leaves the uploads:
        // no TUS filter, and the default servlet has no PATCH; nothing is served
        assertError(acme.patch(acme.uploadsUrl() + "..%2F..%2Fetc%2Fpasswd", 0, new byte[1]), 501, "not_implemented");
        assertError(acme.patch(acme.uploadsUrl() + "7D3F0A52-52D1-4B2E-9B6B-0A8E0E2F8C11", 0, new byte[1]), 404, "not_found");
        assertEquals(404, acme.head(acme.uploadsUrl() + "1-1-1-1-1").statusCode());
    }

    /**
     * A PATCH whose client stalls holds the lock only until it times out; then the upload resumes
     * from another request, and the stalled one, should it wake, writes nothing more.
     */
    @Test
    void aStalledPatchLosesItsLockAndTheUploadResumes() throws Exception {
        int size = 1024 * 1024;
        String upload = acme.create(size, null, null);
        try (Socket stalled = acme.openPatch(upload, size)) {
            stalled.getOutputStream().write(new byte[100_000]);
            stalled.getOutputStream().flush();
            TestRedis.awaitLocked(Api.idOf(upload));
            assertError(acme.patch(upload, 0, SlowBody.pattern(size)), 423, "locked");

            TestRedis.awaitUnlocked(Api.idOf(upload));
            assertEquals("0", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
            assertEquals(204, acme.patch(upload, 0, SlowBody.pattern(size)).statusCode());

            stalled.getOutputStream().write(new byte[size - 100_000]);
            stalled.getOutputStream().flush();
            Api.answerHead(stalled, Duration.ofSeconds(15));
        }
        assertArrayEquals(SlowBody.pattern(size), acme.downloaded(upload));
    }

    /** A PATCH longer than announced: with Content-Length it is refused; streamed, the excess is not stored. */
    @Test
    void bytesBeyondTheUploadLengthAreNeverStored() {
        String upload = acme.create(10, null, null);
        assertError(acme.patch(upload, 0, new byte[11]), 413, "too_large");
        HttpResponse<String> streamed = send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(SlowBody.pattern(64))))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0"));
        assertEquals("10", streamed.headers().firstValue("Upload-Offset").orElse(streamed.statusCode() + " without Upload-Offset"),
                streamed.body());
        assertArrayEquals(java.util.Arrays.copyOf(SlowBody.pattern(64), 10), acme.downloaded(upload));
    }

    @Test
    void methodOverrideTurnsPostIntoPatch() {
        String upload = acme.create(3, null, null);
        HttpResponse<String> response = send(acme.request(upload).POST(HttpRequest.BodyPublishers.ofString("xyz"))
                .header("X-HTTP-Method-Override", "PATCH").header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0"));
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("3", response.headers().firstValue("Upload-Offset").orElseThrow());
    }
}
