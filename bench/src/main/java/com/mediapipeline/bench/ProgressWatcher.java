package com.mediapipeline.bench;

import java.net.http.WebSocket;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * One progress WebSocket: for every progress message, its delay after the client had sent the bytes it
 * reports.
 */
class ProgressWatcher implements WebSocket.Listener {

    private final PacedBody body;
    private final Queue<Long> delays;
    private final CountDownLatch completes;
    private final StringBuilder text = new StringBuilder();

    ProgressWatcher(PacedBody body, Queue<Long> delays, CountDownLatch completes) {
        this.body = body;
        this.delays = delays;
        this.completes = completes;
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
}
