package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.SocketWatcher;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 10, case 7: at most {@code mediapipeline.websocket.max-per-key} open progress sockets per
 * business, counted across instances; one more is closed with 4429, and a socket that closes, or
 * whose instance died, gives its slot back. Two instances on one Redis, with a cap of three.
 */
class SocketCapIT {

    private static final int CAP = 3;
    private static ServiceProcess a;
    private static ServiceProcess b;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        TestEnvironment.start();
        Path storage = Files.createDirectories(TestEnvironment.workDir().resolve("socket-cap-" + System.nanoTime()));
        String[] options = {"-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.websocket.max-per-key=" + CAP};
        a = new ServiceProcess(storage, ServiceProcess.reservedPort(1), options);
        b = new ServiceProcess(storage, ServiceProcess.reservedPort(2), options);
        ServiceProcess.startAll(a, b);
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(a, b);
    }

    /** Sockets on both instances count against one cap; another business is not affected; a close frees a slot. */
    @Test
    void aBusinessHasAtMostItsCapOfSocketsAcrossInstances() throws Exception {
        Api onA = Api.acme(a.url());
        Api onB = Api.acme(b.url());
        String id = Api.idOf(onA.create(10, null, null));
        List<SocketWatcher> open = new ArrayList<>();
        try {
            for (Api instance : new Api[] {onA, onA, onB}) {
                open.add(watching(instance, id));
            }
            try (SocketWatcher refused = SocketWatcher.open(onB, id)) {
                assertEquals(4429, refused.closeCode(), "a fourth socket, on the other instance");
            }
            String other = Api.idOf(Api.globex(a.url()).create(10, null, null));
            try (SocketWatcher globex = watching(Api.globex(a.url()), other)) {
                assertEquals("created", globex.messages().get(0).status(), "another business has its own cap");
            }

            open.remove(0).close();
            open.add(awaitSlot(onB, id));
        } finally {
            open.forEach(SocketWatcher::close);
        }
    }

    /** A slot counts while its lease runs (renewed by a live instance), and no longer once it has passed. */
    @Test
    void slotsOfADeadInstanceStopCountingWhenTheirLeaseEnds() throws Exception {
        Api globex = Api.globex(a.url());
        String id = Api.idOf(globex.create(10, null, null));
        String key = RedisKeys.webSockets("globex");
        long now = Instant.now().toEpochMilli();
        try {
            for (int i = 0; i < CAP; i++) {
                TestRedis.client().zadd(key, now + 60_000, "live-instance:socket-" + i);
            }
            try (SocketWatcher refused = SocketWatcher.open(globex, id)) {
                assertEquals(4429, refused.closeCode(), "sockets of another live instance count");
            }

            TestRedis.client().del(key);
            for (int i = 0; i < CAP; i++) {
                TestRedis.client().zadd(key, now - 1, "dead-instance:socket-" + i);
            }
            try (SocketWatcher watcher = watching(globex, id)) {
                assertEquals("created", watcher.messages().get(0).status(), "a dead instance's sockets no longer count");
            }
        } finally {
            TestRedis.client().del(key);
        }
    }

    /** A socket that was let in: it received the upload's current state. */
    private static SocketWatcher watching(Api caller, String id) throws InterruptedException {
        SocketWatcher watcher = SocketWatcher.open(caller, id);
        watcher.next();
        return watcher;
    }

    /** The slot of a socket that closed comes back once the server has seen the close. */
    private static SocketWatcher awaitSlot(Api caller, String id) {
        return Await.until(Duration.ofSeconds(100), "the closed socket's slot to come back", () -> admitted(caller, id),
                Objects::nonNull);
    }

    /** A socket that was let in, or null when it was closed for the cap. */
    private static SocketWatcher admitted(Api caller, String id) throws Exception {
        SocketWatcher watcher = SocketWatcher.open(caller, id);
        try {
            watcher.next(2);
            return watcher;
        } catch (AssertionError refused) {
            assertEquals(4429, watcher.closeCode());
            return null;
        }
    }
}
