package com.mediapipeline.progress;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Holds a socket's close back until the container has handed the connection over, so that a close
 * asked for in {@code onOpen} (a refusal, or the end of an upload already complete) never races the
 * container's end of the upgrade request.
 * <p>
 * Why: {@code onOpen} runs on the request thread of the HTTP upgrade, inside Payara's pipeline.
 * Closing there closes the upgrade's connection while that thread still has the request's end to
 * run (access probes, listeners, resuming the suspended response); the client's answer to the close
 * can then make Grizzly finish and recycle the request and its pooled objects under that thread's
 * feet, and the recycled objects end up serving another client's request (a 500, 404, 409 or
 * {@code 101} to a plain POST; issue 10, case 6; the container's NPE is payara/Payara#5432). The
 * same happens on Payara 7.
 * <p>
 * The signal: {@code onOpen} sends a ping, and closes wait for the first frame the client sends
 * back (the pong). That frame reaches the endpoint through the container's read listener, so it
 * arrives only once the container is serving the connection as a WebSocket, after the request
 * thread has left the upgrade request; a client cannot answer before it has the 101 and the ping.
 * A client that never answers is closed after {@link #ANSWER_SECONDS} all the same.
 */
public final class Handover {

    static final long ANSWER_SECONDS = 10;
    private static final String KEY = "mediapipeline.handover";
    private static final Logger LOG = Logger.getLogger(Handover.class.getName());

    private final Session session;
    private boolean handedOver;
    private CloseReason pending;
    private ScheduledFuture<?> deadline;

    private Handover(Session session) {
        this.session = session;
    }

    /** Starts the handover of a socket just opened: pings it and waits for its answer. */
    public static Handover begin(Session session, ScheduledExecutorService scheduler) {
        Handover handover = new Handover(session);
        session.getUserProperties().put(KEY, handover);
        synchronized (handover) {
            handover.deadline = scheduler.schedule(handover::answered, ANSWER_SECONDS, TimeUnit.SECONDS);
        }
        try {
            session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        } catch (IOException | IllegalStateException gone) {
            handover.answered();
        }
        return handover;
    }

    public static Handover of(Session session) {
        return (Handover) session.getUserProperties().get(KEY);
    }

    /** Closes now if the connection was handed over, else as soon as it is. */
    public synchronized void close(CloseReason reason) {
        if (handedOver) {
            closeSession(reason);
        } else if (pending == null) {
            pending = reason;
        }
    }

    /** The client sent a frame (or never will): a close asked for meanwhile goes out now. */
    public synchronized void answered() {
        if (handedOver) {
            return;
        }
        handedOver = true;
        deadline.cancel(false);
        if (pending != null) {
            closeSession(pending);
        }
    }

    /** The socket is closed: nothing is left to wait for. */
    public synchronized void ended() {
        handedOver = true;
        deadline.cancel(false);
    }

    private void closeSession(CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | IllegalStateException e) {
            LOG.fine("Socket already gone: " + e.getMessage());
        }
    }
}
