package com.mediapipeline.upload;

import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static com.mediapipeline.testing.Api.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The TUS concatenation extension in raw HTTP (https://tus.io/protocols/resumable-upload);
 * UploadSafetyIT covers which parts a final upload may take.
 */
class ConcatenationIT extends ServiceIT {

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
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));
    }

    private String createPartial(long length) {
        HttpResponse<String> response = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", Long.toString(length)).header("Upload-Concat", "partial"));
        assertEquals(201, response.statusCode(), response.body());
        return response.headers().firstValue("Location").orElseThrow();
    }
}
