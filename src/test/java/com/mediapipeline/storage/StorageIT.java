package com.mediapipeline.storage;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET, HEAD and DELETE /api/v1/storage/{file_id}: headers, ranges (RFC 9110), and removal. */
class StorageIT extends ServiceIT {

    private static final int SIZE = 100_000;

    @Test
    void downloadSendsTheBytesWithTheContractHeaders() {
        String id = stored("Überblick 2024 ünd Ärger.pdf", "application/pdf");
        HttpResponse<byte[]> response = acme.download(id);
        assertEquals(200, response.statusCode());
        assertArrayEquals(SlowBody.pattern(SIZE), response.body());
        assertEquals("application/pdf", header(response, "Content-Type"));
        assertEquals(Integer.toString(SIZE), header(response, "Content-Length"));
        assertEquals("bytes", header(response, "Accept-Ranges"));
        assertTrue(header(response, "ETag").startsWith("\""));
        assertTrue(header(response, "Last-Modified").endsWith("GMT"));
        String disposition = header(response, "Content-Disposition");
        assertTrue(disposition.startsWith("attachment; filename=\""), disposition);
        assertTrue(disposition.contains("filename*=UTF-8''%C3%9Cberblick%202024%20%C3%BCnd%20%C3%84rger.pdf"), disposition);
    }

    @Test
    void headAnswersTheHeadersWithoutTheBytes() {
        String id = stored("a.bin", "application/octet-stream");
        HttpResponse<byte[]> response = Api.sendForBytes(acme.request("/api/v1/storage/" + id)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, response.statusCode());
        assertEquals(Integer.toString(SIZE), header(response, "Content-Length"));
        assertEquals(0, response.body().length);
    }

    /** Quotes and CR/LF in a client's filename or type must not reach the header block. */
    @Test
    void filenameAndTypeCannotInjectHeaders() {
        String id = stored("evil\".txt\r\nX-Injected: yes", "text/html\r\nX-Injected: yes");
        HttpResponse<byte[]> response = acme.download(id);
        assertEquals(200, response.statusCode());
        assertFalse(response.headers().firstValue("X-Injected").isPresent());
        assertEquals("application/octet-stream", header(response, "Content-Type"));
        String disposition = header(response, "Content-Disposition");
        assertTrue(disposition.startsWith("attachment; filename=\"evil_.txt__X-Injected: yes\";"), disposition);
        assertTrue(disposition.contains("filename*=UTF-8''evil%22.txt%0D%0AX-Injected%3A%20yes"), disposition);
    }

    @Test
    void withoutFiletypeTheTypeIsOctetStreamAndTheNameIsTheId() {
        String upload = acme.create(3, null, null);
        acme.patch(upload, 0, new byte[3]);
        HttpResponse<byte[]> response = acme.download(Api.idOf(upload));
        assertEquals("application/octet-stream", header(response, "Content-Type"));
        assertTrue(header(response, "Content-Disposition").contains(Api.idOf(upload)));
    }

