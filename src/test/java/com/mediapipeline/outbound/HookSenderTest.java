package com.mediapipeline.outbound;

import com.sun.net.httpserver.HttpServer;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signed POST against a real HTTP server on loopback: redirects, long answers, silent receivers. */
class HookSenderTest {

    private final HttpServer server = server();
    private final AtomicInteger redirected = new AtomicInteger();
    private final HookSender sender = new HookSender();

    @BeforeEach
    void start() {
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", url("/target").toString());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/target", exchange -> {
            redirected.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/long", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 1024; i++) {
                    body.write("x".repeat(1024).getBytes());
                }
            }
        });
        server.createContext("/silent", exchange -> {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        sender.timeout = Duration.ofSeconds(1);
        sender.threads = new PlainThreads();
        sender.start();
    }

    @AfterEach
    void stop() {
        sender.stop();
        server.stop(0);
    }

    @Test
    void aRedirectIsTheAnswerNotFollowed() {
        HookSender.Reply reply = sender.post(url("/redirect"), "msg_1", "{}", List.of(Signatures.newSecret()));

        assertEquals(307, reply.status());
        assertEquals(0, redirected.get());
    }

    @Test
    void atMost4KiBOfAnAnswerIsRead() {
        HookSender.Reply reply = sender.post(url("/long"), "msg_2", "{}", List.of(Signatures.newSecret()));

        assertEquals(200, reply.status());
        assertEquals(HookSender.MAX_ANSWER_BYTES, reply.body().length());
    }

    @Test
    void aSilentReceiverEndsAtTheDeadline() {
        HookSender.Reply reply = sender.post(url("/silent"), "msg_3", "{}", List.of(Signatures.newSecret()));

        assertEquals(0, reply.status());
        assertTrue(reply.latencyMillis() < 4000, "the deadline, not the receiver, ended the wait: " + reply.latencyMillis() + " ms");
        assertTrue(reply.error() != null && !reply.success(), reply.toString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static HttpServer server() {
        try {
            return HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The container's thread factory, as plain threads outside a container. */
    private static final class PlainThreads implements ManagedThreadFactory {

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            return ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        }
    }
}
