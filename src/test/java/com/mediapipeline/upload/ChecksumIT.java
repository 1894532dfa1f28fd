package com.mediapipeline.upload;

import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The TUS checksum extension in raw HTTP: Upload-Checksum is verified, with every advertised
 * algorithm (https://tus.io/protocols/resumable-upload).
 */
class ChecksumIT extends ServiceIT {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    /** Checksum extension: a mismatch is 460 and the bytes of that PATCH are discarded. */
    @Test
    void checksumMismatchIs460AndKeepsNoneOfThePatch() {
        String upload = acme.create(5, null, null);
        HttpResponse<String> response = send(acme.patchRequest(upload, 0, HELLO)
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
            HttpResponse<String> response = send(acme.patchRequest(upload, 0, HELLO)
                    .header("Upload-Checksum", name + " " + digest(jca, "hello")));
            assertEquals(204, response.statusCode(), name + ": " + response.body());
        });
    }

    /** The checksum header names no file: a value with path characters is refused before use. */
    @Test
    void malformedChecksumHeaderIs400() {
        String upload = acme.create(5, null, null);
        assertError(send(acme.patchRequest(upload, 0, HELLO).header("Upload-Checksum", "sha1 ../../etc/passwd")),
                400, "invalid_checksum");
        assertError(send(acme.patchRequest(upload, 0, HELLO).header("Upload-Checksum", "crc32 AAAA")),
                400, "invalid_checksum");
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