    @Test
    void singleRangesAnswer206WithContentRange() {
        String id = stored("r.bin", null);
        byte[] all = SlowBody.pattern(SIZE);

        HttpResponse<byte[]> middle = acme.download(id, "Range", "bytes=10-19");
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 10-19/" + SIZE, header(middle, "Content-Range"));
        assertEquals("10", header(middle, "Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(all, 10, 20), middle.body());

        HttpResponse<byte[]> suffix = acme.download(id, "Range", "bytes=-5");
        assertEquals("bytes " + (SIZE - 5) + "-" + (SIZE - 1) + "/" + SIZE, header(suffix, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(all, SIZE - 5, SIZE), suffix.body());

        HttpResponse<byte[]> open = acme.download(id, "Range", "bytes=99990-");
        assertEquals(206, open.statusCode());
        assertArrayEquals(Arrays.copyOfRange(all, 99_990, SIZE), open.body());

        HttpResponse<byte[]> pastTheEnd = acme.download(id, "Range", "bytes=99990-200000");
        assertEquals("bytes 99990-99999/" + SIZE, header(pastTheEnd, "Content-Range"));
    }

    @Test
    void unsatisfiableRangeIs416WithTheSize() {
        String id = stored("r.bin", null);
        HttpResponse<String> response = Api.send(acme.request("/api/v1/storage/" + id).GET()
                .header("Range", "bytes=" + SIZE + "-"));
        assertError(response, 416, "range_not_satisfiable");
        assertEquals("bytes */" + SIZE, header(response, "Content-Range"));
    }

    /** RFC 9110 14.1.1 / 14.2: a last byte before the first makes the range invalid, and it is ignored. */
    @Test
    void invalidRangeIsIgnored() {
        String id = stored("r.bin", null);
        for (String invalid : new String[] {"bytes=5-3", "bytes=" + (SIZE + 5) + "-3"}) {
            HttpResponse<byte[]> response = acme.download(id, "Range", invalid);
            assertEquals(200, response.statusCode(), invalid);
            assertFalse(response.headers().firstValue("Content-Range").isPresent(), invalid);
            assertArrayEquals(SlowBody.pattern(SIZE), response.body(), invalid);
        }
    }

    /** An upload of zero bytes is complete at creation: its status, HEAD and download all say so. */
    @Test
    void zeroLengthUploadIsCompleteAtCreation() {
        String upload = acme.create(0, "empty.txt", "text/plain");
        String id = Api.idOf(upload);
        HttpResponse<String> head = acme.head(upload);
        assertEquals("0", head.headers().firstValue("Upload-Offset").orElse(null), head.headers().map().toString());
        assertEquals("0", head.headers().firstValue("Upload-Length").orElse(null), head.headers().map().toString());
        assertFalse(head.headers().firstValue("Upload-Defer-Length").isPresent(), head.headers().map().toString());
        Map<String, Object> status = acme.statusJson(id);
        assertEquals("completed", status.get("status"), status.toString());
        assertEquals(0.0, ((Number) status.get("size")).doubleValue(), status.toString());
        assertEquals(100.0, ((Number) status.get("progress")).doubleValue(), status.toString());
        HttpResponse<byte[]> download = acme.download(id);
        assertEquals(200, download.statusCode());
        assertEquals("0", header(download, "Content-Length"));
        assertEquals(0, download.body().length);
    }

    @Test
    void ifRangeAppliesTheRangeOnlyWhileTheFileIsUnchanged() {
        String id = stored("r.bin", null);
        String etag = header(acme.download(id), "ETag");
        assertEquals(206, acme.download(id, "Range", "bytes=0-9", "If-Range", etag).statusCode());
        HttpResponse<byte[]> stale = acme.download(id, "Range", "bytes=0-9", "If-Range", "\"something-else\"");
        assertEquals(200, stale.statusCode());
        assertEquals(SIZE, stale.body().length);
        assertEquals(304, acme.download(id, "If-None-Match", etag).statusCode());
    }

    @Test
    void incompleteUploadIs409() {
        String upload = acme.create(10, "x.bin", null);
        acme.patch(upload, 0, new byte[4]);
        assertError(Api.send(acme.request("/api/v1/storage/" + Api.idOf(upload)).GET()), 409, "upload_incomplete");
    }

    @Test
    void deleteLeavesNothingOnDiskOrInRedis() {
        String id = stored("gone.bin", null);
        assertTrue(Files.exists(TestEnvironment.storageDir().resolve("uploads").resolve(id)));
        assertTrue(TestRedis.client().exists(RedisKeys.upload(TestEnvironment.ACME, id)));

        assertEquals(204, Api.send(acme.request("/api/v1/storage/" + id).DELETE()).statusCode());

        assertError(Api.send(acme.request("/api/v1/storage/" + id).GET()), 404, "not_found");
        assertError(acme.status(id), 404, "not_found");
        assertEquals(404, acme.head(acme.uploadsUrl() + id).statusCode());
        assertFalse(Files.exists(TestEnvironment.storageDir().resolve("uploads").resolve(id)));
        assertFalse(TestRedis.client().exists(RedisKeys.upload(TestEnvironment.ACME, id)));
        assertError(Api.send(acme.request("/api/v1/storage/" + id).DELETE()), 404, "not_found");
    }

    /** Deleting while a PATCH streams in: the delete wins, and the PATCH cannot bring the upload back. */
    @Test
    void deleteDuringAnUploadInFlightWins() throws Exception {
        long size = 16L * 1024 * 1024;
        String upload = acme.create(size, "big.bin", null);
        String id = Api.idOf(upload);
        CompletableFuture<HttpResponse<String>> patch = acme.slowPatch(upload, size, 40);
        Await.until(Duration.ofSeconds(30), "the PATCH's first bytes to be recorded",
                () -> Long.parseLong(TestRedis.uploadHash(id).getOrDefault("offset", "0")), offset -> offset > 0);
        assertEquals(204, Api.send(acme.request("/api/v1/storage/" + id).DELETE()).statusCode());
        // the PATCH cannot complete an upload that was deleted
        assertError(patch.get(), 410, "gone");

        assertError(acme.status(id), 404, "not_found");
        assertFalse(TestRedis.client().exists(RedisKeys.upload(TestEnvironment.ACME, id)));
        assertFalse(Files.exists(TestEnvironment.storageDir().resolve("uploads").resolve(id)));
    }

    private String stored(String filename, String filetype) {
        String upload = acme.create(SIZE, filename, filetype);
        assertEquals(204, acme.patch(upload, 0, SlowBody.pattern(SIZE)).statusCode());
        return Api.idOf(upload);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
    }
}
