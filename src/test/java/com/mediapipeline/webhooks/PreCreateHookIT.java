package com.mediapipeline.webhooks;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking pre-create hook: every creation is first POSTed to {@code mediapipeline.hooks.pre-create-url},
 * signed per Standard Webhooks, and the answer accepts it, gives it other metadata, or refuses it before
 * anything is stored. The receiver is a real HTTP server that verifies every call's signature with the
 * Standard Webhooks library, and answers by the name of the file the upload announces.
 */
class PreCreateHookIT {

    /** The Standard Webhooks specification's example secret. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final long MAX_SIZE = 1024 * 1024;
    private static final long RECEIVER_STALL_MILLIS = 4000;
    private static final AtomicLong NAMES = new AtomicLong();
    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static ExecutorService receiverThreads;
    private static ServiceProcess service;
    private static Path storage;
    private static Api acme;

    /** One call the receiver got: its webhook-id, the event, and why its signature did not verify (null when it did). */
    private record Call(String id, Map<String, Object> event, String signatureProblem) {

        @SuppressWarnings("unchecked")
        Map<String, Object> data() {
            return (Map<String, Object>) event.get("data");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> metadata() {
            return (Map<String, Object>) data().get("metadata");
        }
    }

    @BeforeAll
    static void startReceiverAndService() throws Exception {
        receiverThreads = Executors.newCachedThreadPool();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", PreCreateHookIT::receive);
        receiver.setExecutor(receiverThreads);
        receiver.start();
        TestEnvironment.start();
        storage = Files.createDirectories(TestEnvironment.workDir().resolve("pre-create-hook-" + System.nanoTime()));
        service = new ServiceProcess(storage, ServiceProcess.reservedPort(1),
                "-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.upload.max-size=" + MAX_SIZE,
                "-Dmediapipeline.hooks.pre-create-url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "-Dmediapipeline.hooks.secret=" + SECRET,
                "-Dmediapipeline.hooks.timeout=PT1S").start();
        acme = Api.acme(service.url());
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(service);
        if (receiver != null) {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
    }

    /** Answers by the announced file name's first word: reject-, refuse-, rename-, stall-; anything else is accepted. */
    private static void receive(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String problem = null;
        try {
            new Webhook(SECRET).verify(body, exchange.getRequestHeaders());
        } catch (WebhookVerificationException e) {
            problem = e.getMessage();
        }
        Call call = new Call(exchange.getRequestHeaders().getFirst("webhook-id"), Api.json(body), problem);
        CALLS.add(call);
        String filename = String.valueOf(call.metadata().get("filename"));
        if (problem != null) {
            answer(exchange, 401, "{\"message\": \"bad signature\"}");
        } else if (filename.startsWith("reject-")) {
            answer(exchange, 200, "{\"reject\": true, \"message\": \"acme is over its quota\"}");
        } else if (filename.startsWith("refuse-")) {
            answer(exchange, 422, "not today");
        } else if (filename.startsWith("rename-")) {
            answer(exchange, 200, "{\"metadata\": {\"filename\": \"renamed.txt\", \"filetype\": \"text/plain\", \"scanned\": \"yes\"}}");
        } else if (filename.startsWith("stall-")) {
            try {
                Thread.sleep(RECEIVER_STALL_MILLIS);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 204, "");
        } else {
            answer(exchange, 204, "");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    /** "A 2xx with an empty body accepts": the upload is created, and the hook saw who, how large, what, and over which protocol. */
    @Test
    void anAcceptedCreationIsCreatedAndTheHookSawItsFacts() {
        String filename = name("accept") + "-résumé.pdf";
        String upload = acme.createWith("Upload-Length", "5",
                "Upload-Metadata", Api.metadata("filename", filename) + "," + Api.metadata("filetype", "application/pdf") + ",flag");
        Call call = callFor(filename);
        assertEquals("upload.pre-create", call.event().get("type"));
        Instant.parse((String) call.event().get("timestamp"));
        assertTrue(call.id().matches("msg_\\w+"), call.id());
        assertEquals("acme", call.data().get("business"));
        assertEquals("alice", call.data().get("username"));
        assertEquals(5, ((Number) call.data().get("size")).longValue());
        assertEquals(Map.of("filename", filename, "filetype", "application/pdf", "flag", ""), call.metadata());
        assertEquals("tus", call.data().get("protocol"));
        assertEquals(filename, acme.statusJson(Api.idOf(upload)).get("filename"));
    }

    /** "A 2xx with {"reject": true, "message": …}" answers 403 rejected with the hook's message, and nothing is stored, not even a creation's bytes. */
    @Test
    void aRejectIs403WithTheHooksMessageAndStoresNothing() {
        Set<String> uploadsBefore = storedUploads();
        Set<String> hashesBefore = uploadHashes();
        String filename = name("reject");
        HttpResponse<String> refused = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.ofString("hello"))
                .header("Content-Type", Api.OCTET_STREAM).header("Upload-Length", "5")
                .header("Upload-Metadata", Api.metadata("filename", filename)));
        assertError(refused, 403, "rejected");
        assertEquals("acme is over its quota", Api.json(refused.body()).get("message"));
        assertTrue(refused.headers().firstValue("Location").isEmpty(), refused.headers().map().toString());
        callFor(filename);
        assertEquals(Set.of(), added(uploadsBefore, storedUploads()), "no upload folder");
        assertEquals(Set.of(), added(hashesBefore, uploadHashes()), "no status hash");
    }

    /** "Any 4xx" is a rejection too; without a message from the hook the client gets the default one. */
    @Test
    void a4xxIs403WithTheDefaultMessage() {
        Set<String> uploadsBefore = storedUploads();
        String filename = name("refuse");
        HttpResponse<String> refused = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "5").header("Upload-Metadata", Api.metadata("filename", filename)));
        assertError(refused, 403, "rejected");
        assertEquals("The pre-create hook refused the upload", Api.json(refused.body()).get("message"));
        callFor(filename);
        assertEquals(Set.of(), added(uploadsBefore, storedUploads()));
    }

