package com.mediapipeline.cluster;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Requirements;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service when its world fails: a full disk, Redis restarting mid-upload, Redis away.
 * Runs the microbundle on a small tmpfs and on a redis-server of its own that it can stop.
 */
class HardeningIT {

    private static final int DISK_MIB = 24;
    private static Path disk;
    private static RedisServer redis;
    private static ServiceProcess service;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        disk = Files.createDirectories(TestEnvironment.workDir().resolve("small-disk-" + System.nanoTime()));
        Requirements.require(run("mount", "-t", "tmpfs", "-o", "size=" + DISK_MIB + "m", "tmpfs", disk.toString()) == 0,
                "mounting a tmpfs (root)");
        int redisPort = Integer.parseInt(System.getProperty("it.redis.port2"));
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort).setting("save \"\"")
                .setting("appendonly no").soutListener(line -> { }).build();
        redis.start();
        service = new ServiceProcess(disk, ServiceProcess.reservedPort(1),
                "-Dmediapipeline.redis.url=redis://127.0.0.1:" + redisPort,
                "-Dmediapipeline.health.min-free-bytes=1").start();
        api = Api.acme(service.url());
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.stop();
        }
        if (disk != null) {
            run("umount", disk.toString());
        }
    }

    /** Disk full during a PATCH: that upload is failed, nothing it had is corrupted, the service serves others. */
    @Test
    void aFullDiskFailsOnlyTheUploadThatFilledIt() {
        long tooBig = (DISK_MIB + 8) * 1024L * 1024;
        String big = api.create(tooBig, "big.bin", null);
        HttpResponse<String> patch = Api.send(api.request(big).method("PATCH",
                        java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new SlowBody(tooBig, 1 << 20, 0)))
                .header("Content-Type", Api.OCTET_STREAM).header("Upload-Offset", "0"));
        assertError(patch, 500, "storage_failed");
        assertEquals("could not store the bytes: the disk is full", Api.json(patch.body()).get("message"), "a plain reason, no path");
        Map<String, Object> status = api.statusJson(Api.idOf(big));
        assertEquals("failed", status.get("status"));
        assertTrue(((String) status.get("message")).startsWith("could not store the bytes"), status.toString());
        assertEquals("0", api.head(big).headers().firstValue("Upload-Offset").orElseThrow());

        int small = 1024 * 1024;
        String other = api.create(small, "small.bin", null);
        assertEquals(204, api.patch(other, 0, SlowBody.pattern(small)).statusCode());
        assertArrayEquals(SlowBody.pattern(small), api.download(Api.idOf(other)).body());
    }

    /** Redis restarts (empty) mid-upload: the upload finishes, and its status comes back. While it is away: 503. */
    @Test
    void anUploadOutlivesARedisRestart() throws Exception {
        long size = 12L * 1024 * 1024;
        String upload = api.create(size, "steady.bin", null);
        CompletableFuture<HttpResponse<String>> patch = api.slowPatch(upload, size, 50);
        api.awaitBytesRecorded(upload);
        redis.stop();
        assertError(api.status(Api.idOf(upload)), 503, "redis_unavailable");
        redis.start();

        HttpResponse<String> ended = patch.get();
        assertEquals(204, ended.statusCode(), ended.body());
        Map<String, Object> status = api.statusJson(Api.idOf(upload));
        assertEquals("completed", status.get("status"));
        assertEquals("steady.bin", status.get("filename"));
        byte[] expected = new byte[(int) size];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = SlowBody.at(i);
        }
        assertArrayEquals(expected, api.download(Api.idOf(upload)).body());
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
