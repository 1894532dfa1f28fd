package com.mediapipeline.ratelimit;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client cannot starve the others: a stalled PATCH is ended, a key streams only so many PATCHes
 * at once, and a client without a key cannot pass for many by naming other addresses. Two
 * microbundles: one that trusts no proxy, and one behind a trusted proxy on 127.0.0.1.
 */
class FairUseIT {

    private static final int IDLE_SECONDS = 3;
    private static final int BURST = 40;
    private static ServiceProcess direct;
    private static ServiceProcess proxied;

    @BeforeAll
    static void start() throws Exception {
        TestEnvironment.start();
        direct = new ServiceProcess(Files.createDirectories(TestEnvironment.workDir().resolve("fair-" + System.nanoTime())),
                ServiceProcess.reservedPort(1),
                "-Dmediapipeline.upload.idle-timeout=PT" + IDLE_SECONDS + "S", "-Dmediapipeline.upload.lock-timeout=PT30S",
                "-Dmediapipeline.upload.max-concurrent-per-key=2",
                "-Dmediapipeline.rate-limit.per-second=1", "-Dmediapipeline.rate-limit.burst=" + BURST);
        proxied = new ServiceProcess(Files.createDirectories(TestEnvironment.workDir().resolve("proxied-" + System.nanoTime())),
                ServiceProcess.reservedPort(2), "-Dmediapipeline.trusted-proxies=10.9.0.0/16, 127.0.0.1/32",
                "-Dmediapipeline.rate-limit.per-second=1", "-Dmediapipeline.rate-limit.burst=" + BURST);
        ServiceProcess.startAll(direct, proxied);
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(direct, proxied);
    }

    /**
     * "A PATCH whose body stops arriving for upload.idle-timeout is ended; its lock is released; the
     * bytes already written are kept and recorded" - long before the lock would have expired.
     */
    @Test
    void aStalledPatchIsEndedWithItsBytesRecordedAndItsLockFree() throws Exception {
        Api api = Api.acme(direct.url());
        int size = 1024 * 1024;
        int sent = 300_000;
        byte[] content = SlowBody.pattern(size);
        String upload = api.create(size, "stalled.bin", null);
        try (Socket stalled = api.openPatch(upload, size)) {
            stalled.getOutputStream().write(content, 0, sent);
            stalled.getOutputStream().flush();
            String answer = Api.answerHead(stalled, Duration.ofSeconds(IDLE_SECONDS + 10));
            assertTrue(answer.startsWith("HTTP/1.1 400"), "a stalled client that is still there hears why: " + answer);
        }
        assertEquals(Integer.toString(sent), api.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(sent, ((Number) api.statusJson(Api.idOf(upload)).get("offset")).intValue());

        HttpResponse<String> resumed = api.patch(upload, sent, Arrays.copyOfRange(content, sent, size));
        assertEquals(204, resumed.statusCode(), "the stalled PATCH released its lock: " + resumed.body());
        assertArrayEquals(content, api.download(Api.idOf(upload)).body());
    }

    /** The timeout is about silence, not speed: a PATCH that trickles for longer than it, never pausing as long, completes. */
    @Test
    void aSlowPatchThatKeepsMovingIsNotEnded() throws Exception {
        Api api = Api.acme(direct.url());
        int piece = 1000;
        int pieces = 12;
        byte[] content = SlowBody.pattern(piece * pieces);
        String upload = api.create(content.length, null, null);
        try (Socket slow = api.openPatch(upload, content.length)) {
            for (int i = 0; i < pieces; i++) {
                slow.getOutputStream().write(content, i * piece, piece);
                slow.getOutputStream().flush();
                // the scenario: a pause well under the idle timeout between pieces, adding up to far more than it
                Thread.sleep(IDLE_SECONDS * 1000 / 4);
            }
            assertTrue(Api.answerHead(slow, Duration.ofSeconds(10)).startsWith("HTTP/1.1 204"), "the trickle completed");
        }
        assertArrayEquals(content, api.download(Api.idOf(upload)).body());
    }

    /** "At most upload.max-concurrent-per-key PATCHes stream at once per API key; more -> 429 with Retry-After." */
    @Test
    void aKeyStreamsAtMostItsCapOfPatchesAtOnce() throws Exception {
        Api globex = Api.globex(direct.url());
        Api acme = Api.acme(direct.url());
        int size = 6 * 1024 * 1024;
        String first = globex.create(size, null, null);
        String second = globex.create(size, null, null);
        String third = globex.create(size, null, null);
        CompletableFuture<HttpResponse<String>> one = globex.slowPatch(first, size, 200);
        CompletableFuture<HttpResponse<String>> two = globex.slowPatch(second, size, 200);
        globex.awaitBytesRecorded(first);
        globex.awaitBytesRecorded(second);

        HttpResponse<String> refused = globex.patch(third, 0, SlowBody.pattern(size));
        assertError(refused, 429, "rate_limited");
        assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1, refused.headers().map().toString());
        String other = acme.create(1000, null, null);
        assertEquals(204, acme.patch(other, 0, SlowBody.pattern(1000)).statusCode(), "another key is not held back");

        assertEquals(204, one.get().statusCode());
        HttpResponse<String> passes = globex.patch(third, 0, SlowBody.pattern(size));
        assertEquals(204, passes.statusCode(), "a slot came free: " + passes.body());
        assertEquals(204, two.get().statusCode());
    }

    /** Without a trusted proxy, X-Forwarded-For is the client's own claim: every request counts against the peer's address. */
    @Test
    void rotatingXForwardedForDoesNotEvadeTheAddressLimit() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < BURST + 20; i++) {
            statuses.add(Api.send(Api.anonymous(direct.url()).request("/api/v1/uploads/").GET()
                    .header("X-Forwarded-For", "192.0.2." + (i % 250))).statusCode());
        }
        assertTrue(statuses.contains(429), "one address, however it names itself, is limited: " + statuses);
        assertTrue(Set.of(401, 429).containsAll(statuses), "let through (401, no key) or limited: " + statuses);
    }

    /** Behind a trusted proxy each client has its own bucket: one client over its limit does not block the next. */
    @Test
    void behindATrustedProxyTheForwardedClientIsLimited() {
        Api anonymous = Api.anonymous(proxied.url());
        List<Integer> greedy = new ArrayList<>();
        for (int i = 0; i < BURST + 20; i++) {
            greedy.add(Api.send(anonymous.request("/api/v1/uploads/").GET().header("X-Forwarded-For", "198.51.100.7, 10.9.1.1"))
                    .statusCode());
        }
        assertTrue(greedy.contains(429), "the forwarded client is limited: " + greedy);
        assertTrue(Set.of(401, 429).containsAll(greedy), "let through (401, no key) or limited: " + greedy);
        assertEquals(401, Api.send(anonymous.request("/api/v1/uploads/").GET().header("X-Forwarded-For", "198.51.100.8"))
                .statusCode(), "another client behind the same proxy is not");
    }

    /** Behind a trusted proxy Location points at the proxy's public name (UploadCreationIT: an untrusted peer's is ignored). */
    @Test
    void locationUsesTheForwardedHostOfATrustedProxy() {
        HttpRequest.Builder forwarded = Api.acme(proxied.url()).request("/api/v1/uploads/").POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "1").header("X-Forwarded-Host", "up.example.com").header("X-Forwarded-Proto", "https");
        String location = Api.send(forwarded).headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("https://up.example.com/api/v1/uploads/"), location);
    }
}
