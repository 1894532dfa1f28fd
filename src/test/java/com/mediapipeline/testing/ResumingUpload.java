package com.mediapipeline.testing;

import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A file sent with the real TUS client (io.tus.java.client) in PATCHes of 1 MiB, as acme's alice, each
 * request giving up after {@link FailoverOutcomes#CLIENT_TIMEOUT}; after a failure it resumes from the
 * offset HEAD names, as a TUS client that retries does. For the tests that take Redis away mid-upload.
 */
public final class ResumingUpload {

    private final TusClient client;
    private final TusUpload upload;
    private final String id;
    private TusUploader uploader;

    private ResumingUpload(TusClient client, TusUpload upload, String id, TusUploader uploader) {
        this.client = client;
        this.upload = upload;
        this.id = id;
        this.uploader = uploader;
    }

    /** Creates the upload of {@code file} and readies its first PATCH. */
    public static ResumingUpload create(Api api, Path file) throws Exception {
        TusURLMemoryStore store = new TusURLMemoryStore();
        TusClient client = client(api, store);
        TusUpload upload = new TusUpload(file.toFile());
        String id = Api.idOf(client.createUpload(upload).getUploadURL().toString());
        // the Location names the machine's address; the tests talk to the service over loopback only
        store.set(upload.getFingerprint(), URI.create(api.uploadsUrl() + id).toURL());
        return new ResumingUpload(client, upload, id, chunked(client.resumeUpload(upload)));
    }

    public String id() {
        return id;
    }

    /** The offset the client reached, by its own count. */
    public long offset() {
        return uploader.getOffset();
    }

    /** The upload URL the client is sending to now (after a resume, the one HEAD was asked on). */
    public String url() {
        return uploader.getUploadURL().toString();
    }

    /** Sends chunks (no failure expected) until the client's offset reaches {@code offset}. */
    public void sendUntil(long offset) throws IOException, ProtocolException {
        while (uploader.getOffset() < offset) {
            uploader.uploadChunk();
        }
    }

    /** Sends the rest of the file, resuming from HEAD after each failure, which goes to {@code outcomes}. */
    public void sendTheRest(FailoverOutcomes outcomes, Duration resumeWithin) throws Exception {
        while (true) {
            try {
                while (uploader.uploadChunk() > -1) {
                    // one PATCH of 1 MiB after another
                }
                uploader.finish();
                return;
            } catch (ProtocolException | IOException failed) {
                outcomes.add(failed);
                uploader = Await.until(resumeWithin, "HEAD to answer the offset to resume from", () -> {
                    try {
                        return chunked(client.resumeUpload(upload));
                    } catch (ProtocolException | IOException notYet) {
                        outcomes.add(notYet);
                        return null;
                    }
                }, Objects::nonNull);
            }
        }
    }

    /** {@code size} random bytes (the same for the same name) in a file under the test's work folder. */
    public static Path randomFile(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        Path dir = Files.createDirectories(TestEnvironment.workDir().resolve("failover-files"));
        return Files.write(dir.resolve(name), bytes);
    }

    public static String sha256(byte[] bytes) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static TusClient client(Api api, TusURLMemoryStore store) throws IOException {
        TusClient client = new TusClient() {
            @Override
            public void prepareConnection(HttpURLConnection connection) {
                super.prepareConnection(connection);
                connection.setReadTimeout((int) FailoverOutcomes.CLIENT_TIMEOUT.toMillis());
            }
        };
        client.setConnectTimeout((int) FailoverOutcomes.CLIENT_TIMEOUT.toMillis());
        client.setUploadCreationURL(URI.create(api.uploadsUrl()).toURL());
        client.setHeaders(Map.of("X-API-KEY", TestEnvironment.ACME_KEY, "X-Username", "alice"));
        client.enableResuming(store);
        return client;
    }

    /** PATCHes of 1 MiB, written 64 KiB at a time. */
    private static TusUploader chunked(TusUploader uploader) {
        uploader.setChunkSize(64 * 1024);
        uploader.setRequestPayloadSize(1024 * 1024);
        return uploader;
    }
}
