package com.mediapipeline.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An upload's fencing token on disk (the file {@code fence} in its folder): the generation of the
 * newest lease that has written to it. A lease's generation only grows ({@code UploadLocks} draws
 * it from Redis' clock), so once a newer writer has taken the fence, an older one whose lease
 * passed on while its client stalled is refused, on every instance sharing the folder.
 * <p>
 * The check and the step it guards run in one critical section, so a writer cannot stall between
 * the two: steps hold the fence file's lock shared (a PATCH's writer threads write side by side),
 * taking the fence holds it exclusive. The lock is an OS file lock, which the other instances on a
 * shared folder honour, under a JVM read-write lock of that upload only, because an OS lock belongs
 * to the whole process: the JVM keeps one channel per fence file, with one shared OS lock for all of
 * its current steps, and closes the channel when its last hold ends (closing any channel of a file
 * drops every lock the process has on it).
 */
final class Fence {

    static final String FILE = "fence";

    private final Map<Path, Shared> fences = new ConcurrentHashMap<>();

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

    /** This JVM's channel of one fence file, its holds, and the OS lock its current steps share. */
    private static final class Shared {
        private final FileChannel channel;
        private final ReentrantReadWriteLock steps = new ReentrantReadWriteLock();
        private int holds;
        private int sharing;
        private FileLock sharedLock;

        Shared(FileChannel channel) {
            this.channel = channel;
        }

        synchronized void share() throws IOException {
            if (sharing++ == 0) {
                try {
                    sharedLock = channel.lock(0, Long.MAX_VALUE, true);
                } catch (IOException | RuntimeException e) {
                    sharing--;
                    throw e;
                }
            }
        }

        synchronized void unshare() throws IOException {
            if (--sharing == 0) {
                sharedLock.release();
                sharedLock = null;
            }
        }
    }

    /** The hold of the lease {@code generation} on the fence of the upload in {@code folder}; close it when done. */
    Hold hold(Path folder, long generation) throws IOException {
        try {
            Shared shared = fences.compute(folder, (key, existing) -> {
                Shared fence = existing != null ? existing : new Shared(open(folder));
                fence.holds++;
                return fence;
            });
            return new Hold(folder, generation, shared);
        } catch (UncheckedIOException e) {
            throw e.getCause() instanceof NoSuchFileException ? new GoneException(folder) : e.getCause();
        }
    }

    /** CREATE: a folder renamed away by a delete makes this fail instead of reappearing. */
    private static FileChannel open(Path folder) {
        try {
            return FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One lease's hold on one upload's fence: the form in which writers carry it. */
    final class Hold implements AutoCloseable {
        private final Path folder;
        private final long generation;
        private final Shared fence;

        private Hold(Path folder, long generation, Shared fence) {
            this.folder = folder;
            this.generation = generation;
            this.fence = fence;
        }

        long generation() {
            return generation;
        }

        /** Takes the fence for this lease, unless a newer lease has it: from now on older leases write nothing. */
        void take() throws IOException {
            fence.steps.writeLock().lock();
            try (FileLock exclusive = fence.channel.lock()) {
                long current = read();
                if (current > generation) {
                    throw lost();
                }
                if (current < generation) {
                    fence.channel.write(ByteBuffer.allocate(Long.BYTES).putLong(0, generation), 0);
                    fence.channel.force(false);
                }
            } finally {
                fence.steps.writeLock().unlock();
            }
        }

        /** Runs {@code step} only while this lease holds the fence. */
        <T> T run(Step<T> step) throws IOException {
            fence.steps.readLock().lock();
            try {
                fence.share();
                try {
                    if (read() != generation) {
                        throw lost();
                    }
                    return step.run();
                } finally {
                    fence.unshare();
                }
            } catch (NoSuchFileException e) {
                throw new GoneException(folder);
            } finally {
                fence.steps.readLock().unlock();
            }
        }

        @Override
        public void close() throws IOException {
            try {
                fences.computeIfPresent(folder, (key, shared) -> {
                    if (--shared.holds > 0) {
                        return shared;
                    }
                    try {
                        shared.channel.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        /** An empty fence file was never taken: generation 0, which no lease has. */
        private long read() throws IOException {
            ByteBuffer value = ByteBuffer.allocate(Long.BYTES);
            return fence.channel.read(value, 0) == Long.BYTES ? value.getLong(0) : 0;
        }

        private WriteGuard.LockLostException lost() {
            return new WriteGuard.LockLostException(folder.getFileName().toString());
        }
    }
}
