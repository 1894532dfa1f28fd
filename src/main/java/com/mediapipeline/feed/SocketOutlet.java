package com.mediapipeline.feed;

import com.mediapipeline.progress.Handover;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** A feed's WebSocket: messages as text frames, keep-alives as ping frames. */
final class SocketOutlet implements Outlet {

    private final Session session;

    SocketOutlet(Session session) {
        this.session = session;
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
        } catch (IOException | IllegalStateException closed) {
            done.accept(false);
        }
    }

    @Override
    public void close() {
        Handover.of(session).close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "feed ended"));
    }
}
