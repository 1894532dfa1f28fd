package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cleanup sweep's repair of the listing indexes, on an instance that sweeps every two seconds, reconciles
 * everything in each sweep, and keeps uploads for a day.
 */
class ListingRepairIT {

    private static final int SWEEP_SECONDS = 2;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        TestEnvironment.start();
        service = new ServiceProcess(Files.createDirectories(TestEnvironment.workDir().resolve("listing-" + System.nanoTime())),
                ServiceProcess.reservedPort(1), "-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.cleanup.interval=PT" + SWEEP_SECONDS + "S",
                "-Dmediapipeline.cleanup.reconciliation=PT" + SWEEP_SECONDS + "S").start();
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(service);
    }

    /**
     * The sweep lists an upload that is in no listing (written before there was one, or by an older
     * version) and drops entries of uploads that are gone.
     */
    @Test
    void aSweepRepairsTheListing() throws InterruptedException {
        String user = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        Api upload = Api.acme(service.url()).as(user);
        String id = Api.idOf(upload.create(10, "unlisted.bin", null));
        String listed = TestRedis.uploadHash(id).get("listed_as");
        String ghost = UploadIndex.member(UUID.randomUUID().toString(), Instant.now());
        String lagging = upload.create(3, "lagging.bin", null);
        assertEquals(204, upload.patch(lagging, 0, new byte[3]).statusCode());
        String laggingListed = TestRedis.uploadHash(Api.idOf(lagging)).get("listed_as");
        // no sweep may run while the indexes are changed and looked at: the test holds the sweep's lock
        Await.until(Duration.ofSeconds(10), "the sweep lock to be free",
                () -> TestRedis.client().set(RedisKeys.SWEEP_LOCK, "test", SetParams.setParams().nx().px(20_000)) != null);
        // a sweep that began before the lock was taken ends meanwhile
        Thread.sleep(1000);
        try {
            // as an instance of the version before the listing leaves an upload it completed: listed as it was created
            TestRedis.client().zrem(RedisKeys.listing("acme", user, "completed"), laggingListed);
            TestRedis.client().zadd(RedisKeys.listing("acme", user, "created"), 0, laggingListed);
            assertEquals(List.of(id), listedTokens(upload, user + "&status=created"), "the hash decides: lagging.bin is completed");
            // unlisted.bin as stored before the listing existed: in no index, and its hash names no member
            TestRedis.client().hdel(RedisKeys.upload(TestEnvironment.ACME, id), "listed_as");
            for (String index : List.of(RedisKeys.listing("acme", null, null), RedisKeys.listing("acme", user, null),
                    RedisKeys.listing("acme", null, "created"), RedisKeys.listing("acme", user, "created"))) {
                assertEquals(1, TestRedis.client().zrem(index, listed), index);
                TestRedis.client().zadd(index, 0, ghost);
            }
            assertEquals(List.of(Api.idOf(lagging)), listedTokens(upload, user), "neither the unlisted upload nor the ghost, whose status is gone");
        } finally {
            TestRedis.client().del(RedisKeys.SWEEP_LOCK);
        }

        Await.until(Duration.ofSeconds(4L * SWEEP_SECONDS + 10), "a sweep to list both uploads where they belong",
                () -> listedTokens(upload, user + "&status=created"), tokens -> tokens.equals(List.of(id)));
        assertEquals(List.of(id), listedTokens(Api.acme(service.url()), user + "&status=created"));
        assertEquals(listed, TestRedis.uploadHash(id).get("listed_as"), "named from its creation time, as at its creation");
        assertEquals(List.of(Api.idOf(lagging)), listedTokens(upload, user + "&status=completed"));
        assertEquals(List.of(Api.idOf(lagging), id), listedTokens(upload, user));
        Await.until(Duration.ofSeconds(4L * SWEEP_SECONDS + 10), "a sweep to drop the ghost's entries",
                () -> TestRedis.client().zscore(RedisKeys.listing("acme", user, "created"), ghost) == null
                        && TestRedis.client().zscore(RedisKeys.listing("acme", null, null), ghost) == null);
    }

    @SuppressWarnings("unchecked")
    private static List<String> listedTokens(Api caller, String usernameQuery) {
        HttpResponse<String> response = Api.send(caller.request("/api/v1/uploads?username=" + usernameQuery).GET());
        assertEquals(200, response.statusCode(), response.body());
        return ((List<Map<String, Object>>) Api.json(response.body()).get("uploads")).stream().map(upload -> (String) upload.get("token")).toList();
    }

}
