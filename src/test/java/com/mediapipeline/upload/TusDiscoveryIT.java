package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a TUS client learns of the server before it uploads, in raw HTTP: the version it speaks
 * (Tus-Resumable, Tus-Version) and, from OPTIONS, its extensions and checksum algorithms
 * (https://tus.io/protocols/resumable-upload).
 */
class TusDiscoveryIT extends ServiceIT {

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

    @Test
    void optionsNeedsNoAuthenticationAndAdvertisesTheExtensions() {
        HttpResponse<String> response = send(Api.anonymous(base).request(acme.uploadsUrl())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, response.statusCode());
        String extensions = response.headers().firstValue("Tus-Extension").orElseThrow();
        for (String extension : new String[] {"creation", "creation-with-upload", "creation-defer-length",
                "termination", "checksum", "expiration", "concatenation"}) {
            assertTrue(extensions.contains(extension), extensions);
        }
        assertEquals("md5,sha1,sha256,sha384,sha512", response.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow());
    }
}
