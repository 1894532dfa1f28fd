package com.mediapipeline.bench;

import java.net.http.WebSocket;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One progress WebSocket, of one upload or of many (the feed): for every progress message, its delay after
 * the client had sent the bytes it reports. A socket that fails (an unreadable message included) is
 * recorded, for the scenario to fail on.
 */
class ProgressWatcher implements WebSocket.Listener {

    private final Function<String, PacedBody> bodies;
    private final Queue<Long> delays;
    private final CountDownLatch completes;
    private final Queue<Throwable> failures;
    private final StringBuilder text = new StringBuilder();
    private final Semaphore snapshots = new Semaphore(0);

    /** {@code bodies}: the body of the upload a message names (its upload_id); null for one not followed. */
    ProgressWatcher(Function<String, PacedBody> bodies, Queue<Long> delays, CountDownLatch completes, Queue<Throwable> failures) {
        this.bodies = bodies;
        this.delays = delays;
        this.completes = completes;
        this.failures = failures;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        text.append(data);
        if (last) {
            ProgressMessage message = ProgressMessage.parse(text.toString());
            text.setLength(0);
            PacedBody body = bodies.apply(message.uploadId());
            long sentAt = body == null ? -1 : body.timeOf(message.bytesSent());
            if (message.type().equals(ProgressMessage.PROGRESS) && sentAt > 0) {
                delays.add(now - sentAt);
            }
            if (message.type().equals(ProgressMessage.COMPLETE)) {
                completes.countDown();
            }
            if (message.type().equals(ProgressMessage.SNAPSHOT)) {
                snapshots.release();
            }
        }
        socket.request(1);
        return null;
    }

    /** Waits for the feed's {@code count}th snapshot since it opened (the first comes on connect). */
    void awaitSnapshots(int count) throws InterruptedException {
        if (!snapshots.tryAcquire(count, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no snapshot " + count + " within 30 s", failures.peek());
        }
        snapshots.release(count);
    }

    @Override
    public void onError(WebSocket socket, Throwable failure) {
        failures.add(failure);
    }
}
