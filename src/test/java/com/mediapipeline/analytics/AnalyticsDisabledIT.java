package com.mediapipeline.analytics;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code mediapipeline.analytics.enabled=false}: status writes count nothing, and the endpoint says so with 503. */
class AnalyticsDisabledIT {

    private static final String BUSINESS = "quiet" + System.nanoTime();
    private static final String KEY = "analytics-off-key-" + System.nanoTime();
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        TestEnvironment.start();
        service = new ServiceProcess(Files.createDirectories(TestEnvironment.workDir().resolve("analytics-off-" + System.nanoTime())),
                ServiceProcess.reservedPort(1), "-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.api-keys=" + BUSINESS + ":" + KEY, "-Dmediapipeline.analytics.enabled=false").start();
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(service);
    }

    @Test
    void uploadsAreNotCountedAndTheEndpointIs503() {
        Api api = Api.as(service.url(), KEY, "alice");
        Instant began = Instant.now();
        String upload = api.create(100_000, null, null);
        assertEquals(204, api.patch(upload, 0, SlowBody.pattern(100_000)).statusCode());
        assertEquals(204, Api.send(api.request("/api/v1/storage/" + Api.idOf(upload)).DELETE()).statusCode());
        for (Instant at : new Instant[] {began, Instant.now()}) {
            assertFalse(TestRedis.client().exists(RedisKeys.analytics(BUSINESS, Tallies.hour(at))), "no analytics were counted");
        }
        String day = Instant.now().truncatedTo(ChronoUnit.DAYS).toString();
        assertError(Api.send(api.request("/api/v1/analytics?from=" + day + "&to=2099-01-01T00:00:00Z&interval=P1D").GET()),
                503, "analytics_disabled");
    }
}
