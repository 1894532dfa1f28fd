package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static com.mediapipeline.testing.Api.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IETF Resumable Uploads for HTTP (draft-ietf-httpbis-resumable-upload) in raw HTTP, interop versions
 * 6 (drafts -04/-05: iOS 18.1+, tus-js-client's ietf-draft-05) and 8 (drafts -09 to the latest), on the
 * same endpoint as TUS.
 */
class IetfUploadIT extends ServiceIT {

    private static final String PARTIAL = "application/partial-upload";
    private static final String TYPES = "https://iana.org/assignments/http-problem-types#";
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WORLD = "world".getBytes(StandardCharsets.UTF_8);

    /** "Upload-Complete: ?1": the body is the whole upload, stored at once, and the representation's name and type kept. */
    @ParameterizedTest
    @ValueSource(ints = {6, 8})
    void aCompleteCreationStoresTheWholeBody(int version) {
        HttpResponse<String> created = send(acme.ietf(acme.uploadsUrl(), version)
                .POST(HttpRequest.BodyPublishers.ofString("hello world"))
                .header("Upload-Complete", "?1").header("Content-Type", "text/plain")
                .header("Content-Disposition", "attachment; filename=\"greeting.txt\""));
        assertEquals(201, created.statusCode(), created.body());
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertTrue(upload.startsWith("http://"), upload);
        assertEquals("?1", created.headers().firstValue("Upload-Complete").orElseThrow());
        assertEquals("11", created.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(Integer.toString(version), created.headers().firstValue("Upload-Draft-Interop-Version").orElseThrow());
        for (String tusField : new String[] {"Tus-Resumable", "Upload-Expires", "Upload-Defer-Length"}) {
            assertTrue(created.headers().firstValue(tusField).isEmpty(), "no TUS fields: " + created.headers().map());
        }
        HttpResponse<byte[]> download = acme.download(Api.idOf(upload));
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), download.body());
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().contains("greeting.txt"));
        assertTrue(download.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertEquals("completed", acme.statusJson(Api.idOf(upload)).get("status"));
    }

    /** The careful flow of interop 6: create empty with ?0, append with ?0, look, append the rest with ?1; every append 201. */
    @Test
    void interop6CreatesThenAppendsUntilComplete() {
        HttpResponse<String> created = send(acme.ietf(acme.uploadsUrl(), 6).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Complete", "?0").header("Upload-Length", "10"));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("?0", created.headers().firstValue("Upload-Complete").orElseThrow());
        assertEquals("0", created.headers().firstValue("Upload-Offset").orElseThrow());
        String limit = created.headers().firstValue("Upload-Limit").orElseThrow();
        assertTrue(limit.contains("max-size=" + TestEnvironment.MAX_UPLOAD_SIZE) && limit.contains("expires="), limit);
        String upload = created.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> first = append(upload, 6, 0, HELLO, "?0");
        assertEquals(201, first.statusCode(), first.body());
        assertEquals("5", first.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("?0", first.headers().firstValue("Upload-Complete").orElseThrow());

        HttpResponse<String> head = send(acme.ietf(upload, 6).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, head.statusCode());
        assertEquals("5", head.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("?0", head.headers().firstValue("Upload-Complete").orElseThrow());
        assertEquals("10", head.headers().firstValue("Upload-Length").orElseThrow());
        assertEquals("no-store", head.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(head.headers().firstValue("Upload-Limit").orElseThrow().contains("expires="));
        assertTrue(head.headers().firstValue("Upload-Expires").isEmpty(), "the lifetime is in Upload-Limit, not TUS's field");

        HttpResponse<String> last = append(upload, 6, 5, WORLD, "?1");
        assertEquals(201, last.statusCode(), last.body());
        assertEquals("?1", last.headers().firstValue("Upload-Complete").orElseThrow());
        assertArrayEquals("helloworld".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));
    }

    /** Interop 8: appends answer 204, GET retrieves the offset like HEAD, the limit's lifetime is max-age. */
    @Test
    void interop8AnswersAppendsWith204AndOffersGet() {
        String upload = createIncomplete(8);
        HttpResponse<String> first = append(upload, 8, 0, HELLO, "?0");
        assertEquals(204, first.statusCode(), first.body());
        HttpResponse<String> get = send(acme.ietf(upload, 8).GET());
        assertEquals(204, get.statusCode(), get.body());
        assertEquals("5", get.headers().firstValue("Upload-Offset").orElseThrow());
        assertTrue(get.headers().firstValue("Upload-Limit").orElseThrow().contains("max-age="));
        HttpResponse<String> last = append(upload, 8, 5, WORLD, "?1");
        assertEquals(204, last.statusCode(), last.body());
        assertEquals("?1", last.headers().firstValue("Upload-Complete").orElseThrow());
        assertArrayEquals("helloworld".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));
    }

    /** The deferred length: ?1 on the last append declares it from its offset and Content-Length. */
    @Test
    void theLastAppendDeclaresAnUnknownLength() {
        String upload = send(acme.ietf(acme.uploadsUrl(), 8).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Complete", "?0")).headers().firstValue("Location").orElseThrow();
        assertEquals(204, append(upload, 8, 0, HELLO, "?0").statusCode());
        assertEquals(204, append(upload, 8, 5, WORLD, "?1").statusCode());
        assertEquals("completed", acme.statusJson(Api.idOf(upload)).get("status"));
        assertArrayEquals("helloworld".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));
    }

    /** A body without Content-Length that says it ends the upload ends it where it ends, on creation and on append. */
    @Test
    void aChunkedBodyThatCompletesEndsTheUploadWhereItEnds() {
        HttpResponse<String> created = send(acme.ietf(acme.uploadsUrl(), 8).POST(chunked(HELLO)).header("Upload-Complete", "?1"));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("?1", created.headers().firstValue("Upload-Complete").orElseThrow());
        assertArrayEquals(HELLO, acme.downloaded(created.headers().firstValue("Location").orElseThrow()));

        String upload = send(acme.ietf(acme.uploadsUrl(), 8).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Complete", "?0")).headers().firstValue("Location").orElseThrow();
        assertEquals(204, send(acme.ietf(upload, 8).method("PATCH", chunked(HELLO)).header("Upload-Offset", "0")
                .header("Upload-Complete", "?0").header("Content-Type", PARTIAL)).statusCode());
        HttpResponse<String> last = send(acme.ietf(upload, 8).method("PATCH", chunked(WORLD)).header("Upload-Offset", "5")
                .header("Upload-Complete", "?1").header("Content-Type", PARTIAL));
        assertEquals(204, last.statusCode(), last.body());
        assertEquals("?1", last.headers().firstValue("Upload-Complete").orElseThrow());
        assertEquals("completed", acme.statusJson(Api.idOf(upload)).get("status"));
        assertEquals("10", head(upload, 8).headers().firstValue("Upload-Length").orElseThrow());
    }

    /** A chunked ?1 body that stops short of the known length is an inconsistent length; its bytes are kept to resume from. */
    @Test
    void aChunkedBodyThatCompletesShortOfTheLengthIsRefused() {
        String upload = createIncomplete(8);
        HttpResponse<String> cutShort = send(acme.ietf(upload, 8).method("PATCH", chunked(HELLO)).header("Upload-Offset", "0")
                .header("Upload-Complete", "?1").header("Content-Type", PARTIAL));
        assertProblem(cutShort, 400, "inconsistent-upload-length", "inconsistent_length");
        assertEquals("5", head(upload, 8).headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(204, append(upload, 8, 5, WORLD, "?1").statusCode());
    }

    /**
     * A chunked ?1 body that goes on past the upload's length: the bytes within it are the upload, the
     * rest is refused (the draft: "stop writing at the size and respond 400"); for a complete upload,
     * any byte is refused. Interop 6 has no type for the first and says where the upload stands.
     */
    @Test
    void aChunkedBodyPastTheLengthIsRefusedAfterTheLength() {
        String upload = createIncomplete(6);
        HttpResponse<String> overrun = send(acme.ietf(upload, 6).method("PATCH", chunked("helloworld and more".getBytes(StandardCharsets.UTF_8)))
                .header("Upload-Offset", "0").header("Upload-Complete", "?1").header("Content-Type", PARTIAL));
        assertProblem(overrun, 400, null, "inconsistent_length");
        assertEquals("10", overrun.headers().firstValue("Upload-Offset").orElseThrow());
        assertArrayEquals("helloworld".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));

        HttpResponse<String> more = send(acme.ietf(upload, 6).method("PATCH", chunked(HELLO))
                .header("Upload-Offset", "10").header("Upload-Complete", "?1").header("Content-Type", PARTIAL));
        assertProblem(more, 400, "completed-upload", "completed_upload");
        assertEquals("?1", more.headers().firstValue("Upload-Complete").orElseThrow());
        assertArrayEquals("helloworld".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));
    }

    /** A TUS client whose platform adds the draft's fields to every upload is still served as TUS. */
    @Test
    void aTusRequestStaysTusWhateverElseItCarries() {
        HttpResponse<String> created = send(acme.request(acme.uploadsUrl()).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Length", "5").header("Upload-Draft-Interop-Version", "5").header("Upload-Complete", "?0"));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("1.0.0", created.headers().firstValue("Tus-Resumable").orElseThrow());
        String upload = created.headers().firstValue("Location").orElseThrow();
        assertEquals(204, send(acme.patchRequest(upload, 0, HELLO).header("Upload-Draft-Interop-Version", "6")).statusCode());
    }

    /** A final upload made over IETF is complete from its creation, and says so. */
    @Test
    void aConcatenatedUploadSaysItIsComplete() {
        String part = acme.createWith("Upload-Length", "5", "Upload-Concat", "partial");
        assertEquals(204, acme.patch(part, 0, HELLO).statusCode());
        HttpResponse<String> fin = send(acme.ietf(acme.uploadsUrl(), 6).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Complete", "?0").header("Upload-Concat", "final;" + part));
        assertEquals(201, fin.statusCode(), fin.body());
        assertEquals("?1", fin.headers().firstValue("Upload-Complete").orElseThrow());
        assertEquals("5", fin.headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    void aWrongOffsetIsTheMismatchingOffsetProblem() {
        String upload = createIncomplete(8);
        assertEquals(204, append(upload, 8, 0, HELLO, "?0").statusCode());
        HttpResponse<String> conflict = append(upload, 8, 2, WORLD, "?1");
        Map<String, Object> problem = assertProblem(conflict, 409, "mismatching-upload-offset", "offset_mismatch");
        assertEquals(5, ((Number) problem.get("expected-offset")).intValue());
        assertEquals(2, ((Number) problem.get("provided-offset")).intValue());
        assertEquals("5", conflict.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("?0", conflict.headers().firstValue("Upload-Complete").orElseThrow());
    }

    /** Bytes for a complete upload are refused; an empty ?1 append replays the final answer. */
    @Test
    void aCompletedUploadTakesNoMoreBytes() {
        String upload = createIncomplete(6);
        assertEquals(201, append(upload, 6, 0, "helloworld".getBytes(StandardCharsets.UTF_8), "?1").statusCode());
        assertProblem(append(upload, 6, 10, HELLO, "?1"), 400, "completed-upload", "completed_upload");
        HttpResponse<String> replay = append(upload, 6, 10, new byte[0], "?1");
        assertTrue(replay.statusCode() / 100 == 2, replay.body());
        assertEquals("?1", replay.headers().firstValue("Upload-Complete").orElseThrow());
        assertArrayEquals("helloworld".getBytes(StandardCharsets.UTF_8), acme.downloaded(upload));
    }

    @Test
    void lengthsThatDisagreeAreTheInconsistentLengthProblem() {
        assertProblem(send(acme.ietf(acme.uploadsUrl(), 8).POST(HttpRequest.BodyPublishers.ofByteArray(HELLO))
                .header("Upload-Complete", "?1").header("Upload-Length", "9")), 400, "inconsistent-upload-length", "inconsistent_length");
        String upload = createIncomplete(8);
        assertProblem(append(upload, 8, 0, HELLO, "?1"), 400, "inconsistent-upload-length", "inconsistent_length");
        assertProblem(append(upload, 8, 0, "hello world!".getBytes(StandardCharsets.UTF_8), "?0"), 400,
                "inconsistent-upload-length", "inconsistent_length");
        assertEquals("0", head(upload, 8).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    void anAppendOfAnotherTypeOrAnUnknownVersionIs400() {
        String upload = createIncomplete(6);
        assertProblem(send(acme.ietf(upload, 6).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(HELLO))
                .header("Upload-Offset", "0").header("Upload-Complete", "?0")
                .header("Content-Type", "application/offset+octet-stream")), 400, null, "bad_request");
        HttpResponse<String> unknown = send(acme.ietf(upload, 5).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, unknown.statusCode());
        assertProblem(send(acme.ietf(acme.uploadsUrl(), 99).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Complete", "?0")), 400, null, "unsupported_interop_version");
        assertProblem(send(acme.ietf(upload, 8).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(HELLO))
                .header("Upload-Offset", "0").header("Content-Type", PARTIAL)), 400, null, "bad_request");
    }

    /** Content-Digest is the append's checksum: a body that does not match it is not kept. */
    @Test
    void contentDigestGuardsTheAppend() throws NoSuchAlgorithmException {
        String upload = createIncomplete(8);
        String wrong = "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(WORLD)) + ":";
        HttpResponse<String> refused = send(appendRequest(upload, 8, 0, HELLO, "?0").header("Content-Digest", wrong));
        assertEquals(460, refused.statusCode(), refused.body());
        assertEquals("0", head(upload, 8).headers().firstValue("Upload-Offset").orElseThrow());
        String right = "sha-512=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(HELLO)) + ":";
        assertProblem(send(appendRequest(upload, 8, 0, HELLO, "?0").header("Content-Digest", "sha-256=:AAAA")), 400,
                null, "invalid_checksum");
        assertEquals(204, send(appendRequest(upload, 8, 0, HELLO, "?0")
                .header("Content-Digest", "md5=:AAAA:, sha-512=" + right.substring("sha-512=".length()))).statusCode(),
                "an algorithm we do not check is passed over");
    }

    @Test
    void cancellationDeletesTheUpload() {
        String upload = createIncomplete(6);
        assertEquals(204, send(acme.ietf(upload, 6).DELETE()).statusCode());
        assertEquals(404, head(upload, 6).statusCode());
        assertEquals(404, acme.status(Api.idOf(upload)).statusCode());
    }

    /** One upload, two protocols: begun over IETF, finished over TUS, seen by both. */
    @Test
    void bothProtocolsServeTheSameUpload() {
        String upload = createIncomplete(6);
        assertEquals(201, append(upload, 6, 0, HELLO, "?0").statusCode());
        assertEquals(204, acme.patch(upload, 5, WORLD).statusCode());
        HttpResponse<String> tusHead = acme.head(upload);
        assertEquals(200, tusHead.statusCode());
        assertEquals("1.0.0", tusHead.headers().firstValue("Tus-Resumable").orElseThrow());
        assertEquals("?1", head(upload, 6).headers().firstValue("Upload-Complete").orElseThrow());
        HttpResponse<String> options = send(Api.anonymous(base).request(acme.uploadsUrl())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertTrue(options.headers().firstValue("Upload-Limit").isPresent(), "discovery for either protocol: " + options.headers().map());
    }

    @Test
    void anotherBusinessCannotSeeOrTouchIt() {
        String upload = createIncomplete(8);
        Api globex = Api.globex(base);
        assertEquals(404, send(globex.ietf(upload, 8).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode());
        HttpResponse<String> patch = send(globex.ietf(upload, 8).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(HELLO))
                .header("Upload-Offset", "0").header("Upload-Complete", "?0").header("Content-Type", PARTIAL));
        assertEquals(404, patch.statusCode(), patch.body());
        assertEquals(401, send(Api.anonymous(base).ietf(upload, 8).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode());
    }

    /**
     * "104 Upload Resumption Supported" tells the upload's URL before the body is sent, so that a
     * client cut off now can resume; HTTP/1.0, which has no 1xx, gets none.
     */
    @Test
    void aCreationSaysWhereItIsBeforeItsBodyIsSent() throws IOException {
        URI uploads = URI.create(acme.uploadsUrl());
        try (Socket socket = new Socket("127.0.0.1", uploads.getPort())) {
            socket.getOutputStream().write(creationHead(uploads, "HTTP/1.1", 11).getBytes(StandardCharsets.US_ASCII));
            String early = Api.answerHead(socket, Duration.ofSeconds(10));
            assertTrue(early.startsWith("HTTP/1.1 104 Upload Resumption Supported\r\n"), early);
            assertTrue(early.contains("Upload-Draft-Interop-Version: 6\r\n") && early.contains("Upload-Limit: "), early);
            String location = early.lines().filter(line -> line.startsWith("Location: ")).findFirst().orElseThrow()
                    .substring("Location: ".length());
            assertEquals("0", head(location, 6).headers().firstValue("Upload-Offset").orElseThrow(), "the upload exists before its body");

            socket.getOutputStream().write("hello world".getBytes(StandardCharsets.US_ASCII));
            String last = Api.answerHead(socket, Duration.ofSeconds(10));
            assertTrue(last.startsWith("HTTP/1.1 201 "), last);
            assertTrue(last.contains("Location: " + location + "\r\n"), last);
            assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), acme.downloaded(location));
        }
        try (Socket socket = new Socket("127.0.0.1", uploads.getPort())) {
            socket.getOutputStream().write((creationHead(uploads, "HTTP/1.0", 5) + "hello").getBytes(StandardCharsets.US_ASCII));
            String answer = Api.answerHead(socket, Duration.ofSeconds(10));
            assertTrue(answer.matches("HTTP/1\\.[01] 201 [^\\r]*\r\n(?s).*"), answer);
        }
    }

    private String creationHead(URI uploads, String protocol, int length) {
        String[] credentials = acme.credentials();
        return "POST " + uploads.getRawPath() + " " + protocol + "\r\nHost: 127.0.0.1:" + uploads.getPort() + "\r\n"
                + credentials[0] + ": " + credentials[1] + "\r\n" + credentials[2] + ": " + credentials[3] + "\r\n"
                + "Upload-Draft-Interop-Version: 6\r\nUpload-Complete: ?1\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static HttpRequest.BodyPublisher chunked(byte[] bytes) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes));
    }

    private String createIncomplete(int version) {
        HttpResponse<String> created = send(acme.ietf(acme.uploadsUrl(), version).POST(HttpRequest.BodyPublishers.noBody())
                .header("Upload-Complete", "?0").header("Upload-Length", "10"));
        assertEquals(201, created.statusCode(), created.body());
        return created.headers().firstValue("Location").orElseThrow();
    }

    private HttpResponse<String> append(String upload, int version, long offset, byte[] bytes, String complete) {
        return send(appendRequest(upload, version, offset, bytes, complete));
    }

    private HttpRequest.Builder appendRequest(String upload, int version, long offset, byte[] bytes, String complete) {
        return acme.ietf(upload, version).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Upload-Offset", Long.toString(offset)).header("Upload-Complete", complete)
                .header("Content-Type", PARTIAL);
    }

    private HttpResponse<String> head(String upload, int version) {
        return send(acme.ietf(upload, version).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    /** An RFC 9457 problem with the draft's type (or none) that also carries our error code. */
    private static Map<String, Object> assertProblem(HttpResponse<String> response, int status, String type, String error) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        Map<String, Object> problem = Api.json(response.body());
        assertEquals(type == null ? "about:blank" : TYPES + type, problem.get("type"));
        assertEquals(status, ((Number) problem.get("status")).intValue());
        assertEquals(error, problem.get("error"));
        return problem;
    }
}
