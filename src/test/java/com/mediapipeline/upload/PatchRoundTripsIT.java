package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a PATCH costs in Redis: one script call at its start (rate-limit token, stream slot, write
 * lock) and one at its end (release, with the status write when one is due), each by EVALSHA; and a
 * Redis that forgot its scripts (a restart, a failover, SCRIPT FLUSH) learns them again.
 */
class PatchRoundTripsIT {

    private static final int PATCHES = 40;
    private static ServiceProcess service;
    private Api acme;

    /**
     * An instance of its own on the tests' Redis, whose progress interval is longer than the test: its
     * throttled status writes (the first of each upload aside) come at no PATCH's end, so they add no
     * round trip to count.
     */
    @BeforeAll
    static void start() throws Exception {
        TestEnvironment.start();
        service = new ServiceProcess(Files.createDirectories(TestEnvironment.workDir().resolve("trips-" + System.nanoTime())),
                ServiceProcess.reservedPort(1), "-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.progress.interval-ms=3600000").start();
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(service);
    }

    @BeforeEach
    void callAsAcme() {
        acme = Api.acme(service.url());
    }

    /**
     * Counted over many PATCHes of one upload, with the background work of the instances on the tests'
     * Redis (webhook polls, slot renewals) as noise: before the two-call PATCH there were four script calls
     * each (token, slot, lock, release) and a ZREM (the slot's release).
     */
    @Test
    void aPatchMakesTwoScriptCalls() {
        byte[] body = new byte[1024];
        String upload = acme.create((long) body.length * (PATCHES + 1), null, null);
        assertEquals(204, acme.patch(upload, 0, body).statusCode(), "a first PATCH, to warm up");

        long scriptsBefore = scriptCalls();
        for (int i = 1; i <= PATCHES; i++) {
            assertEquals(204, acme.patch(upload, (long) i * body.length, body).statusCode());
        }
        double scripts = (scriptCalls() - scriptsBefore) / (double) PATCHES;

        assertTrue(scripts >= 2 && scripts < 2.25, "script calls per PATCH: " + scripts);
    }

    /** After SCRIPT FLUSH every script is unknown: the first EVALSHA of each meets NOSCRIPT and EVAL runs it. */
    @Test
    void aPatchWorksAfterRedisForgotItsScripts() {
        String upload = acme.create(8, null, null);
        assertEquals(204, acme.patch(upload, 0, new byte[]{1, 2, 3, 4}).statusCode());
        long evalsBefore = calls("eval");

        TestRedis.flushScripts();
        HttpResponse<String> patched = acme.patch(upload, 4, new byte[]{5, 6, 7, 8});

        assertEquals(204, patched.statusCode(), patched.body());
        assertEquals("8", patched.headers().firstValue("Upload-Offset").orElseThrow());
        assertArrayEquals(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, acme.downloaded(upload));
        assertEquals("completed", acme.statusJson(Api.idOf(upload)).get("status"));
        assertTrue(calls("eval") > evalsBefore, "the scripts were sent again");
    }

    private static long scriptCalls() {
        return calls("evalsha") + calls("eval");
    }

    private static long calls(String command) {
        return TestRedis.calls(command);
    }
}
