package com.mediapipeline.progress;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One watcher's socket. Sends never block the caller: while one is in flight, newer events replace
 * the waiting one, so a slow client gets the freshest state rather than a backlog. Progress never
 * goes backwards, and a complete or error is the last message before the socket closes with 1000.
 */
final class ProgressSocket {

    private final Session session;
    private final Consumer<ProgressSocket> onGone;
    private long lastBytes = -1;
    private boolean sending;
    private boolean finished;
    private ProgressEvent waiting;

    ProgressSocket(Session session, Consumer<ProgressSocket> onGone) {
        this.session = session;
        this.onGone = onGone;
    }

    Session session() {
        return session;
    }

    synchronized void offer(ProgressEvent event) {
        if (finished || (waiting != null && waiting.terminal())
                || (!event.terminal() && event.bytesSent() < lastBytes)) {
            return;
        }
        lastBytes = Math.max(lastBytes, event.bytesSent());
        finished = event.terminal() && !sending;
        if (sending) {
            waiting = event;
        } else {
            send(event);
        }
    }

    synchronized void ping() {
        if (!finished && session.isOpen()) {
            try {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            } catch (IOException | IllegalStateException e) {
                onGone.accept(this);
            }
        }
    }

    private void send(ProgressEvent event) {
        sending = true;
        try {
            session.getAsyncRemote().sendText(event.toJson(), result -> sent(event, result));
        } catch (IllegalStateException closed) {
            onGone.accept(this);
        }
    }

    private synchronized void sent(ProgressEvent event, SendResult result) {
        sending = false;
        if (!result.isOK()) {
            finished = true;
            onGone.accept(this);
        } else if (event.terminal()) {
            finished = true;
            close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "upload " + event.status()));
        } else if (waiting != null) {
            ProgressEvent next = waiting;
            waiting = null;
            finished = next.terminal();
            send(next);
        }
    }

    private void close(CloseReason reason) {
        Handover.of(session).close(reason);
    }
}
