package com.mediapipeline.health;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What ops look at: health checks, metrics, the OpenAPI document, and the access log. */
class ObservabilityIT extends ServiceIT {

    @Test
    void readinessChecksRedisAndStorageAndLivenessIsUp() {
        HttpResponse<String> ready = Api.send(HttpRequest.newBuilder(root("/health/ready")).GET());
        assertEquals(200, ready.statusCode(), ready.body());
        Map<String, Object> body = Api.json(ready.body());
        assertEquals("UP", body.get("status"));
        List<?> checks = (List<?>) body.get("checks");
        assertTrue(checks.toString().contains("name=redis") && checks.toString().contains("name=storage"), checks.toString());
        HttpResponse<String> live = Api.send(HttpRequest.newBuilder(root("/health/live")).GET());
        assertEquals("UP", Api.json(live.body()).get("status"));
    }

    @Test
    void metricsCountUploadsAndBytes() {
        String upload = acme.create(1000, null, null);
        acme.patch(upload, 0, new byte[1000]);
        String metrics = Api.send(HttpRequest.newBuilder(root("/metrics")).GET()).body();
        for (String name : List.of("uploads_created_total", "uploads_completed_total", "uploads_bytes_received_bytes_total",
                "uploads_active", "ratelimit_rejected_total")) {
            assertTrue(metrics.contains(name), name + " in\n" + metrics.lines().filter(l -> l.contains("upload")).toList());
        }
        assertTrue(value(metrics, "uploads_bytes_received_bytes_total") >= 1000);
    }

    @Test
    void openApiDescribesEveryEndpoint() {
        String openapi = Api.send(HttpRequest.newBuilder(root("/openapi")).GET()).body();
        for (String path : List.of("/api/v1/uploads/:", "/api/v1/uploads/{id}:", "/api/v1/uploads/meta/{token}/status",
                "/api/v1/storage/{fileId}", "/api/v1/ws/tickets", "/api/v1/ws/{id}:", "/api/v1/analytics")) {
            assertTrue(openapi.contains(path), path + " in\n" + openapi);
        }
    }

    /** One line per request with upload, business and user, and never an API key. */
    @Test
    void theAccessLogNamesTheUploadAndCallerButNeverTheKey() throws Exception {
        String upload = acme.create(5, null, null);
        acme.patch(upload, 0, new byte[5]);
        String id = Api.idOf(upload);
        Await.until(Duration.ofSeconds(10), "an access line for the PATCH in the log", () -> payaraLog().stream()
                .filter(line -> line.contains("access method=PATCH") && line.contains("upload=" + id)
                        && line.contains("business=acme") && line.contains("user=alice") && line.contains("status=204"))
                .findFirst(), Optional::isPresent);
        List<String> log = payaraLog();
        assertFalse(log.stream().anyMatch(line -> line.contains(TestEnvironment.ACME_KEY)), "API keys are never logged");
    }

    private java.net.URI root(String path) {
        return java.net.URI.create(acme.url("").replaceFirst("(//[^/]+)/.*", "$1") + path);
    }

    private static double value(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static List<String> payaraLog() throws Exception {
        Path target = Path.of(System.getProperty("it.work.dir")).getParent();
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().startsWith("payara-it.log"))
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream();
                        } catch (java.io.IOException e) {
                            return Stream.empty();
                        }
                    }).toList();
        }
    }
}
