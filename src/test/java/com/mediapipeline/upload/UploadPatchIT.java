package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import static com.mediapipeline.testing.Api.OCTET_STREAM;
import static com.mediapipeline.testing.Api.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TUS 1.0.0 status codes and extensions, spoken in raw HTTP (https://tus.io/protocols/resumable-upload). */
class UploadPatchIT extends ServiceIT {

    /** "If the offsets do not match, the Server MUST respond with the 409 Conflict status." */
    @Test
    void patchWithWrongOffsetIs409() {
        String upload = acme.create(10, null, null);
        HttpResponse<String> response = acme.patch(upload, 3, new byte[7]);
        assertError(response, 409, "offset_mismatch");
        assertEquals("0", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** "If the version is not supported, the Server MUST respond with 412 and include Tus-Version." */
    @Test
    void unsupportedTusVersionIs412WithTusVersion() {
        String upload = acme.create(10, null, null);
        HttpResponse<String> response = send(acme.request(upload).setHeader("Tus-Resumable", "0.2.2")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(412, response.statusCode());
        assertEquals("1.0.0", response.headers().firstValue("Tus-Version").orElseThrow());
        assertError(send(acme.request(acme.uploadsUrl()).setHeader("Tus-Resumable", "0.2.2")
                .POST(HttpRequest.BodyPublishers.noBody()).header("Upload-Length", "1")), 412, "unsupported_version");
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

    /** Checksum extension: a mismatch is 460 and the bytes of that PATCH are discarded. */
    @Test
    void checksumMismatchIs460AndKeepsNoneOfThePatch() {
        String upload = acme.create(5, null, null);
        HttpResponse<String> response = send(patchRequest(upload, 0, "hello")
                .header("Upload-Checksum", "sha256 " + digest("SHA-256", "other")));
        assertError(response, 460, "checksum_mismatch");
        assertEquals("0", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    void everyAdvertisedChecksumAlgorithmIsVerified() {
        Map<String, String> algorithms = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256",
                "sha384", "SHA-384", "sha512", "SHA-512");
        algorithms.forEach((name, jca) -> {
            String upload = acme.create(5, null, null);
            HttpResponse<String> response = send(patchRequest(upload, 0, "hello")
                    .header("Upload-Checksum", name + " " + digest(jca, "hello")));
            assertEquals(204, response.statusCode(), name + ": " + response.body());
        });
    }

    /** The checksum header names no file: a value with path characters is refused before use. */
    @Test
    void malformedChecksumHeaderIs400() {
        String upload = acme.create(5, null, null);
        assertError(send(patchRequest(upload, 0, "hello").header("Upload-Checksum", "sha1 ../../etc/passwd")),
                400, "invalid_checksum");
        assertError(send(patchRequest(upload, 0, "hello").header("Upload-Checksum", "crc32 AAAA")),
                400, "invalid_checksum");
    }

    /** "If the length of the upload exceeds the maximum, the Server MUST respond with 413." */
    @Test
    void uploadLargerThanMaxSizeIs413() {
        HttpResponse<String> response = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", Long.toString(TestEnvironment.MAX_UPLOAD_SIZE + 1)));
        assertError(response, 413, "too_large");
        HttpResponse<String> options = send(acme.request(acme.uploadsUrl()).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(Long.toString(TestEnvironment.MAX_UPLOAD_SIZE), options.headers().firstValue("Tus-Max-Size").orElseThrow());
    }

    /** "If the resource is not found, the Server SHOULD return 404" — also for ids it never made. */
    @Test
    void unknownOrMalformedIdIs404() {
        assertError(acme.patch(acme.uploadsUrl() + "7d3f0a52-52d1-4b2e-9b6b-0a8e0e2f8c11", 0, new byte[1]), 404, "not_found");
        HttpResponse<String> traversal = acme.patch(acme.uploadsUrl() + "..%2F..%2Fetc%2Fpasswd", 0, new byte[1]);
        assertTrue(traversal.statusCode() >= 400, "the container may refuse an encoded slash itself, but never serve it");
        assertTrue(Api.json(traversal.body()).containsKey("error"), traversal.body());
        assertError(acme.patch(acme.uploadsUrl() + "7D3F0A52-52D1-4B2E-9B6B-0A8E0E2F8C11", 0, new byte[1]), 404, "not_found");
        assertEquals(404, acme.head(acme.uploadsUrl() + "1-1-1-1-1").statusCode());
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
            Thread.sleep(300);
            assertError(acme.patch(upload, 0, SlowBody.pattern(size)), 423, "locked");

            Thread.sleep(TestEnvironment.LOCK_TIMEOUT_SECONDS * 1000L + 500);
            assertEquals("0", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
            assertEquals(204, acme.patch(upload, 0, SlowBody.pattern(size)).statusCode());

            stalled.getOutputStream().write(new byte[size - 100_000]);
            stalled.getOutputStream().flush();
            Thread.sleep(500);
        }
        assertArrayEquals(SlowBody.pattern(size), acme.download(Api.idOf(upload)).body());
    }

    @Test
    void oversizedOrMalformedMetadataIs400() {
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1").header("Upload-Metadata", "filename " + "QUFB".repeat(1100))), 400, "bad_request");
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1").header("Upload-Metadata", "filename <script>")), 400, "bad_request");
    }

    /** A PATCH longer than announced: with Content-Length it is refused; streamed, the excess is not stored. */
    @Test
    void bytesBeyondTheUploadLengthAreNeverStored() {
        String upload = acme.create(10, null, null);
        assertError(acme.patch(upload, 0, new byte[11]), 400, "bad_request");
        HttpResponse<String> streamed = send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(SlowBody.pattern(64))))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0"));
        assertEquals("10", streamed.headers().firstValue("Upload-Offset").orElseThrow(), streamed.body());
        assertArrayEquals(java.util.Arrays.copyOf(SlowBody.pattern(64), 10), download(upload));
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
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), download(upload));
    }

    /** creation-defer-length: the length may come with a later PATCH. */
    @Test
    void deferredLengthIsDeclaredLater() {
        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Defer-Length", "1"));
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertEquals("1", acme.head(upload).headers().firstValue("Upload-Defer-Length").orElseThrow());
        assertEquals(204, acme.patch(upload, 0, "abc".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(204, send(patchRequest(upload, 3, "def").header("Upload-Length", "6")).statusCode());
        assertArrayEquals("abcdef".getBytes(StandardCharsets.UTF_8), download(upload));
    }

    @Test
    void methodOverrideTurnsPostIntoPatch() {
        String upload = acme.create(3, null, null);
        HttpResponse<String> response = send(acme.request(upload).POST(HttpRequest.BodyPublishers.ofString("xyz"))
                .header("X-HTTP-Method-Override", "PATCH").header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0"));
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("3", response.headers().firstValue("Upload-Offset").orElseThrow());
    }

    /** termination: "the Server SHOULD free resources, and MUST respond 204"; later requests get 404. */
    @Test
    void terminationRemovesTheUpload() {
        String upload = acme.create(3, null, null);
        assertEquals(204, send(acme.request(upload).DELETE()).statusCode());
        assertEquals(404, acme.head(upload).statusCode());
        assertEquals(404, acme.status(Api.idOf(upload)).statusCode());
    }

    /** concatenation: a final upload is the parts' bytes in order, and downloads as one file. */
    @Test
    void concatenationJoinsPartialUploads() {
        String first = createPartial(6);
        String second = createPartial(5);
        assertEquals(204, acme.patch(first, 0, "hello ".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(204, acme.patch(second, 0, "world".getBytes(StandardCharsets.UTF_8)).statusCode());
        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Concat", "final;" + first + " " + second));
        assertEquals(201, created.statusCode(), created.body());
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertEquals("11", acme.head(upload).headers().firstValue("Upload-Length").orElseThrow());
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), download(upload));
    }

    @Test
    void optionsNeedsNoAuthenticationAndAdvertisesTheExtensions() {
        HttpResponse<String> response = send(Api.anonymous(base).request(acme.uploadsUrl())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, response.statusCode());
        String extensions = response.headers().firstValue("Tus-Extension").orElseThrow();
        for (String extension : new String[] {"creation", "creation-with-upload", "creation-defer-length",
                "termination", "checksum", "expiration", "concatenation"}) {
            assertTrue(extensions.contains(extension), extensions);
        }
        assertEquals("md5,sha1,sha256,sha384,sha512", response.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow());
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

    @Test
    void corsPreflightIsAnsweredAndTusHeadersAreExposed() {
        HttpResponse<String> preflight = send(Api.anonymous(base).request(acme.uploadsUrl())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "x-api-key, x-username, upload-offset"));
        assertEquals(204, preflight.statusCode());
        String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
        assertTrue(allowed.contains("X-API-KEY") && allowed.contains("X-Username") && allowed.contains("Upload-Offset"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("PATCH"));

        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1").header("Origin", "https://app.example.com"));
        assertEquals("*", created.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        String exposed = created.headers().firstValue("Access-Control-Expose-Headers").orElseThrow();
        assertTrue(exposed.contains("Location") && exposed.contains("Upload-Offset") && exposed.contains("Tus-Resumable"));
    }

    private String createPartial(long length) {
        HttpResponse<String> response = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", Long.toString(length)).header("Upload-Concat", "partial"));
        assertEquals(201, response.statusCode(), response.body());
        return response.headers().firstValue("Location").orElseThrow();
    }

    private HttpRequest.Builder patchRequest(String upload, long offset, String body) {
        return acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", Long.toString(offset));
    }

    private byte[] download(String upload) {
        HttpResponse<byte[]> response = acme.download(Api.idOf(upload));
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static String digest(String algorithm, String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