    /** "{"metadata": {…}} replaces the upload's metadata": the status, HEAD and the download show the hook's name and type. */
    @Test
    void theHooksMetadataReplacesTheUploads() {
        String filename = name("rename") + ".exe";
        String upload = acme.createWith("Upload-Length", "5",
                "Upload-Metadata", Api.metadata("filename", filename) + "," + Api.metadata("filetype", "application/x-msdownload"));
        callFor(filename);
        Map<String, Object> status = acme.statusJson(Api.idOf(upload));
        assertEquals("renamed.txt", status.get("filename"));
        assertEquals("text/plain", status.get("content_type"));
        String told = acme.head(upload).headers().firstValue("Upload-Metadata").orElseThrow();
        assertEquals(Set.of(Api.metadata("filename", "renamed.txt"), Api.metadata("filetype", "text/plain"), Api.metadata("scanned", "yes")),
                Set.of(told.split(",")));
        assertEquals(204, acme.patch(upload, 0, "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
        HttpResponse<byte[]> download = acme.download(Api.idOf(upload));
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().contains("renamed.txt"), download.headers().map().toString());
        assertTrue(download.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
    }

    /** "A timeout answers 503 hook_unavailable": the receiver stalls past mediapipeline.hooks.timeout (PT1S here). */
    @Test
    void aHookThatDoesNotAnswerInTimeIs503() {
        Set<String> uploadsBefore = storedUploads();
        String filename = name("stall");
        HttpResponse<String> unavailable = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "5").header("Upload-Metadata", Api.metadata("filename", filename)));
        assertError(unavailable, 503, "hook_unavailable");
        callFor(filename);
        assertEquals(Set.of(), added(uploadsBefore, storedUploads()));
    }

    @Test
    void aDeferredLengthIsSentAsNull() {
        String filename = name("deferred");
        acme.createWith("Upload-Defer-Length", "1", "Upload-Metadata", Api.metadata("filename", filename));
        Map<String, Object> data = callFor(filename).data();
        assertTrue(data.containsKey("size"), data.toString());
        assertNull(data.get("size"));
    }

