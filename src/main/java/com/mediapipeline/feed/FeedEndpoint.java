package com.mediapipeline.feed;

import com.mediapipeline.progress.Handover;
import com.mediapipeline.progress.HandshakeCredentials;
import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** WS /api/v1/ws: live progress of many uploads. Delegates everything to {@link FeedSockets}. */
@ServerEndpoint(value = "/api/v1/ws", configurator = HandshakeCredentials.class)
public class FeedEndpoint {

    /** A subscription names at most 500 ids of 36 characters: with JSON around them, well under this. */
    static final int MAX_MESSAGE_BYTES = 32 * 1024;

    @Inject
    FeedSockets sockets;

    @OnOpen
    public void open(Session session) {
        sockets.start(session, (HandshakeCredentials.Credentials) session.getUserProperties().get(HandshakeCredentials.KEY));
    }

    @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
    public void message(Session session, String text) {
        sockets.subscribe(session, text);
    }

    @OnMessage
    public void pong(Session session, PongMessage pong) {
        Handover.of(session).answered();
    }

    @OnClose
    public void close(Session session) {
        sockets.stop(session);
    }

    @OnError
    public void error(Session session, Throwable failure) {
        sockets.stop(session);
    }
}
