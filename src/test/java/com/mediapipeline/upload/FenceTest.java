package com.mediapipeline.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fence on real files: who may write, and who waits for whom (each wait is guarded against a hang, not timed). */
class FenceTest {

    private static final Duration HANG = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    final Fence fence = new Fence();

    @Test
    void aNewerLeaseShutsTheOlderOneOutAndNeverTheReverse() throws Exception {
        Path upload = Files.createDirectory(dir.resolve("a"));
        try (Fence.Hold older = fence.hold(upload, 1); Fence.Hold newer = fence.hold(upload, 2)) {
            older.take();
            assertEquals("older", older.run(() -> "older"));
            newer.take();
            assertThrows(WriteGuard.LockLostException.class, () -> older.run(() -> "too late"));
            assertThrows(WriteGuard.LockLostException.class, older::take);
            assertEquals("newer", newer.run(() -> "newer"));
        }
    }

    /** A PATCH's writer threads write side by side: two steps of one lease run at once. */
    @Test
    void stepsOfOneLeaseRunSideBySide() throws Exception {
        Path upload = Files.createDirectory(dir.resolve("b"));
        try (Fence.Hold hold = fence.hold(upload, 7)) {
            hold.take();
            CountDownLatch both = new CountDownLatch(2);
            Fence.Step<Boolean> meetTheOther = () -> {
                both.countDown();
                return await(both);
            };
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> unchecked(() -> hold.run(meetTheOther)));
            assertTimeoutPreemptively(HANG, () -> assertTrue(hold.run(meetTheOther)));
            assertTrue(first.get(HANG.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /** A long step of one upload (a final's assembly) holds up no other upload. */
    @Test
    void oneUploadsStepsNeverWaitForAnothers() throws Exception {
        Path slow = Files.createDirectory(dir.resolve("slow"));
        Path other = Files.createDirectory(dir.resolve("other"));
        try (Fence.Hold busy = fence.hold(slow, 1); Fence.Hold free = fence.hold(other, 1)) {
            busy.take();
            free.take();
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch otherDone = new CountDownLatch(1);
            CompletableFuture<Boolean> assembly = CompletableFuture.supplyAsync(() -> unchecked(() -> busy.run(() -> {
                inside.countDown();
                return await(otherDone);
            })));
            assertTrue(inside.await(HANG.toSeconds(), TimeUnit.SECONDS));
            assertTimeoutPreemptively(HANG, () -> free.run(() -> "written"));
            otherDone.countDown();
            assertTrue(assembly.get(HANG.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /** A delete renames the folder away: a hold taken after that finds nothing to bring back. */
    @Test
    void aRemovedFolderIsGone() throws Exception {
        Path upload = Files.createDirectory(dir.resolve("c"));
        Files.move(upload, dir.resolve(".removed-c"));
        assertThrows(Fence.GoneException.class, () -> fence.hold(upload, 1));
        assertTrue(Files.notExists(upload));
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(HANG.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private interface Io<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(Io<T> io) {
        try {
            return io.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