    /** A final upload is a creation too: its size is what its partial uploads add up to. */
    @Test
    void concatenationAsksForEveryPartAndTheFinalUpload() {
        String first = name("part");
        String second = name("part");
        String[] parts = {first, second};
        String[] urls = new String[2];
        for (int i = 0; i < 2; i++) {
            urls[i] = acme.createWith("Upload-Concat", "partial", "Upload-Length", "5", "Upload-Metadata", Api.metadata("filename", parts[i]));
            assertEquals(204, acme.patch(urls[i], 0, "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals(5, ((Number) callFor(parts[i]).data().get("size")).longValue());
        }
        String whole = name("final");
        String upload = acme.createWith("Upload-Concat", "final;" + urls[0] + " " + urls[1], "Upload-Metadata", Api.metadata("filename", whole));
        assertEquals(10, ((Number) callFor(whole).data().get("size")).longValue());
        assertEquals("completed", acme.statusJson(Api.idOf(upload)).get("status"));
    }

    /** An IETF Resumable Uploads creation goes through the same hook, as protocol "ietf". */
    @Test
    void anIetfCreationIsAskedAboutAsIetf() {
        String filename = name("ietf") + ".txt";
        HttpResponse<String> created = send(acme.ietf(acme.uploadsUrl(), 8).POST(HttpRequest.BodyPublishers.ofString("hello"))
                .header("Upload-Complete", "?1").header("Content-Type", "text/plain")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\""));
        assertEquals(201, created.statusCode(), created.body());
        Call call = callFor(filename);
        assertEquals("ietf", call.data().get("protocol"));
        assertEquals(5, ((Number) call.data().get("size")).longValue());
        assertEquals(Map.of("filename", filename, "filetype", "text/plain"), call.metadata());
    }

    /** The hook sees only creations that would otherwise succeed: after authentication, the size limit and the metadata's syntax. */
    @Test
    void aCreationRefusedAnywayNeverReachesTheHook() {
        String filename = name("never");
        String metadata = Api.metadata("filename", filename);
        assertError(send(Api.anonymous(service.url()).request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "5").header("Upload-Metadata", metadata)), 401, "unauthorized");
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", Long.toString(MAX_SIZE + 1)).header("Upload-Metadata", metadata)), 413, "too_large");
        assertError(send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "5").header("Upload-Metadata", metadata + ",note not*base64")), 400, "bad_request");
        assertTrue(CALLS.stream().noneMatch(call -> filename.equals(call.metadata().get("filename"))), CALLS.toString());
    }

    /** The receiver's one call about this file name; its signature verified, and its id no other call's. */
    private static Call callFor(String filename) {
        // a call that timed out may be logged by the receiver a moment after the service gave up on it
        List<Call> calls = Await.until(Duration.ofSeconds(10), "the hook's call about " + filename,
                () -> CALLS.stream().filter(call -> filename.equals(call.metadata().get("filename"))).toList(), found -> !found.isEmpty());
        assertEquals(1, calls.size(), "calls about " + filename + ": " + calls);
        Call call = calls.get(0);
        assertNull(call.signatureProblem(), "the Standard Webhooks library verifies the signature");
        assertEquals(1, CALLS.stream().filter(other -> other.id().equals(call.id())).count(), "a fresh webhook-id per call");
        return call;
    }

    /** A file name no other test uses, starting with the word the receiver answers by. */
    private static String name(String scenario) {
        return scenario + "-" + NAMES.incrementAndGet() + "-" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
    }

    private static Set<String> storedUploads() {
        Path uploads = storage.resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return Set.of();
        }
        try (Stream<Path> folders = Files.list(uploads)) {
            return folders.map(folder -> folder.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> added(Set<String> before, Set<String> after) {
        return after.stream().filter(key -> !before.contains(key)).collect(Collectors.toSet());
    }

    private static Set<String> uploadHashes() {
        return TestRedis.keys("upload:*");
    }
}
