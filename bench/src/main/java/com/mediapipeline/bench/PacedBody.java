package com.mediapipeline.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** A body paced at a byte rate that remembers when it had handed over each amount of bytes. */
class PacedBody extends PatternBody {

    private final long rate;
    private final List<long[]> handedOver = Collections.synchronizedList(new ArrayList<>());
    private long start = -1;
    private long sent;

    PacedBody(long length, long rate) {
        super(length);
        this.rate = rate;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (start < 0) {
            // the pace starts with the first byte: a clock started at creation made a burst of
            // everything "due" while the other uploads and sockets were still being set up
            start = System.nanoTime();
        }
        long due = start + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        int n = super.read(buffer, offset, Math.min(length, 64 * 1024));
        if (n > 0) {
            sent += n;
            handedOver.add(new long[] {sent, System.nanoTime()});
        }
        return n;
    }

    /** When the client had handed over at least {@code bytes} (System.nanoTime), or -1 if not yet. */
    long timeOf(long bytes) {
        synchronized (handedOver) {
            for (long[] point : handedOver) {
                if (point[0] >= bytes) {
                    return point[1];
                }
            }
        }
        return -1;
    }
}
