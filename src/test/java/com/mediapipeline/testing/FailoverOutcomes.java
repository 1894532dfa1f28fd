package com.mediapipeline.testing;

import io.tus.java.client.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the service answered while Redis was failing over (a Sentinel's master or a cluster's), for the
 * assertions that follow: only 503 {@code redis_unavailable} in JSON or a 423, never a 500, nothing
 * hanging past the client's timeout.
 */
public final class FailoverOutcomes {

    /** How long a request of the failover tests may take before the client gives up and calls it hung. */
    public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile long slowestMillis;

    public void add(HttpResponse<String> response) {
        if (response.statusCode() == 200) {
            return;
        }
        seen.add(response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("(no type)")
                + " " + response.body());
    }

    public void add(Exception failure) {
        if (failure instanceof ProtocolException protocol && protocol.getCausingConnection() != null) {
            seen.add(answer(protocol.getCausingConnection()));
        } else if (failure instanceof SocketTimeoutException) {
            seen.add("hung: " + failure);
        } else {
            // a PATCH body cut off by an early answer (the service answered 503 and closed): the client resumes
            seen.add("io: " + failure);
        }
    }

    public void add(String hung) {
        seen.add(hung);
    }

    /**
     * Every error was a 503 redis_unavailable in JSON, or a 423 of a lock not yet expired. A HEAD has no
     * body, and a PATCH answered before its body was sent may lose the answer's body to the reset of the
     * connection that the client is still writing to; the client then resumes, as after any I/O failure.
     */
    public void assertOnly503sAndSeenOne() {
        assertOnly503s();
        assertTrue(seen.stream().anyMatch(answer -> answer.startsWith("503")), "no 503 while the master was down: " + seen);
    }

    /**
     * Every error was a 503 redis_unavailable in JSON, or a 423, and there may have been none: a client that
     * follows the failover within its retries answers the request late instead.
     */
    public void assertOnly503s() {
        List<String> unexpected = seen.stream().filter(answer -> !answer.startsWith("io: ")
                && !answer.matches("(?s)503 application/json\\S* \\{.*\"error\": ?\"redis_unavailable\".*\"message\".*")
                && !answer.matches("503 application/json\\S* \\((HEAD|body cut)\\)")
                && !answer.matches("(?s)423 application/json\\S* \\{.*\"error\": ?\"locked\".*")).toList();
        assertEquals(List.of(), unexpected, "answers during the failover besides 503 JSON; all: " + seen);
    }

    /** What the service answered besides 200, and how long the probe's slowest answer took. */
    public String summary() {
        return seen.size() + " answers besides 200 " + seen + "; the probe's slowest answer took " + slowestMillis + " ms";
    }

    /** Asks the status of an upload over and over, each call bounded by the client timeout, until closed. */
    public AutoCloseable probe(Api api, String uploadId) {
        Probe probe = new Probe(api, uploadId);
        probe.thread.start();
        return probe;
    }

    /** A 500 is a bug: the service logs each one with its stack trace. */
    public static void assertNoUnhandledErrors(ServiceProcess service) throws IOException {
        List<String> unhandled = service.logLines().stream().filter(line -> line.contains("Unhandled error")).toList();
        assertEquals(List.of(), unhandled, "see " + service.log());
    }

    private static String answer(HttpURLConnection connection) {
        try {
            String type = Objects.requireNonNullElse(connection.getContentType(), "(no type)");
            if ("HEAD".equals(connection.getRequestMethod())) {
                return connection.getResponseCode() + " " + type + " (HEAD)";
            }
            InputStream error = connection.getErrorStream();
            String body = error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8);
            return connection.getResponseCode() + " " + type + " " + (body.isEmpty() ? "(body cut)" : body);
        } catch (IOException e) {
            return "io: reading the answer: " + e;
        }
    }

    private final class Probe implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Probe(Api api, String uploadId) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        long sent = System.nanoTime();
                        add(Api.send(api.request("/api/v1/uploads/meta/" + uploadId + "/status").timeout(CLIENT_TIMEOUT).GET()));
                        slowestMillis = Math.max(slowestMillis, Duration.ofNanos(System.nanoTime() - sent).toMillis());
                        Thread.sleep(100); // 10 a second: within the rate limit of the business
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        add("hung or failed: " + e);
                    }
                }
            }, "failover-probe");
            thread.setDaemon(true);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
