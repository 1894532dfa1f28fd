package com.mediapipeline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An upload's fencing token on disk (the file {@code fence} in its folder): the generation of the
 * newest lease that has written to it. A lease's generation only grows ({@code UploadLocks} draws
 * it from Redis' clock), so once a newer writer has taken the fence, an older one whose lease
 * passed on while its client stalled is refused, on every instance sharing the folder.
 * <p>
 * The check and the step it guards run in one critical section: an OS file lock, which the other
 * instances on a shared folder honour, inside a JVM lock, because an OS lock belongs to the whole
 * process (and closing any channel of the file would drop it). A lease that is checked before a
 * write instead of with it would let a writer stall between the two.
 */
final class Fence {

    static final String FILE = "fence";
    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    /** A step of disk work that only the fence's holder may take. */
    interface Step<T> {
        T run() throws IOException;
    }

    /** The folder is gone: the upload was deleted or expired. */
    static final class GoneException extends IOException {
        GoneException(Path folder) {
            super("The upload folder " + folder.getFileName() + " is gone");
        }
    }

    Fence() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The hold of the lease {@code generation} on the fence of the upload in {@code folder}. */
    Hold hold(Path folder, long generation) {
        return new Hold(folder, generation);
    }

    /** One lease's hold on one upload's fence: the form in which writers carry it. */
    final class Hold {
        private final Path folder;
        private final long generation;

        private Hold(Path folder, long generation) {
            this.folder = folder;
            this.generation = generation;
        }

        long generation() {
            return generation;
        }

        /** Takes the fence for this lease: from now on older leases write nothing. */
        void take() throws IOException {
            Fence.this.take(folder, generation);
        }

        /** Runs {@code step} only while this lease holds the fence. */
        <T> T run(Step<T> step) throws IOException {
            return guard(folder, generation, step);
        }
    }

    /** Makes {@code generation} the upload's fence, unless a newer lease has taken it already. */
    private void take(Path folder, long generation) throws IOException {
        locked(folder, fence -> {
            long current = read(fence);
            if (current > generation) {
                throw new WriteGuard.LockLostException(folder.getFileName().toString());
            }
            if (current < generation) {
                fence.write(ByteBuffer.allocate(Long.BYTES).putLong(0, generation), 0);
                fence.force(false);
            }
            return null;
        });
    }

    /** Runs {@code step} only while {@code generation} is still the upload's fence. */
    private <T> T guard(Path folder, long generation, Step<T> step) throws IOException {
        return locked(folder, fence -> {
            if (read(fence) != generation) {
                throw new WriteGuard.LockLostException(folder.getFileName().toString());
            }
            return step.run();
        });
    }

    private interface FenceStep<T> {
        T run(FileChannel fence) throws IOException;
    }

    private <T> T locked(Path folder, FenceStep<T> step) throws IOException {
        ReentrantLock stripe = stripes[Math.floorMod(folder.getFileName().hashCode(), STRIPES)];
        stripe.lock();
        // opened with CREATE: a folder renamed away by a delete makes this fail instead of reappearing
        try (FileChannel fence = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            fence.lock();
            return step.run(fence);
        } catch (NoSuchFileException e) {
            throw new GoneException(folder);
        } finally {
            stripe.unlock();
        }
    }

    /** An empty fence file was never taken: generation 0, which no lease has. */
    private static long read(FileChannel fence) throws IOException {
        ByteBuffer value = ByteBuffer.allocate(Long.BYTES);
        return fence.read(value, 0) == Long.BYTES ? value.getLong(0) : 0;
    }
}
