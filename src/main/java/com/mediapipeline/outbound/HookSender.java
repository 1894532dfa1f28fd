package com.mediapipeline.outbound;

import com.mediapipeline.config.InvalidSettingException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs a signed JSON body to a receiver: no redirects followed, one deadline for the whole exchange
 * ({@code mediapipeline.webhooks.timeout}), and at most 4 KiB of the answer read.
 */
@ApplicationScoped
public class HookSender {

    public static final String TIMEOUT_SETTING = "mediapipeline.webhooks.timeout";
    static final int MAX_ANSWER_BYTES = 4096;

    @Inject
    @ConfigProperty(name = TIMEOUT_SETTING, defaultValue = "PT10S")
    Duration timeout;

    @Resource
    ManagedThreadFactory threads;

    private ExecutorService executor;
    private HttpClient client;

    /**
     * The client's own threads: the container's default executor queues tasks behind long-running ones
     * (its pool grows only when its queue is full), and a send must never wait for another's turn.
     */
    @PostConstruct
    void start() {
        InvalidSettingException.require(timeout.toMillis() >= 100, TIMEOUT_SETTING, "must be at least 100 ms, was " + timeout);
        executor = Executors.newCachedThreadPool(threads);
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).executor(executor).build();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** The receiver's answer, or a status of 0 and the error when there was none in time. */
    public Reply post(URI url, String id, String body, List<String> secrets) {
        return post(url, id, body, secrets, timeout);
    }

    /** As {@link #post(URI, String, String, List)}, with its own deadline. */
    public Reply post(URI url, String id, String body, List<String> secrets, Duration deadline) {
        long now = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(deadline)
                .header("Content-Type", "application/json")
                .header("User-Agent", "media-pipeline-webhooks")
                .header(Signatures.ID, id)
                .header(Signatures.TIMESTAMP, Long.toString(now))
                .header(Signatures.SIGNATURE, Signatures.header(id, now, body, secrets))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request, answer -> new Prefix());
        try {
            HttpResponse<String> response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return new Reply(response.statusCode(), response.body(), null, elapsed(started));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Reply(0, "", "no answer within " + deadline, elapsed(started));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Reply(0, "", cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                    elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, "", "interrupted", elapsed(started));
        }
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** A receiver's answer: the status (0 for none), up to 4 KiB of its body, or what went wrong. */
    public record Reply(int status, String body, String error, long latencyMillis) {

        public boolean success() {
            return status >= 200 && status < 300;
        }
    }

    /** Keeps the first 4 KiB of a body and stops reading there. */
    private static final class Prefix implements HttpResponse.BodySubscriber<String> {

        private final ByteBuffer kept = ByteBuffer.allocate(MAX_ANSWER_BYTES);
        private final CompletableFuture<String> text = new CompletableFuture<>();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<String> getBody() {
            return text;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int room = Math.min(kept.remaining(), buffer.remaining());
                kept.put(buffer.slice().limit(room));
            }
            if (kept.hasRemaining()) {
                subscription.request(1);
            } else {
                subscription.cancel();
                onComplete();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            onComplete();
        }

        @Override
        public void onComplete() {
            text.complete(new String(kept.array(), 0, kept.position(), StandardCharsets.UTF_8));
        }
    }
}
