package com.mediapipeline.testing;

import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;

/** A request body that trickles out {@code size} bytes of a known pattern, a block per pause. */
public final class SlowBody extends InputStream {

    private final long size;
    private final int block;
    private final long pauseNanos;
    private long sent;
    private int leftInBlock;

    public SlowBody(long size, int block, long pauseMillis) {
        this.size = size;
        this.block = block;
        this.pauseNanos = pauseMillis * 1_000_000;
        this.leftInBlock = block;
    }

    /** The byte at a position of every test file: easy to check after a round trip. */
    public static byte at(long position) {
        return (byte) (position * 31 + (position >> 8));
    }

    public static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = at(i);
        }
        return bytes;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (sent >= size) {
            return -1;
        }
        if (leftInBlock == 0) {
            LockSupport.parkNanos(pauseNanos);
            leftInBlock = block;
        }
        int count = (int) Math.min(Math.min(length, leftInBlock), size - sent);
        for (int i = 0; i < count; i++) {
            buffer[offset + i] = at(sent + i);
        }
        sent += count;
        leftInBlock -= count;
        return count;
    }
}
