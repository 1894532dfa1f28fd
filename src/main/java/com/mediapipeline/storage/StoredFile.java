package com.mediapipeline.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** A completed upload ready to be read: its bytes and what the download headers say about them. */
public record StoredFile(String id, Path data, long size, String filename, String contentType, Instant lastModified) {

    private static final int BLOCK = 256 * 1024;

    public String etag() {
        return id + "-" + size;
    }

    /**
     * Sends the range's bytes, read in large blocks: FileChannel.transferTo to a stream's channel would
     * copy 8 KiB at a time, a twentieth of what the disk cache can give.
     */
    public void copy(ByteRange range, OutputStream out) throws IOException {
        try (FileChannel in = FileChannel.open(data, StandardOpenOption.READ)) {
            byte[] block = new byte[BLOCK];
            ByteBuffer buffer = ByteBuffer.wrap(block);
            long position = range.first();
            long end = range.first() + range.length();
            while (position < end) {
                buffer.clear().limit((int) Math.min(BLOCK, end - position));
                int read = in.read(buffer, position);
                if (read < 0) {
                    throw new IOException("Upload " + id + " shrank while it was being sent");
                }
                out.write(block, 0, read);
                position += read;
            }
        }
    }
}
