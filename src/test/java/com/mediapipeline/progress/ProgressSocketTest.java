package com.mediapipeline.progress;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static com.mediapipeline.testing.Stubs.stub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How one watcher's socket merges the events it is offered, against a client that takes each send
 * only when the test says so: a slow client gets the freshest state, never a backlog; progress never
 * goes backwards; a complete or error always arrives, last, and then the socket closes with 1000.
 */
class ProgressSocketTest {

    private static final String ID = "0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70";

    /** What the client received, in order. */
    private final List<ProgressEvent> received = new ArrayList<>();
    /** Sends the client has not taken yet: the socket is busy while there is one. */
    private final Deque<SendHandler> inFlight = new ArrayDeque<>();
    private final Map<String, Object> userProperties = new HashMap<>();
    private final List<ProgressSocket> gone = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private CloseReason closedWith;
    private boolean sessionClosed;
    private int pings;

    private final RemoteEndpoint.Async remote = stub(RemoteEndpoint.Async.class, (name, args) -> switch (name) {
        case "sendText" -> {
            if (sessionClosed) {
                throw new IllegalStateException("the session is closed");
            }
            received.add(ProgressEvent.fromJson((String) args[0]));
            inFlight.add((SendHandler) args[1]);
            yield null;
        }
        case "sendPing" -> {
            pings++;
            yield null;
        }
        default -> throw new UnsupportedOperationException(name);
    });

    private final Session session = stub(Session.class, (name, args) -> switch (name) {
        case "getAsyncRemote" -> remote;
        case "getUserProperties" -> userProperties;
        case "isOpen" -> !sessionClosed;
        case "close" -> {
            closedWith = (CloseReason) args[0];
            sessionClosed = true;
            yield null;
        }
        default -> throw new UnsupportedOperationException(name);
    });

    private ProgressSocket socket;

    @BeforeEach
    void open() {
        // as the endpoint does on open; the client's pong hands the connection over, so a close goes out at once
        Handover.begin(session, scheduler).answered();
        pings = 0;
        socket = new ProgressSocket(session, gone::add);
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void anIdleSocketSendsAnEventAtOnce() {
        offer(progress(100));

        assertEquals(List.of(progress(100)), received);
    }

    @Test
    void whileASendIsInFlightNewerEventsReplaceTheWaitingOne() {
        offer(progress(100), progress(200), progress(300), progress(400));
        assertEquals(List.of(progress(100)), received, "nothing more goes out while the client is slow");

        clientTakes();
        assertEquals(List.of(progress(100), progress(400)), received, "then only the freshest waiting event");

        clientTakes();
        assertEquals(List.of(progress(100), progress(400)), received);
        assertTrue(inFlight.isEmpty());
    }

    @Test
    void anEventBehindTheLastOneIsDropped() {
        offer(progress(300));
        clientTakes();

        offer(progress(200));
        assertEquals(List.of(progress(300)), received);

        offer(progress(300));
        assertEquals(List.of(progress(300), progress(300)), received, "the same offset is no step back");
    }

    @Test
    void anEventBehindTheWaitingOneIsDropped() {
        offer(progress(100), progress(300), progress(200));

        clientTakes();
        clientTakes();
        assertEquals(List.of(progress(100), progress(300)), received);
    }

    @Test
    void completionReachesASlowClientLastAndClosesTheSocket() {
        offer(progress(100), progress(500), complete(1000), progress(1000), ProgressEvent.removed(ID, "deleted"));

        clientTakes();
        assertEquals(List.of(progress(100), complete(1000)), received,
                "the complete replaces the waiting progress, and nothing replaces it");
        assertNull(closedWith, "the socket stays open until the client has the complete");

        clientTakes();
        assertEquals(CloseReason.CloseCodes.NORMAL_CLOSURE, closedWith.getCloseCode());
        assertTrue(gone.isEmpty());
    }

    /** An error carries no bytes: being terminal, it is never taken for a step back. */
    @Test
    void anErrorIsDeliveredThoughItCarriesNoBytes() {
        offer(progress(500));
        clientTakes();

        offer(ProgressEvent.removed(ID, "expired"));
        assertEquals(List.of(progress(500), ProgressEvent.removed(ID, "expired")), received);
        clientTakes();
        assertEquals(CloseReason.CloseCodes.NORMAL_CLOSURE, closedWith.getCloseCode());
    }

    @Test
    void nothingFollowsTheTerminalEvent() {
        offer(complete(1000), progress(1000), ProgressEvent.removed(ID, "deleted"));
        clientTakes();
        offer(complete(1000));

        assertEquals(List.of(complete(1000)), received);
        assertTrue(inFlight.isEmpty());
    }

    @Test
    void aFailedSendEndsTheSocket() {
        offer(progress(100), progress(200));

        inFlight.remove().onResult(new SendResult(new IOException("connection reset")));

        assertEquals(List.of(socket), gone);
        offer(progress(300));
        assertEquals(List.of(progress(100)), received, "neither the waiting event nor a later one goes out");
        assertNull(closedWith);
    }

    @Test
    void aSendOnAClosedSessionEndsTheSocket() {
        sessionClosed = true;

        offer(progress(100));

        assertEquals(List.of(socket), gone);
        assertTrue(received.isEmpty());
    }

    @Test
    void pingsGoOutUntilTheTerminalEvent() {
        socket.ping();
        assertEquals(1, pings);

        offer(complete(1000));
        socket.ping();
        assertEquals(1, pings, "a finished socket is not pinged");
    }

    /** Offers the events one after the other, as the relay would. */
    private void offer(ProgressEvent... events) {
        for (ProgressEvent event : events) {
            socket.offer(event);
        }
    }

    private void clientTakes() {
        SendHandler handler = inFlight.poll();
        if (handler != null) {
            handler.onResult(new SendResult());
        }
    }

    private static ProgressEvent progress(long bytes) {
        return new ProgressEvent(ProgressEvent.PROGRESS, ID, bytes / 10.0, bytes, 1000L, UploadStatus.UPLOADING, null);
    }

    private static ProgressEvent complete(long bytes) {
        return new ProgressEvent(ProgressEvent.COMPLETE, ID, 100.0, bytes, bytes, UploadStatus.COMPLETED, null);
    }
}
