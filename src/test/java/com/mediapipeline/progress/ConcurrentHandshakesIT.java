package com.mediapipeline.progress;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SocketWatcher;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each handshake is authenticated with the credentials it carried itself, however many handshakes
 * of other businesses run at the same moment: the endpoint reads them from the user properties
 * that {@link HandshakeCredentials} filled, which must belong to that one connection ("The user
 * properties exposed during the modifyHandshake() method must be a per WebSocket connection (i.e.
 * per Session) shallow copy", Jakarta WebSocket 2.1). Were they shared by the endpoint's
 * handshakes, a client of one business could watch another's upload (README, "Live progress":
 * another business's upload closes with 4404). A single slot shared by all handshakes fails this
 * test within seconds.
 */
class ConcurrentHandshakesIT extends ServiceIT {

    private static final int THREADS = 8;
    private static final int HANDSHAKES_PER_THREAD = 300;
    private static final int MISMATCHES_SHOWN = 20;

    private record Target(String business, Api owner, String uploadId) {
    }

    /**
     * 2,400 handshakes from 8 threads, acme and globex interleaved, each for its own business's
     * completed upload (some with a ticket, as browsers do) or for the other business's: each own
     * one gets its upload's state then 1000, each other one 4404 and no message.
     */
    @Test
    void everyHandshakeIsAuthenticatedWithItsOwnCredentials() throws Exception {
        Target acmeUpload = completedUpload("acme", acme, 3);
        Target globexUpload = completedUpload("globex", Api.globex(base), 7);
        Map<String, String> names = Map.of(acmeUpload.uploadId(), "acme's upload", globexUpload.uploadId(), "globex's upload");
        Queue<String> mismatches = new ConcurrentLinkedQueue<>();
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        for (int thread = 0; thread < THREADS; thread++) {
            int first = thread * HANDSHAKES_PER_THREAD;
            clients.execute(() -> {
                for (int n = first; n < first + HANDSHAKES_PER_THREAD && mismatches.size() < MISMATCHES_SHOWN; n++) {
                    Target own = n % 2 == 0 ? acmeUpload : globexUpload;
                    Target other = own == acmeUpload ? globexUpload : acmeUpload;
                    boolean watchOwn = n / 2 % 2 == 0;
                    boolean ticket = watchOwn && n / 4 % 2 == 0;
                    String how = own.business() + (ticket ? " with a ticket" : " with headers") + " on "
                            + names.get((watchOwn ? own : other).uploadId());
                    String expected = watchOwn ? "closed 1000 after [complete of " + names.get(own.uploadId()) + "]"
                            : "closed 4404 after []";
                    String outcome = watch(own.owner(), (watchOwn ? own : other).uploadId(), ticket, names);
                    seen.merge(how + ": " + outcome, 1, Integer::sum);
                    if (!outcome.equals(expected)) {
                        mismatches.add(how + ": " + outcome + ", expected " + expected);
                    }
                }
            });
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(120, TimeUnit.SECONDS), "the handshakes did not end: " + seen);

        assertEquals(List.of(), new ArrayList<>(mismatches), "outcomes: " + seen);
        assertEquals(THREADS * HANDSHAKES_PER_THREAD, seen.values().stream().mapToInt(Integer::intValue).sum(),
                "outcomes: " + seen);
    }

    private Target completedUpload(String business, Api owner, int size) {
        String upload = owner.create(size, null, null);
        assertEquals(204, owner.patch(upload, 0, new byte[size]).statusCode());
        return new Target(business, owner, Api.idOf(upload));
    }

    /** Opens a socket as {@code caller} on the upload and answers what came back: its close code and messages. */
    private static String watch(Api caller, String uploadId, boolean ticket, Map<String, String> names) {
        try (SocketWatcher socket = ticket
                ? SocketWatcher.open(caller.url(""), uploadId, "?ticket=" + ticketFor(caller, uploadId))
                : SocketWatcher.open(caller, uploadId)) {
            int code = socket.closeCode();
            return "closed " + code + " after " + socket.messages().stream()
                    .map(m -> m.type() + " of " + names.getOrDefault(m.uploadId(), m.uploadId()))
                    .collect(Collectors.joining(", ", "[", "]"));
        } catch (Exception | AssertionError e) {
            return e.toString();
        }
    }

    private static String ticketFor(Api caller, String uploadId) {
        HttpResponse<String> issued = Api.send(caller.request("/api/v1/ws/tickets")
                .POST(HttpRequest.BodyPublishers.ofString("{\"upload_id\": \"" + uploadId + "\"}"))
                .header("Content-Type", "application/json"));
        assertEquals(200, issued.statusCode(), issued.body());
        return (String) Api.json(issued.body()).get("ticket");
    }
}
