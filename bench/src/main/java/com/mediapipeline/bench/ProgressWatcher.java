package com.mediapipeline.bench;

import java.net.http.WebSocket;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * One progress WebSocket: for every progress message, its delay after the client had sent the bytes it
 * reports. A socket that fails (an unreadable message included) is recorded, for the scenario to fail on.
 */
class ProgressWatcher implements WebSocket.Listener {

    private final PacedBody body;
    private final Queue<Long> delays;
    private final CountDownLatch completes;
    private final Queue<Throwable> failures;
    private final StringBuilder text = new StringBuilder();

    ProgressWatcher(PacedBody body, Queue<Long> delays, CountDownLatch completes, Queue<Throwable> failures) {
        this.body = body;
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
            long sentAt = body.timeOf(message.bytesSent());
            if (message.type().equals(ProgressMessage.PROGRESS) && sentAt > 0) {
                delays.add(now - sentAt);
            }
            if (message.type().equals(ProgressMessage.COMPLETE)) {
                completes.countDown();
            }
        }
        socket.request(1);
        return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable failure) {
        failures.add(failure);
    }
}
