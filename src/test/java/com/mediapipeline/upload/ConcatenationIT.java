package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.mediapipeline.testing.Api.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The TUS concatenation extension in raw HTTP (https://tus.io/protocols/resumable-upload);
 * UploadSafetyIT covers which parts a final upload may take.
 */
class ConcatenationIT extends ServiceIT {

    /**
     * concatenation: a final upload is the parts' bytes in order, and downloads as one file. Analytics
     * count the bytes once, as the parts received them; the final received none of its own.
     */
    @Test
    void concatenationJoinsPartialUploads() {
        Api user = acme.as("concat-" + UUID.randomUUID().toString().substring(0, 8));
        String first = createPartial(user, 6);
        String second = createPartial(user, 5);
        assertEquals(204, user.patch(first, 0, "hello ".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(204, user.patch(second, 0, "world".getBytes(StandardCharsets.UTF_8)).statusCode());
        HttpResponse<String> created = send(user.request(user.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Concat", "final;" + first + " " + second));
        assertEquals(201, created.statusCode(), created.body());
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertEquals("11", user.head(upload).headers().firstValue("Upload-Length").orElseThrow());
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), user.downloaded(upload));
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        HttpResponse<String> analytics = send(user.request("/api/v1/analytics?interval=PT1H&from=" + hour.minus(Duration.ofHours(1))
                + "&to=" + hour.plus(Duration.ofHours(2)) + "&username=" + user.credentials()[3]).GET());
        assertEquals(200, analytics.statusCode(), analytics.body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) Api.json(analytics.body()).get("rows");
        assertEquals(11, rows.stream().mapToLong(row -> ((Number) row.get("bytes_received")).longValue()).sum(), analytics.body());
        assertEquals(11, rows.stream().mapToLong(row -> ((Number) row.get("bytes_stored")).longValue()).sum(), analytics.body());
    }

    private static String createPartial(Api user, long length) {
        HttpResponse<String> response = send(user.request(user.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", Long.toString(length)).header("Upload-Concat", "partial"));
        assertEquals(201, response.statusCode(), response.body());
        return response.headers().firstValue("Location").orElseThrow();
    }
}
