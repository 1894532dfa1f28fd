package com.mediapipeline.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;
import java.time.Duration;

/**
 * A request body whose blocking reads {@link StalledReads} can end: when one has waited for bytes
 * longer than the idle timeout, the reading thread is interrupted, which makes the container's
 * socket read give up, and every read from then on fails with an IOException. That is what a
 * client that hangs up looks like to the code reading the body, so what it sent so far is kept.
 */
final class WatchedBody extends ServletInputStream {

    private final ServletInputStream body;
    private final Duration idleTimeout;
    /** The thread blocked in a read of this body right now, if any; guarded by this. */
    private Thread reader;
    private long readingSinceNanos;
    private boolean ended;

    WatchedBody(ServletInputStream body, Duration idleTimeout) {
        this.body = body;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public int read() throws IOException {
        begin();
        try {
            return body.read();
        } finally {
            end();
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        begin();
        try {
            return body.read(buffer, offset, length);
        } finally {
            end();
        }
    }

    @Override
    public int available() throws IOException {
        return body.available();
    }

    @Override
    public boolean isFinished() {
        return body.isFinished();
    }

    @Override
    public boolean isReady() {
        return body.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        body.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    /** Ends the read in progress if it has waited since before {@code idleSinceNanos}; true if it did. */
    synchronized boolean endIfWaitingSince(long idleSinceNanos) {
        if (reader == null || ended || readingSinceNanos - idleSinceNanos > 0) {
            return false;
        }
        ended = true;
        reader.interrupt();
        return true;
    }

    private synchronized void begin() throws IOException {
        if (ended) {
            throw stalled();
        }
        reader = Thread.currentThread();
        readingSinceNanos = System.nanoTime();
    }

    /**
     * Once ended, the read fails even if bytes came in with the interrupt: the connection may be
     * half torn down. The interrupt is cleared here, under the same lock that alone may set it, so
     * it can never reach the file writes and forces that record the bytes received so far.
     */
    private synchronized void end() throws IOException {
        reader = null;
        if (ended) {
            Thread.interrupted();
            throw stalled();
        }
    }

    private IOException stalled() {
        return new IOException("No bytes of the request body for " + idleTimeout);
    }
}
