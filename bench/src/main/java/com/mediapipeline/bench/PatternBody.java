package com.mediapipeline.bench;

import java.io.InputStream;

/** Bytes of a fixed pattern, produced as fast as they are read: the client must not be what limits a rate. */
class PatternBody extends InputStream {

    private static final byte[] BLOCK = bytes((int) Sizes.MIB);
    private long left;

    PatternBody(long length) {
        this.left = length;
    }

    /** The pattern's first {@code length} bytes: not zeros, which a file system or a link might compress. */
    static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        return bytes;
    }

    @Override
    public int read() {
        return left-- > 0 ? 1 : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (left <= 0) {
            return -1;
        }
        int n = (int) Math.min(Math.min(length, left), BLOCK.length);
        System.arraycopy(BLOCK, 0, buffer, offset, n);
        left -= n;
        return n;
    }
}
