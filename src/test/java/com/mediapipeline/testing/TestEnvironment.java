package com.mediapipeline.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What every integration test shares, set up once per test JVM before Arquillian boots Payara
 * Micro: a real Redis (our own redis-server, or the external one named by {@code it.redis.url}),
 * a storage folder, API keys, and the Payara options that hand all of it to the service.
 */
public final class TestEnvironment implements BeforeAllCallback {

    /** The business of {@link #ACME_KEY}, whose keys the tests look at in Redis. */
    public static final String ACME = "acme";
    public static final String ACME_KEY = "acme-test-key-0001";
    public static final String GLOBEX_KEY = "globex-test-key-0002";
    public static final long MAX_UPLOAD_SIZE = 256L * 1024 * 1024;
    public static final int PROGRESS_INTERVAL_MS = 100;
    public static final int LOCK_TIMEOUT_SECONDS = 2;
    /** The signing secret first, then one that only verifies (as during a rotation). */
    public static final String LINK_SECRETS = "k2:" + "s".repeat(32) + ",k1:" + "t".repeat(32);

    /** Webhooks to the tests' receivers (on 127.0.0.1), retried quickly. */
    public static final int WEBHOOK_RETRY_BASE_MS = 200;
    public static final int WEBHOOK_MAX_ATTEMPTS = 5;

    private static String redisUrl;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    public static synchronized void start() {
        if (redisUrl != null) {
            return;
        }
        String external = System.getProperty("it.redis.url", "");
        redisUrl = external.isBlank() ? startRedis() : external;
        System.setProperty("payara.cmdOptions", String.join(" ", serviceOptions(storageDir())));
    }

    public static String redisUrl() {
        start();
        return redisUrl;
    }

    public static Path storageDir() {
        return Path.of(System.getProperty("it.storage.dir"));
    }

    public static Path workDir() {
        try {
            return Files.createDirectories(Path.of(System.getProperty("it.work.dir")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JVM options that configure the service under test through MicroProfile Config. */
    public static List<String> serviceOptions(Path storage) {
        return List.of("-Xmx512m",
                "-Djava.io.tmpdir=" + workDir(),
                "-Dmediapipeline.redis.url=" + redisUrl,
                "-Dmediapipeline.storage.dir=" + storage,
                "-Dmediapipeline.api-keys=" + ACME + ":" + ACME_KEY + ",globex:" + GLOBEX_KEY,
                "-Dmediapipeline.upload.max-size=" + MAX_UPLOAD_SIZE,
                "-Dmediapipeline.progress.interval-ms=" + PROGRESS_INTERVAL_MS,
                "-Dmediapipeline.upload.lock-timeout=PT" + LOCK_TIMEOUT_SECONDS + "S",
                "-Dmediapipeline.rate-limit.per-second=100000",
                "-Dmediapipeline.rate-limit.burst=100000",
                "-Dmediapipeline.health.min-free-bytes=1048576",
                "-Dmediapipeline.links.secrets=" + LINK_SECRETS,
                "-Dmediapipeline.webhooks.allowed-hosts=127.0.0.1",
                "-Dmediapipeline.webhooks.retry-base=PT" + WEBHOOK_RETRY_BASE_MS / 1000.0 + "S",
                "-Dmediapipeline.webhooks.max-attempts=" + WEBHOOK_MAX_ATTEMPTS,
                "-Dmediapipeline.webhooks.progress-interval=PT0.3S",
                "-Dmediapipeline.webhooks.timeout=PT2S");
    }

    private static String startRedis() {
        int port = Integer.parseInt(System.getProperty("it.redis.port"));
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .soutListener(line -> { })
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the tests' redis-server", e);
        }
        return "redis://127.0.0.1:" + port;
    }
}
