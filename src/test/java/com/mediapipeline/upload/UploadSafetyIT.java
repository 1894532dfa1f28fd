package com.mediapipeline.upload;

import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.SocketWatcher;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static com.mediapipeline.testing.Api.OCTET_STREAM;
import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A byte that got a 204 is never lost, and one client cannot hurt another's upload: stalled,
 * dropped, racing and lying clients. Every scenario ends by checking that the status hash, HEAD
 * and the storage API tell the same story about the upload.
 */
class UploadSafetyIT extends ServiceIT {

    private static final int MIB = 1024 * 1024;

    /**
     * A PATCH stalls past its lock's lease; another client resumes and completes the upload; then
     * the stalled connection drops. The stale writer must not write, truncate or record anything.
     */
    @Test
    void aPatchThatLostItsLockNeverTouchesTheUploadAgain() throws Exception {
        int size = 10 * MIB;
        String upload = acme.create(size, "fenced.bin", null);
        try (Socket stalled = acme.openPatch(upload, size)) {
            stalled.getOutputStream().write(new byte[3 * MIB + MIB / 2]);
            stalled.getOutputStream().flush();
            TestRedis.awaitLeasedWrite(Api.idOf(upload));
            TestRedis.awaitUnlocked(Api.idOf(upload));

            assertEquals("0", acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
            HttpResponse<String> resumed = acme.patch(upload, 0, SlowBody.pattern(size));
            assertEquals(204, resumed.statusCode(), resumed.body());

            stalled.shutdownOutput();
            Api.answerHead(stalled, Duration.ofSeconds(15));
        }
        assertAgree(upload, SlowBody.pattern(size));
    }

    /** The same, but the stalled client wakes up and sends the rest of its (different) bytes. */
    @Test
    void aPatchThatLostItsLockAndWakesUpWritesNothing() throws Exception {
        int size = 4 * MIB;
        String upload = acme.create(size, "woken.bin", null);
        try (Socket stalled = acme.openPatch(upload, size)) {
            stalled.getOutputStream().write(new byte[MIB + 1000]);
            stalled.getOutputStream().flush();
            TestRedis.awaitLeasedWrite(Api.idOf(upload));
            TestRedis.awaitUnlocked(Api.idOf(upload));
            assertEquals(204, acme.patch(upload, 0, SlowBody.pattern(size)).statusCode());

            stalled.getOutputStream().write(new byte[size - MIB - 1000]);
            stalled.getOutputStream().flush();
            Api.answerHead(stalled, Duration.ofSeconds(15));
        }
        assertAgree(upload, SlowBody.pattern(size));
    }

    /** A method override that is not a TUS method is refused; it never slips a write past the lock. */
    @Test
    void anOverrideThatIsNoMethodIs400AndNeverWritesUnlocked() throws Exception {
        int size = 2 * MIB;
        String upload = acme.create(size, null, null);
        CompletableFuture<HttpResponse<String>> holder = acme.slowPatch(upload, size, 100);
        TestRedis.awaitLocked(Api.idOf(upload));
        HttpResponse<String> sneaky = send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[size]))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0").header("X-HTTP-Method-Override", "X"));
        assertError(sneaky, 400, "bad_request");
        HttpResponse<String> overridden = send(acme.request(upload).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[size]))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0").header("X-HTTP-Method-Override", "patch"));
        assertError(overridden, 423, "locked");
        assertEquals(204, holder.get().statusCode());
        assertAgree(upload, SlowBody.pattern(size));
    }

    /** The override decides the method for the lock and for the protocol alike. */
    @Test
    void anOverriddenPatchIsAPatch() {
        String upload = acme.create(5, null, null);
        HttpResponse<String> response = send(acme.request(upload).POST(HttpRequest.BodyPublishers.ofString("hello"))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0").header("X-HTTP-Method-Override", " patch "));
        assertEquals(204, response.statusCode(), response.body());
        assertAgree(upload, "hello".getBytes());
    }

    /** The last PATCH fails its checksum: nothing was announced, the status is back where it was. */
    @Test
    void aBadChecksumOnTheLastPatchAnnouncesNothing() throws Exception {
        String upload = acme.create(10, null, null);
        assertEquals(204, acme.patch(upload, 0, "hello".getBytes()).statusCode());
        try (SocketWatcher watcher = SocketWatcher.open(acme, Api.idOf(upload))) {
            assertEquals("progress", watcher.next().type());
            HttpResponse<String> bad = send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofString("world"))
                    .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "5")
                    .header("Upload-Checksum", "sha1 " + sha1("other")));
            assertError(bad, 460, "checksum_mismatch");
            Map<String, Object> status = acme.statusJson(Api.idOf(upload));
            assertEquals("uploading", status.get("status"), status.toString());
            assertEquals(5.0, ((Number) status.get("offset")).doubleValue(), status.toString());
            assertAgree(upload, "helloworld".getBytes());

            HttpResponse<String> good = send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofString("world"))
                    .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "5")
                    .header("Upload-Checksum", "sha1 " + sha1("world")));
            assertEquals(204, good.statusCode(), good.body());
            ProgressEvent last;
            do {
                last = watcher.next();
            } while (!"complete".equals(last.type()) && !"error".equals(last.type()));
            assertEquals(1, watcher.messages().stream().filter(event -> "complete".equals(event.type())).count(),
                    "complete is announced once, after the good PATCH: " + watcher.messages());
        }
        assertAgree(upload, "helloworld".getBytes());
    }

    /** creation-with-upload verifies Upload-Checksum too; a mismatch keeps none of the body. */
    @Test
    void creationWithUploadVerifiesTheChecksum() {
        HttpResponse<String> bad = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.ofString("hello"))
                .header("Upload-Length", "5").header("Content-Type", OCTET_STREAM)
                .header("Upload-Checksum", "sha1 " + sha1("other")));
        assertError(bad, 460, "checksum_mismatch");
        bad.headers().firstValue("Location").ifPresent(upload -> assertAgree(upload, "hello".getBytes()));

        HttpResponse<String> good = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.ofString("hello"))
                .header("Upload-Length", "5").header("Content-Type", OCTET_STREAM)
                .header("Upload-Checksum", "sha1 " + sha1("hello")));
        assertEquals(201, good.statusCode(), good.body());
        assertAgree(good.headers().firstValue("Location").orElseThrow(), "hello".getBytes());
    }

    /**
     * Concatenation never multiplies writes: parts are distinct, finished partial uploads, not
     * finals, at most max-parts of them, within max-size; a final is completed once it is assembled.
     */
    @Test
    void aFinalUploadTakesOnlyDistinctFinishedPartials() {
        String abc = partial("abc");
        String def = partial("def");
        assertError(finalOf(abc, abc), 400, "bad_request");
        // as paths: 101 absolute URLs would not fit in the container's header size limit
        assertError(finalOf(java.util.Collections.nCopies(101, java.net.URI.create(abc).getPath()).toArray(String[]::new)),
                400, "bad_request");
        HttpResponse<String> unfinished = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "5").header("Upload-Concat", "partial"));
        assertError(finalOf(abc, unfinished.headers().firstValue("Location").orElseThrow()), 400, "bad_request");
        String regular = acme.create(3, null, null);
        assertEquals(204, acme.patch(regular, 0, "ghi".getBytes()).statusCode());
        assertError(finalOf(abc, regular), 400, "bad_request");

        HttpResponse<String> assembled = finalOf(abc, def);
        assertEquals(201, assembled.statusCode(), assembled.body());
        String whole = assembled.headers().firstValue("Location").orElseThrow();
        assertAgree(whole, "abcdef".getBytes());
        assertError(finalOf(whole, abc), 400, "bad_request");
    }

    @Test
    void aFinalUploadLargerThanTheMaximumIs413() {
        long half = TestEnvironment.MAX_UPLOAD_SIZE / 2 + 1;
        String first = bigPartial(half);
        String second = bigPartial(half);
        assertError(finalOf(first, second), 413, "too_large");
    }

    /** creation-defer-length: the PATCH that brings the length and the last byte completes the upload, status included. */
    @Test
    void aDeferredLengthArrivingWithTheLastBytesCompletesTheUpload() {
        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Defer-Length", "1"));
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertEquals(204, acme.patch(upload, 0, "abc".getBytes()).statusCode());
        HttpResponse<String> last = send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofString("def"))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "3").header("Upload-Length", "6"));
        assertEquals(204, last.statusCode(), last.body());
        assertAgree(upload, "abcdef".getBytes());
    }

    /** A deferred length over the maximum size is refused like one declared at creation, and nothing is stored. */
    @Test
    void aDeferredLengthOverTheMaximumIs413() {
        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Defer-Length", "1"));
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertError(send(acme.request(upload).method("PATCH", HttpRequest.BodyPublishers.ofString("abc"))
                .header("Content-Type", OCTET_STREAM).header("Upload-Offset", "0")
                .header("Upload-Length", Long.toString(TestEnvironment.MAX_UPLOAD_SIZE + 1))), 413, "too_large");
        HttpResponse<String> head = acme.head(upload);
        assertEquals("0", head.headers().firstValue("Upload-Offset").orElseThrow());
        assertFalse(head.headers().firstValue("Upload-Length").isPresent(), "the length is still deferred");
    }

    /** An I/O failure that is not the client's is a JSON 500, not an empty 200. */
    @Test
    void anUnexpectedIoFailureIsA500() throws Exception {
        String upload = acme.create(5, null, null);
        java.nio.file.Path data = TestEnvironment.storageDir().resolve("uploads").resolve(Api.idOf(upload)).resolve("data");
        java.nio.file.Files.delete(data);
        java.nio.file.Files.createDirectory(data);
        assertError(acme.patch(upload, 0, "hello".getBytes()), 500, "internal_error");
    }

    private String partial(String content) {
        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.ofString(content))
                .header("Upload-Length", Integer.toString(content.length())).header("Upload-Concat", "partial")
                .header("Content-Type", OCTET_STREAM));
        assertEquals(201, created.statusCode(), created.body());
        return created.headers().firstValue("Location").orElseThrow();
    }

    private String bigPartial(long size) {
        HttpResponse<String> created = send(acme.request(acme.uploadsUrl())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowBody(size, MIB, 0)))
                .header("Upload-Length", Long.toString(size)).header("Upload-Concat", "partial")
                .header("Content-Type", OCTET_STREAM));
        assertEquals(201, created.statusCode(), created.body());
        return created.headers().firstValue("Location").orElseThrow();
    }

    private HttpResponse<String> finalOf(String... parts) {
        return send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Concat", "final;" + String.join(" ", parts)));
    }

    /**
     * HEAD's offset, the status hash and the storage API agree: the same offset, completed exactly
     * when every byte is there, and then the download is the source byte for byte.
     */
    private void assertAgree(String upload, byte[] source) {
        String id = Api.idOf(upload);
        long offset = Long.parseLong(acme.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
        Map<String, Object> status = acme.statusJson(id);
        assertEquals(offset, ((Number) status.get("offset")).longValue(), "HEAD and status disagree: " + status);
        HttpResponse<byte[]> download = acme.download(id);
        if (offset == source.length) {
            assertEquals("completed", status.get("status"), status.toString());
            assertEquals(200, download.statusCode());
            assertArrayEquals(source, download.body(), "the stored bytes differ from the source");
        } else {
            assertFalse("completed".equals(status.get("status")), status.toString());
            assertEquals(409, download.statusCode());
        }
    }

    private static String sha1(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(text.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
