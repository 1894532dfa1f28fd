package com.mediapipeline.progress;

import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

/** WS /api/v1/ws/{upload_id}: live progress of one upload. Delegates everything to {@link ProgressWatch}. */
@ServerEndpoint(value = "/api/v1/ws/{upload_id}", configurator = HandshakeCredentials.class)
public class ProgressEndpoint {

    @Inject
    ProgressWatch watch;

    @OnOpen
    public void open(Session session, @PathParam("upload_id") String uploadId) {
        watch.start(session, uploadId,
                (HandshakeCredentials.Credentials) session.getUserProperties().get(HandshakeCredentials.KEY));
    }

    @OnMessage
    public void pong(Session session, PongMessage pong) {
        watch.answered(session);
    }

    @OnClose
    public void close(Session session) {
        watch.stop(session);
    }

    @OnError
    public void error(Session session, Throwable failure) {
        watch.stop(session);
    }
}
