package com.mediapipeline.redis;

import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SocketWatcher;
import com.mediapipeline.testing.TcpProxy;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A silent partition between an instance and Redis: its connections go quiet without a FIN or a RST,
 * as when the network splits, a host freezes, or an old master is cut off while Sentinel promotes a
 * replica. Jedis reads a subscription without a timeout, so the instance's progress relay must find out
 * by itself (its PINGs go unanswered), subscribe again on a new connection and bring the events of
 * uploads on other instances to the sockets open on it again.
 * <p>
 * Runs two microbundles on a redis-server of its own; one of them reaches it through a {@link TcpProxy}
 * that cuts off every connection open at a moment while letting new ones through.
 */
class PartitionIT {

    /** The watchdog's deadline, a few failed borrows of dead pooled connections, a busy machine. */
    private static final Duration RECOVERY = Duration.ofMinutes(2);
    private static final Duration BETWEEN_PATCHES = Duration.ofSeconds(2);
    private static final int CHUNK = 1024;

    private static RedisServer redis;
    private static TcpProxy proxy;
    private static ServiceProcess partitioned;
    private static ServiceProcess other;

    @BeforeAll
    static void start() throws Exception {
        int redisPort = Integer.parseInt(System.getProperty("it.redis.port2"));
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort).setting("save \"\"")
                .setting("appendonly no").soutListener(line -> { }).build();
        redis.start();
        proxy = TcpProxy.to("127.0.0.1", redisPort);
        Path storage = Files.createDirectories(TestEnvironment.workDir().resolve("partition-" + System.nanoTime()));
        String progress = "-Dmediapipeline.progress.interval-ms=" + TestEnvironment.PROGRESS_INTERVAL_MS;
        partitioned = new ServiceProcess(storage, ServiceProcess.reservedPort(1),
                "-Dmediapipeline.redis.url=redis://127.0.0.1:" + proxy.port(), progress);
        other = new ServiceProcess(storage, ServiceProcess.reservedPort(2),
                "-Dmediapipeline.redis.url=redis://127.0.0.1:" + redisPort, progress);
        // one after the other: two boots side by side on a busy machine can outlast the boot timeout
        partitioned.start();
        other.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            ServiceProcess.closeAll(partitioned, other);
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            if (redis != null) {
                redis.stop();
            }
        }
    }

    /**
     * Every connection of one instance to Redis goes silent, its subscription's among them; a socket open
     * on that instance hears PATCHes made on the other one again within a while, and the instance said
     * why it dropped the subscription.
     */
    @Test
    void aSocketHearsUploadsAgainAfterItsInstanceWasCutOffSilently() throws Exception {
        Api onOther = Api.acme(other.url());
        String upload = onOther.create(1024L * 1024, "partition.bin", null);
        String id = Api.idOf(upload);
        try (SocketWatcher watcher = SocketWatcher.open(Api.acme(partitioned.url()), id)) {
            assertEquals(ProgressEvent.CREATED, watcher.next(30).type());
            proxy.blackholeOpenConnections();

            long[] offset = {0};
            long[] nextPatch = {System.nanoTime()};
            // PATCH again now and then: one made before the relay is subscribed again is never relayed
            Await.until(RECOVERY, "the socket on the cut-off instance to hear a PATCH made on the other instance", () -> {
                if (System.nanoTime() - nextPatch[0] >= 0) {
                    assertEquals(204, onOther.patch(upload, offset[0], new byte[CHUNK]).statusCode());
                    offset[0] += CHUNK;
                    nextPatch[0] = System.nanoTime() + BETWEEN_PATCHES.toNanos();
                }
                return watcher.messages().stream().anyMatch(event -> event.bytesSent() > 0);
            });
        }
        assertTrue(partitioned.logLines().stream().anyMatch(line -> line.contains("silent for")),
                "the instance logged why it dropped its subscription; see " + partitioned.log());
    }
}
