package com.mediapipeline.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes the bytes that follow a file position as whole blocks, aligned in the file and in memory,
 * which is what a file opened with O_DIRECT demands. The partial block before the start is read back
 * first; the partial block at the end is written padded, and the file cut back to its true end.
 */
final class AlignedWriter {

    private final FileChannel file;
    private final ByteBuffer block;
    private final int alignment;
    private long blockStart;

    AlignedWriter(FileChannel file, long start, ByteBuffer block, int alignment) throws IOException {
        this.file = file;
        this.block = block.clear();
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
                writeBlock(block.capacity());
                blockStart += block.capacity();
                block.clear();
            }
        }
    }

    /** The file position after the last byte taken. */
    long position() {
        return blockStart + block.position();
    }

    /** Writes what is still held and cuts the file to {@link #position()}. */
    void finish() throws IOException {
        long end = position();
        int held = block.position();
        if (held > 0) {
            writeBlock((held + alignment - 1) / alignment * alignment);
            block.limit(block.capacity()).position(held);
            file.truncate(end);
        }
    }

    ByteBuffer block() {
        return block;
    }

    private void writeBlock(int length) throws IOException {
        block.position(0).limit(length);
        long at = blockStart;
        while (block.hasRemaining()) {
            at += file.write(block, at);
        }
    }
}
