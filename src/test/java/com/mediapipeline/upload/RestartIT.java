package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The microbundle as ops run it, on its default embedded Redis: nothing an upload has stored is
 * lost to a restart or to a crash in the middle of a PATCH.
 */
class RestartIT {

    private static final int SIZE = 4 * 1024 * 1024;
    private static final String LOCK_TIMEOUT = "-Dmediapipeline.upload.lock-timeout=PT2S";
    private final int port = ServiceProcess.reservedPort(1);

    @Test
    void anUploadResumesAfterARestartWithIdenticalBytes() throws Exception {
        Path storage = freshStorage("restart");
        byte[] content = SlowBody.pattern(SIZE);
        String upload;
        try (ServiceProcess service = new ServiceProcess(storage, port).start()) {
            Api api = Api.acme(service.url());
            upload = api.create(SIZE, "film.mov", "video/quicktime");
            assertEquals(204, api.patch(upload, 0, Arrays.copyOf(content, SIZE / 2)).statusCode());
            service.stop();
        }
        try (ServiceProcess service = new ServiceProcess(storage, port).start()) {
            Api api = Api.acme(service.url());
            assertEquals(Integer.toString(SIZE / 2), api.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
            assertEquals("uploading", api.statusJson(Api.idOf(upload)).get("status"), "the embedded Redis kept the status");
            assertEquals(204, api.patch(upload, SIZE / 2, Arrays.copyOfRange(content, SIZE / 2, SIZE)).statusCode());
            assertEquals("completed", api.statusJson(Api.idOf(upload)).get("status"));
            assertArrayEquals(content, api.download(Api.idOf(upload)).body());
        }
    }

    /**
     * SIGKILL while a PATCH streams, plus bytes on disk past the recorded offset (the window
     * between writing and recording): after a restart, once the dead PATCH's lock has expired,
     * the upload resumes from the recorded offset.
     */
    @Test
    void anUploadSurvivesAKillMidPatch() throws Exception {
        Path storage = freshStorage("crash");
        byte[] content = SlowBody.pattern(SIZE);
        String upload;
        try (ServiceProcess service = new ServiceProcess(storage, port, LOCK_TIMEOUT).start()) {
            Api api = Api.acme(service.url());
            upload = api.create(SIZE, "crash.bin", null);
            try (Socket patch = api.openPatch(upload, SIZE)) {
                patch.getOutputStream().write(content, 0, SIZE / 4);
                api.awaitBytesRecorded(upload);
                service.kill();
            }
        }
        Path data = storage.resolve("uploads").resolve(Api.idOf(upload)).resolve("data");
        Files.write(data, "bytes never recorded".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (ServiceProcess service = new ServiceProcess(storage, port, LOCK_TIMEOUT).start()) {
            Api api = Api.acme(service.url());
            long offset = Long.parseLong(api.head(upload).headers().firstValue("Upload-Offset").orElseThrow());
            assertTrue(offset < Files.size(data), "the data file is longer than the recorded offset");
            byte[] rest = Arrays.copyOfRange(content, (int) offset, SIZE);
            HttpResponse<String> resumed = Await.until(Duration.ofSeconds(15), "the crashed instance's lock to expire",
                    () -> api.patch(upload, offset, rest), response -> response.statusCode() != 423);
            assertEquals(204, resumed.statusCode(), "the crashed instance's lock expired: " + resumed.body());
            assertArrayEquals(content, api.download(Api.idOf(upload)).body());
            assertEquals("completed", api.statusJson(Api.idOf(upload)).get("status"));
        }
    }

    private static Path freshStorage(String name) throws IOException {
        Path storage = TestEnvironment.workDir().resolve("restart-" + name + "-" + System.nanoTime());
        return Files.createDirectories(storage);
    }
}
