package com.mediapipeline.redis;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A real redis-server child process for single-machine runs, persisting (append-only file) under
 * the storage folder so that progress survives a restart like the uploaded bytes do.
 */
final class EmbeddedRedis {

    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class.getName());

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static EmbeddedRedis start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path pidFile = dataDir.resolve("redis.pid");
        stopOrphan(pidFile);
        int port = freeLoopbackPort();
        RedisServer server = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("dir " + dataDir.toAbsolutePath())
                .setting("pidfile " + pidFile.toAbsolutePath())
                .setting("appendonly yes")
                .setting("appendfsync everysec")
                .setting("save \"\"")
                .soutListener(line -> LOG.finest(line))
                .serrListener(line -> LOG.warning(line))
                .build();
        server.start();
        LOG.info("Started embedded redis-server on 127.0.0.1:" + port + " with data in " + dataDir.toAbsolutePath());
        return new EmbeddedRedis(server, port);
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    void stop() throws IOException {
        server.stop();
    }

    /** A JVM killed hard leaves its redis-server running on our data folder: end it before starting anew. */
    private static void stopOrphan(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).trim();
        Optional<ProcessHandle> orphan = pid.matches("\\d+")
                ? ProcessHandle.of(Long.parseLong(pid)) : Optional.empty();
        orphan.filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                .ifPresent(p -> {
                    LOG.warning("Stopping the embedded redis-server left running by a previous run (pid " + pid + ")");
                    p.destroy();
                    p.onExit().completeOnTimeout(p, Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
                });
        Files.deleteIfExists(pidFile);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
