package com.mediapipeline.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Writes the bytes that follow a file position as whole blocks, aligned in the file and in memory,
 * which is what a file opened with O_DIRECT demands. The partial block before the start is read back
 * first; the partial block at the end is written padded, and the file cut back to its true end.
 * <p>
 * With more than one block, full blocks go to the disk on writer threads while the caller fills the
 * next: a direct write returns only once the disk has the bytes, and a request thread that waited
 * for it read nothing from its socket meanwhile (bench/RESULTS.md has what that is worth). A failed
 * write surfaces at the next call. With a single block the caller writes it itself.
 * <p>
 * Every write and cut runs under the writer's {@link Fence.Hold}: a block that reaches a writer
 * thread after the request's lease passed on is dropped, never written.
 */
final class AlignedWriter {

    private final FileChannel file;
    private final Fence.Hold fence;
    private final Executor writerThreads;
    private final int alignment;
    private final Deque<ByteBuffer> free = new ArrayDeque<>();
    private final Deque<Write> inFlight = new ArrayDeque<>();
    private ByteBuffer block;
    private long blockStart;

    private record Write(ByteBuffer block, CompletableFuture<Void> done) {
    }

    AlignedWriter(FileChannel file, Fence.Hold fence, long start, List<ByteBuffer> blocks, Executor writerThreads,
                  int alignment) throws IOException {
        this.file = file;
        this.fence = fence;
        this.writerThreads = writerThreads;
        this.alignment = alignment;
        this.block = blocks.get(0).clear();
        this.free.addAll(blocks.subList(1, blocks.size()));
        this.blockStart = start - start % alignment;
        int head = (int) (start - blockStart);
        if (head > 0) {
            block.limit(alignment);
            if (file.read(block, blockStart) != head) {
                throw new IOException("The file holds fewer bytes than its recorded offset " + start);
            }
            block.limit(block.capacity());
        }
    }

    /** Takes {@code bytes[offset, offset + length)} as the next bytes of the file. */
    void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int taken = Math.min(length, block.remaining());
            block.put(bytes, offset, taken);
            offset += taken;
            length -= taken;
            if (!block.hasRemaining()) {
                handOver();
            }
        }
    }

    /** The file position after the last byte taken. */
    long position() {
        return blockStart + block.position();
    }

    /** Writes what is still held, once every block in flight has landed, and cuts the file to {@link #position()}. */
    void finish() throws IOException {
        while (!inFlight.isEmpty()) {
            landOldest();
        }
        long end = position();
        int held = block.position();
        if (held > 0) {
            ByteBuffer padded = block.flip().limit((held + alignment - 1) / alignment * alignment);
            fence.run(() -> {
                writeAll(padded, blockStart);
                return file.truncate(end);
            });
            block.limit(block.capacity()).position(held);
        }
    }

    /** Every block, for reuse: only once no write is reading them any more. */
    List<ByteBuffer> blocks() {
        landRest();
        List<ByteBuffer> blocks = new ArrayList<>(free);
        blocks.add(block);
        return blocks;
    }

    private void handOver() throws IOException {
        ByteBuffer full = block.flip();
        long at = blockStart;
        blockStart += full.capacity();
        if (free.isEmpty() && inFlight.isEmpty()) {
            writeFully(full, at);
            block = full.clear();
            return;
        }
        inFlight.add(new Write(full, CompletableFuture.runAsync(() -> {
            try {
                writeFully(full, at);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, writerThreads)));
        try {
            if (free.isEmpty()) {
                landOldest();
            }
        } finally {
            // landed or failed, the next block is a free one: no block is ever filling and free at once
            block = free.poll().clear();
        }
    }

    /**
     * Waits for the oldest write in flight. If it failed, the others are waited for too before the
     * caller hears of it: once it cuts the file back, nothing may still be writing behind it.
     */
    private void landOldest() throws IOException {
        try {
            land(inFlight.poll());
        } catch (IOException e) {
            landRest();
            throw e;
        }
    }

    private void landRest() {
        while (!inFlight.isEmpty()) {
            try {
                land(inFlight.poll());
            } catch (IOException alreadyReported) {
                // the caller heard of the first failure; a block is free again either way
            }
        }
    }

    /** Uninterruptibly: a block must not be reused while the disk may still be reading it. */
    private void land(Write write) throws IOException {
        try {
            write.done().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
        } finally {
            free.add(write.block());
        }
    }

    private void writeFully(ByteBuffer bytes, long at) throws IOException {
        fence.run(() -> {
            writeAll(bytes, at);
            return null;
        });
    }

    private void writeAll(ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) {
            at += file.write(bytes, at);
        }
    }
}
