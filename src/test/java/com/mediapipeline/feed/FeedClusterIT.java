package com.mediapipeline.feed;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.FeedWatcher;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The socket of many uploads with two instances on one Redis and one folder. */
class FeedClusterIT {

    private static ServiceProcess a;
    private static ServiceProcess b;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        TestEnvironment.start();
        Path storage = Files.createDirectories(TestEnvironment.workDir().resolve("feed-cluster-" + System.nanoTime()));
        String[] options = {"-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.rate-limit.per-second=100000", "-Dmediapipeline.rate-limit.burst=100000",
                "-Dmediapipeline.upload.max-concurrent-per-key=64",
                "-Dmediapipeline.progress.interval-ms=" + TestEnvironment.PROGRESS_INTERVAL_MS};
        a = new ServiceProcess(storage, ServiceProcess.reservedPort(1), options);
        b = new ServiceProcess(storage, ServiceProcess.reservedPort(2), options);
        ServiceProcess.startAll(a, b);
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(a, b);
    }

    /**
     * One socket on A follows 50 uploads received at once by A and B: every one's events reach it through
     * the relay, which is one pub/sub subscription per instance however many sockets are open.
     */
    @Test
    void oneFeedFollowsUploadsOnBothInstances() throws Exception {
        String user = "feed-" + UUID.randomUUID().toString().substring(0, 8);
        Api onA = Api.acme(a.url()).as(user);
        Api onB = Api.acme(b.url()).as(user);
        long subscriptions = subscribers();
        try (FeedWatcher feed = FeedWatcher.open(onA); FeedWatcher second = FeedWatcher.open(onA); FeedWatcher third = FeedWatcher.open(onB)) {
            feed.next(Feed.SNAPSHOT, 10);
            feed.send("{\"subscribe\": {\"username\": \"" + user + "\"}}");
            assertEquals(List.of(), feed.next(Feed.SNAPSHOT, 10).get("uploads"));
            assertEquals(subscriptions, subscribers(),
                    "sockets add no subscription");
            Set<String> ids = ConcurrentHashMap.newKeySet();
            ExecutorService clients = Executors.newFixedThreadPool(50);
            try {
                List<CompletableFuture<Void>> uploads = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    Api on = i % 2 == 0 ? onA : onB;
                    uploads.add(CompletableFuture.runAsync(() -> {
                        String upload = on.create(64 * 1024, null, null);
                        ids.add(Api.idOf(upload));
                        assertEquals(204, on.patch(upload, 0, new byte[64 * 1024]).statusCode());
                    }, clients));
                }
                uploads.forEach(CompletableFuture::join);
            } finally {
                clients.shutdown();
            }
            Set<String> completed = new HashSet<>();
            while (completed.size() < 50) {
                completed.add((String) feed.next("complete", 30).get("upload_id"));
            }
            assertEquals(ids, completed);
        }
    }


    /** How many connections subscribe to the progress channel (instances of every test running now included). */
    private static long subscribers() {
        return TestRedis.subscribers(RedisKeys.PROGRESS_CHANNEL);
    }
}
