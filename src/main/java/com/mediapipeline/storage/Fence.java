package com.mediapipeline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileLock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An upload's fencing token on disk (the file {@code fence} in its folder): the generation of the
 * newest lease that has written to it. A lease's generation only grows ({@code UploadLocks} draws
 * it from Redis' clock), so once a newer writer has taken the fence, an older one whose lease
 * passed on while its client stalled is refused, on every instance sharing the folder.
 * <p>
 * The check and the step it guards run in one critical section: an OS file lock, which the other
 * instances on a shared folder honour, inside a JVM lock, because an OS lock belongs to the whole
 * process. For the same reason each fence file has one channel per JVM, shared by its holds and
 * closed by the last one under the JVM lock: closing any channel of a file drops every lock the
 * process has on it. A lease that is checked before a write instead of with it would let a writer
 * stall between the two.
 */
final class Fence {

    static final String FILE = "fence";
    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Map<Path, Shared> channels = new ConcurrentHashMap<>();

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

    /** The JVM's channel of one fence file and how many holds use it. */
    private static final class Shared {
        private final FileChannel channel;
        private int holds;

        Shared(FileChannel channel) {
            this.channel = channel;
        }
    }

    Fence() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The hold of the lease {@code generation} on the fence of the upload in {@code folder}; close it when done. */
    Hold hold(Path folder, long generation) throws IOException {
        ReentrantLock stripe = stripe(folder);
        stripe.lock();
        try {
            Shared shared = channels.get(folder);
            if (shared == null) {
                // CREATE: a folder renamed away by a delete makes this fail instead of reappearing
                shared = new Shared(FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE));
                channels.put(folder, shared);
            }
            shared.holds++;
            return new Hold(folder, generation, shared.channel);
        } catch (NoSuchFileException e) {
            throw new GoneException(folder);
        } finally {
            stripe.unlock();
        }
    }

    /** One lease's hold on one upload's fence: the form in which writers carry it. */
    final class Hold implements AutoCloseable {
        private final Path folder;
        private final long generation;
        private final FileChannel fence;

        private Hold(Path folder, long generation, FileChannel fence) {
            this.folder = folder;
            this.generation = generation;
            this.fence = fence;
        }

        long generation() {
            return generation;
        }

        /** Takes the fence for this lease, unless a newer lease has it: from now on older leases write nothing. */
        void take() throws IOException {
            locked(() -> {
                long current = read();
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

        /** Runs {@code step} only while this lease holds the fence. */
        <T> T run(Step<T> step) throws IOException {
            return locked(() -> {
                if (read() != generation) {
                    throw new WriteGuard.LockLostException(folder.getFileName().toString());
                }
                return step.run();
            });
        }

        @Override
        public void close() throws IOException {
            ReentrantLock stripe = stripe(folder);
            stripe.lock();
            try {
                Shared shared = channels.get(folder);
                if (--shared.holds == 0) {
                    channels.remove(folder);
                    shared.channel.close();
                }
            } finally {
                stripe.unlock();
            }
        }

        private <T> T locked(Step<T> step) throws IOException {
            ReentrantLock stripe = stripe(folder);
            stripe.lock();
            try (FileLock ignored = fence.lock()) {
                return step.run();
            } catch (NoSuchFileException e) {
                throw new GoneException(folder);
            } finally {
                stripe.unlock();
            }
        }

        /** An empty fence file was never taken: generation 0, which no lease has. */
        private long read() throws IOException {
            ByteBuffer value = ByteBuffer.allocate(Long.BYTES);
            return fence.read(value, 0) == Long.BYTES ? value.getLong(0) : 0;
        }
    }

    private ReentrantLock stripe(Path folder) {
        return stripes[Math.floorMod(folder.getFileName().hashCode(), STRIPES)];
    }
}
