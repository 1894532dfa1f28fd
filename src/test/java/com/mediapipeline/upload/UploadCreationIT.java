package com.mediapipeline.upload;

import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static com.mediapipeline.testing.Api.OCTET_STREAM;
import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TUS 1.0.0 creation in raw HTTP, with the creation-with-upload and creation-defer-length
 * extensions: lengths, metadata, the maximum size, Location (https://tus.io/protocols/resumable-upload).
 */
class UploadCreationIT extends ServiceIT {

    /** "If the length of the upload exceeds the maximum, the Server MUST respond with 413." */
    @Test
    void uploadLargerThanMaxSizeIs413() {
        HttpResponse<String> response = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", Long.toString(TestEnvironment.MAX_UPLOAD_SIZE + 1)));
        assertError(response, 413, "too_large");
        HttpResponse<String> options = send(acme.request(acme.uploadsUrl()).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(Long.toString(TestEnvironment.MAX_UPLOAD_SIZE), options.headers().firstValue("Tus-Max-Size").orElseThrow());
    }

    @Test
    void negativeOrNonNumericLengthsAndOffsetsAre400() {
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "-5")), 400, "bad_request");
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "99999999999999999999999")), 400, "bad_request");
        String upload = acme.create(5, null, null);
        assertError(send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofString("hello"))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "abc")), 400, "bad_request");
    }

    @Test
    void oversizedOrMalformedMetadataIs400() {
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1").header("Upload-Metadata", "filename " + "QUFB".repeat(1100))), 400, "bad_request");
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1").header("Upload-Metadata", "filename <script>")), 400, "bad_request");
    }

    /** creation-with-upload: the POST body is stored and the answer says how much. */
    @Test
    void creationWithUploadStoresTheBody() {
        HttpResponse<String> response = send(acme.request(acme.uploadsUrl())
                .POST(HttpRequest.BodyPublishers.ofString("hello world"))
                .header("Upload-Length", "11").header("Content-Type", OCTET_STREAM));
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("11", response.headers().firstValue("Upload-Offset").orElseThrow());
        String upload = response.headers().firstValue("Location").orElseThrow();
        assertEquals("11", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));
    }

    /** creation-defer-length: the length may come with a later PATCH. */
    @Test
    void deferredLengthIsDeclaredLater() {
        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Defer-Length", "1"));
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertEquals("1", acme.head(upload).headers().firstValue("Upload-Defer-Length").orElseThrow());
        assertEquals(204, acme.patch(upload, 0, "abc".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(204, send(acme.patchRequest(upload, 3, "def".getBytes(StandardCharsets.UTF_8))
                .header("Upload-Length", "6")).statusCode());
        assertArrayEquals("abcdef".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));
    }

    /**
     * Forwarded headers count only from a proxy in mediapipeline.trusted-proxies (none here): from
     * anyone else they would let a client point Location elsewhere. FairUseIT covers a trusted proxy.
     */
    @Test
    void locationIgnoresForwardedHeadersOfAnUntrustedPeer() {
        HttpResponse<String> response = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "uploads.example.com"));
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(acme.uploadsUrl()), location);
        assertTrue(location.matches(".*/api/v1/uploads/[0-9a-f-]{36}"), location);
        assertTrue(response.headers().firstValue("Upload-Expires").isPresent());
    }
}
