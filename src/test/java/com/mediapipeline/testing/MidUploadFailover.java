package com.mediapipeline.testing;

import com.mediapipeline.progress.ProgressEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntUnaryOperator;

import static com.mediapipeline.testing.ResumingUpload.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failover tests' upload through a master's death: an upload of 8 MiB sent with the real TUS client
 * loses Redis's master half way through its fourth PATCH; the client goes on as TUS clients do (HEAD,
 * then PATCH from the offset it names) while a probe asks the upload's status. Checks what holds
 * whatever the topology: the same upload completes with identical bytes and status, the socket watching
 * it gets the events published after the failover (the relay subscribed again by itself).
 */
public final class MidUploadFailover {

    public static final int SIZE = 8 * 1024 * 1024;

    /** SIGKILLs the master; answers its port. */
    @FunctionalInterface
    public interface Kill {
        int master() throws Exception;
    }

    /** The upload's id, the port of the master that took over, and what the service answered meanwhile. */
    public record Result(String id, int successor, FailoverOutcomes outcomes) {
    }

    private MidUploadFailover() {
    }

    /**
     * The service on {@code redisUrl}, its storage under {@code folder}, with what the upload needs: the
     * lock of a PATCH cut by the failover expires within seconds, progress is recorded every 100 ms.
     */
    public static ServiceProcess service(Path folder, String redisUrl, String... options) throws IOException {
        List<String> all = new ArrayList<>(List.of("-Dmediapipeline.redis.url=" + redisUrl,
                "-Dmediapipeline.upload.lock-timeout=PT5S", "-Dmediapipeline.progress.interval-ms=100"));
        all.addAll(List.of(options));
        return new ServiceProcess(Files.createDirectories(folder.resolve("storage")), ServiceProcess.reservedPort(1), all.toArray(String[]::new));
    }

    /**
     * Runs the upload, killing the master with {@code kill} mid-upload; {@code awaitTakeover} waits until
     * another server serves in the killed one's place and answers its port.
     */
    public static Result run(Api api, String fileName, Kill kill, IntUnaryOperator awaitTakeover, Duration wait) throws Exception {
        Path file = ResumingUpload.randomFile(fileName, SIZE);
        ResumingUpload upload = ResumingUpload.create(api, file);
        String id = upload.id();
        FailoverOutcomes outcomes = new FailoverOutcomes();
        int successor;
        try (SocketWatcher watcher = SocketWatcher.open(api, id)) {
            upload.sendUntil(SIZE * 7L / 16); // half way through the fourth PATCH of 1 MiB
            long offsetAtKill = upload.offset();
            // the service is writing that PATCH when the master dies: it has recorded some of its bytes
            Await.until(wait, "the fourth PATCH's bytes to be recorded", () -> ((Number) api.statusJson(id).get("offset")).longValue(),
                    offset -> offset > 3L * 1024 * 1024);
            try (AutoCloseable probe = outcomes.probe(api, id)) {
                long killedAt = System.nanoTime();
                int killed = kill.master();
                CompletableFuture<Integer> takeover = CompletableFuture.supplyAsync(() -> {
                    int port = awaitTakeover.applyAsInt(killed);
                    System.out.printf("failover: the server on %d took over from %d %d ms after the kill%n", port, killed, sinceMillis(killedAt));
                    return port;
                });
                upload.sendTheRest(outcomes, wait);
                System.out.printf("failover: the upload completed %d ms after the kill%n", sinceMillis(killedAt));
                successor = takeover.join();
            }
            assertEquals(id, Api.idOf(upload.url()), "the same upload resumed");

            ProgressEvent complete = watcher.nextOfType(ProgressEvent.COMPLETE, wait.toSeconds());
            assertEquals(SIZE, complete.bytesSent(), "the relay, subscribed again, brought the completion");
            assertTrue(watcher.messages().stream().anyMatch(event -> event.bytesSent() > offsetAtKill));
        }
        assertEquals(sha256(Files.readAllBytes(file)), sha256(api.downloaded(upload.url())), "SHA-256 of the download");
        Map<String, Object> status = api.statusJson(id);
        assertEquals("completed", status.get("status"));
        assertEquals(SIZE, ((Number) status.get("offset")).intValue());
        return new Result(id, successor, outcomes);
    }

    private static long sinceMillis(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
