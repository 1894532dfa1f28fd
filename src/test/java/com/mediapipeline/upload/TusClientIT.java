package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real third-party TUS client (io.tus.java.client) uploads, and resumes after a cut connection. */
class TusClientIT extends ServiceIT {

    private static final int SIZE = 3 * 1024 * 1024;

    TusURLMemoryStore resumeStore;
    TusClient client;

    @BeforeEach
    void client() throws IOException {
        resumeStore = new TusURLMemoryStore();
        client = new TusClient();
        client.setUploadCreationURL(URI.create(acme.uploadsUrl()).toURL());
        client.setHeaders(Map.of("X-API-KEY", TestEnvironment.ACME_KEY, "X-Username", "alice"));
        client.enableResuming(resumeStore);
    }

    @Test
    void uploadsAFileInChunks() throws Exception {
        Path file = testFile("chunks.bin");
        TusUpload upload = new TusUpload(file.toFile());
        TusUploader uploader = client.resumeOrCreateUpload(upload);
        uploader.setChunkSize(256 * 1024);
        while (uploader.uploadChunk() > -1) {
            // each call sends one PATCH
        }
        uploader.finish();

        String id = Api.idOf(uploader.getUploadURL().toString());
        assertEquals("completed", acme.statusJson(id).get("status"));
        assertArrayEquals(Files.readAllBytes(file), acme.download(id).body());
        assertEquals("chunks.bin", acme.statusJson(id).get("filename"));
    }

    /** The connection dies mid-PATCH; the bytes that arrived are kept and the client resumes from HEAD. */
    @Test
    void resumesAfterAnInterruptedPatch() throws Exception {
        Path file = testFile("resume.bin");
        TusUpload upload = new TusUpload(file.toFile());
        String uploadUrl = acme.create(SIZE, "resume.bin", null);
        int sentBeforeCut = 1024 * 1024 + 123;
        try (Socket cut = acme.openPatch(uploadUrl, SIZE)) {
            cut.getOutputStream().write(Files.readAllBytes(file), 0, sentBeforeCut);
        }
        long kept = awaitStoredOffset(uploadUrl);
        assertTrue(kept > 0 && kept <= sentBeforeCut, "kept " + kept + " of the " + sentBeforeCut + " bytes sent");

        resumeStore.set(upload.getFingerprint(), URI.create(uploadUrl).toURL());
        TusUploader uploader = client.resumeOrCreateUpload(upload);
        assertEquals(kept, uploader.getOffset(), "the client resumed where the server stopped");
        uploader.setChunkSize(512 * 1024);
        while (uploader.uploadChunk() > -1) {
            // each call sends one PATCH
        }
        uploader.finish();

        assertArrayEquals(Files.readAllBytes(file), acme.download(Api.idOf(uploadUrl)).body());
    }

    private long awaitStoredOffset(String uploadUrl) {
        return Await.until(Duration.ofSeconds(15), "the bytes sent before the cut to be stored",
                () -> Long.parseLong(acme.head(uploadUrl).headers().firstValue("Upload-Offset").orElse("0")),
                offset -> offset > 0);
    }

    private static Path testFile(String name) throws IOException {
        Path dir = Files.createDirectories(TestEnvironment.workDir().resolve("client-files"));
        return Files.write(dir.resolve(name), SlowBody.pattern(SIZE));
    }
}
