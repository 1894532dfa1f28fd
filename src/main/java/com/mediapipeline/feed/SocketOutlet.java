package com.mediapipeline.feed;

import com.mediapipeline.progress.Handover;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** A feed's WebSocket: messages as text frames (asynchronous, with a deadline), keep-alives as ping frames. */
final class SocketOutlet implements Outlet {

    static final CloseReason ENDED = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "feed ended; reconnect");

    private final Session session;

    SocketOutlet(Session session) {
        this.session = session;
        session.getAsyncRemote().setSendTimeout(Feed.STALL_MILLIS);
    }

    @Override
    public void send(Feed.Message message, Consumer<Boolean> done) {
        try {
            if (Feed.PING.equals(message.type())) {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
                done.accept(true);
            } else {
                session.getAsyncRemote().sendText(message.json(), result -> done.accept(result.isOK()));
            }
        } catch (IOException | RuntimeException closed) {
            done.accept(false);
        }
    }

    @Override
    public void close() {
        Handover.of(session).close(ENDED);
    }
}
