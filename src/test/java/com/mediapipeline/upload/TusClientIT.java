package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Deployments;
import com.mediapipeline.testing.ServiceTest;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real third-party TUS client (io.tus.java.client) uploads, and resumes after a cut connection. */
@ServiceTest
class TusClientIT {

    private static final int SIZE = 3 * 1024 * 1024;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @ArquillianResource
    URL base;

    Api acme;
    TusURLMemoryStore resumeStore;
    TusClient client;

    @BeforeEach
    void client() throws IOException {
        acme = Api.acme(base);
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
        patchAndCut(uploadUrl, Files.readAllBytes(file), sentBeforeCut);
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

    /** Sends a PATCH that announces the whole file but stops after {@code sent} bytes and hangs up. */
    private void patchAndCut(String uploadUrl, byte[] content, int sent) throws IOException {
        URI uri = URI.create(uploadUrl);
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            String head = "PATCH " + uri.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + uri.getPort() + "\r\n"
                    + "Tus-Resumable: 1.0.0\r\n"
                    + "X-API-KEY: " + TestEnvironment.ACME_KEY + "\r\n"
                    + "X-Username: alice\r\n"
                    + "Content-Type: application/offset+octet-stream\r\n"
                    + "Upload-Offset: 0\r\n"
                    + "Content-Length: " + content.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, sent);
            out.flush();
        }
    }

    private long awaitStoredOffset(String uploadUrl) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            var head = acme.head(uploadUrl);
            long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElse("0"));
            if (offset > 0) {
                return offset;
            }
            Thread.sleep(50);
        }
        return 0;
    }

    private static Path testFile(String name) throws IOException {
        Path dir = Files.createDirectories(TestEnvironment.workDir().resolve("client-files"));
        return Files.write(dir.resolve(name), SlowBody.pattern(SIZE));
    }
}
