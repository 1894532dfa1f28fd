package com.mediapipeline.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Writes the bytes that follow a file position as whole blocks, aligned in the file and in memory,
 * which is what a file opened with O_DIRECT demands. The partial block before the start is read back
 * first; the partial block at the end is written padded, and the file cut back to its true end.
 * <p>
 * A full block goes to the disk on a writer thread while the caller fills the spare one: a direct
 * write returns only once the disk has the bytes, and a request thread that waited for it read
 * nothing from its socket meanwhile (one long PATCH ran ~1.5x faster with the overlap, see
 * bench/RESULTS.md). At most one block is in flight, so a failed write surfaces at the next call.
 */
final class AlignedWriter {

    private final FileChannel file;
    private final Executor writer;
    private final int alignment;
    private ByteBuffer block;
    private ByteBuffer spare;
    private long blockStart;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    AlignedWriter(FileChannel file, long start, ByteBuffer block, ByteBuffer spare, Executor writer, int alignment)
            throws IOException {
        this.file = file;
        this.block = block.clear();
        this.spare = spare;
        this.writer = writer;
        this.alignment = alignment;
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

    /** Writes what is still held, once the block in flight has landed, and cuts the file to {@link #position()}. */
    void finish() throws IOException {
        awaitInFlight();
        long end = position();
        int held = block.position();
        if (held > 0) {
            block.flip().limit((held + alignment - 1) / alignment * alignment);
            writeFully(block, blockStart);
            block.limit(block.capacity()).position(held);
            file.truncate(end);
        }
    }

    /** The writer's two blocks, for reuse: only once no write is reading them any more. */
    ByteBuffer[] blocks() {
        try {
            awaitInFlight();
        } catch (IOException alreadyReported) {
            // write() or finish() reported it; the blocks are free again either way
        }
        return new ByteBuffer[] {block, spare};
    }

    private void handOver() throws IOException {
        awaitInFlight();
        ByteBuffer full = block.flip();
        long at = blockStart;
        inFlight = CompletableFuture.runAsync(() -> {
            try {
                writeFully(full, at);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, writer);
        block = spare.clear();
        spare = full;
        blockStart += full.capacity();
    }

    private void awaitInFlight() throws IOException {
        try {
            inFlight.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while a block was being written", e);
        } finally {
            inFlight = CompletableFuture.completedFuture(null);
        }
    }

    private void writeFully(ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) {
            at += file.write(bytes, at);
        }
    }
}
