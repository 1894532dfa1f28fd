package com.mediapipeline.bench;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** What the benchmark asks of a TUS server, each measured from the client's side. */
final class Scenarios {

    private Scenarios() {
    }

    /** One upload of {@code size} bytes sent in PATCHes of {@code chunk} bytes: MB/s. */
    static double chunkedPatches(TusClient target, long size, long chunk) throws Exception {
        String upload = target.create(size);
        long start = System.nanoTime();
        target.patchAll(upload, size, chunk);
        double mbps = Rates.mbPerSecond(size, start);
        target.delete(upload);
        return mbps;
    }

    /** {@code count} uploads of {@code size} bytes, each in one PATCH, all at once: aggregate MB/s. */
    static double concurrentUploads(TusClient target, int count, long size) throws Exception {
        List<String> uploads = new ArrayList<>();
        List<Callable<Void>> patches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String upload = target.create(size);
            uploads.add(upload);
            patches.add(() -> {
                target.patchAll(upload, size, size);
                return null;
            });
        }
        long start = System.nanoTime();
        Parallel.all(patches);
        double mbps = Rates.mbPerSecond(count * size, start);
        for (String upload : uploads) {
            target.delete(upload);
        }
        return mbps;
    }

    /** {@code total} uploads of {@code size} bytes created by {@code clients} clients at once, and left as they are. */
    static void seed(TusClient target, int total, long size, int clients) throws Exception {
        AtomicLong left = new AtomicLong(total);
        Callable<Void> client = () -> {
            while (left.getAndDecrement() > 0) {
                target.create(size);
            }
            return null;
        };
        Parallel.all(Collections.nCopies(clients, client));
    }

    /** {@code total} creations by {@code clients} clients at once: each one's latency, and creations/s. */
    static Latencies creations(TusClient target, int total, int clients) throws Exception {
        Queue<Long> latencies = new ConcurrentLinkedQueue<>();
        Queue<String> created = new ConcurrentLinkedQueue<>();
        AtomicLong left = new AtomicLong(total);
        Callable<Void> client = () -> {
            while (left.getAndDecrement() > 0) {
                long t = System.nanoTime();
                created.add(target.create(1024));
                latencies.add(System.nanoTime() - t);
            }
            return null;
        };
        long start = System.nanoTime();
        Parallel.all(Collections.nCopies(clients, client));
        double seconds = Rates.secondsSince(start);
        for (String upload : created) {
            target.delete(upload);
        }
        return new Latencies(new ArrayList<>(latencies), total / seconds);
    }

    /**
     * {@code uploads} uploads, each paced at {@code rate} bytes/s and watched by {@code watchers}
     * sockets: for each progress message reporting N bytes, the delay since the client had sent N.
     */
    static Latencies freshness(TusClient target, int uploads, int watchers, long size, long rate) throws Exception {
        PacedRound round = new PacedRound(uploads * watchers);
        for (int u = 0; u < uploads; u++) {
            String upload = target.create(size);
            PacedBody body = new PacedBody(size, rate);
            for (int w = 0; w < watchers; w++) {
                round.sockets.add(target.watch(TusClient.idOf(upload), round.watcher(any -> body)));
            }
            round.patches.add(target.patch(upload, 0, size, body));
        }
        return round.delays();
    }

    /**
     * {@code uploads} uploads of the target's user, each paced at {@code rate} bytes/s and all followed by
     * one feed socket subscribed to that user, opened first: the delays as in {@link #freshness}.
     */
    static Latencies feed(TusClient target, int uploads, long size, long rate) throws Exception {
        PacedRound round = new PacedRound(uploads);
        Map<String, PacedBody> bodies = new ConcurrentHashMap<>();
        // snapshots and summaries name no upload
        ProgressWatcher feed = round.watcher(id -> id == null ? null : bodies.get(id));
        WebSocket socket = target.feed(feed);
        round.sockets.add(socket);
        // the snapshot on connect first (a later one replaces one not yet sent), then the user's: the
        // uploads start once the subscription holds
        feed.awaitSnapshots(1);
        target.subscribeToUser(socket);
        feed.awaitSnapshots(2);
        for (int u = 0; u < uploads; u++) {
            String upload = target.create(size);
            PacedBody body = new PacedBody(size, rate);
            bodies.put(TusClient.idOf(upload), body);
            round.patches.add(target.patch(upload, 0, size, body));
        }
        return round.delays();
    }

    /** The sockets and PATCHes of one round of paced uploads, and what their messages showed. */
    private static final class PacedRound {

        final List<WebSocket> sockets = new ArrayList<>();
        final List<CompletableFuture<?>> patches = new ArrayList<>();
        private final Queue<Long> delays = new ConcurrentLinkedQueue<>();
        private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final CountDownLatch completes;

        /** {@code completions}: the complete messages the round's sockets will have received in all. */
        PacedRound(int completions) {
            completes = new CountDownLatch(completions);
        }

        ProgressWatcher watcher(Function<String, PacedBody> bodies) {
            return new ProgressWatcher(bodies, delays, completes, failures);
        }

        /** Once every PATCH is answered and every completion received: the delays; a completion missing after a minute fails. */
        Latencies delays() throws Exception {
            for (CompletableFuture<?> patch : patches) {
                patch.get();
            }
            boolean complete = completes.await(60, TimeUnit.SECONDS);
            if (!failures.isEmpty()) {
                throw new IllegalStateException(failures.size() + " progress sockets failed", failures.peek());
            }
            if (!complete) {
                throw new IllegalStateException(completes.getCount() + " completions not received within 60 s");
            }
            for (WebSocket socket : sockets) {
                socket.abort();
            }
            return new Latencies(new ArrayList<>(delays), 0);
        }
    }

    /** The ids of a batch of uploads, and how many of them went through per second. */
    record Batch(List<String> uploads, double perSecond) {
    }

    /**
     * {@code count} uploads of {@code size} bytes by {@code clients} clients at once, each created, sent in
     * {@code patches} PATCHes one after the other, and deleted: uploads/s, and the uploads' ids.
     */
    static Batch smallUploads(TusClient target, int count, int clients, long size, int patches) throws Exception {
        Queue<String> done = new ConcurrentLinkedQueue<>();
        AtomicLong left = new AtomicLong(count);
        long chunk = (size + patches - 1) / patches;
        Callable<Void> client = () -> {
            while (left.getAndDecrement() > 0) {
                String upload = target.create(size);
                target.patchAll(upload, size, chunk);
                target.delete(upload);
                done.add(TusClient.idOf(upload));
            }
            return null;
        };
        long start = System.nanoTime();
        Parallel.all(Collections.nCopies(clients, client));
        return new Batch(new ArrayList<>(done), count / Rates.secondsSince(start));
    }

    /**
     * {@code count} small uploads by {@code clients} clients while {@code receiver} takes their webhook
     * events: each event's delay from the status change to the receiver, once every upload's deletion
     * arrived (or a minute passed: what did not arrive by then counts as lost).
     */
    static Deliveries webhookDeliveries(TusClient target, WebhookReceiver receiver, int count, int clients) throws Exception {
        Batch batch = smallUploads(target, count, clients, 64 * Sizes.KIB, 1);
        return Deliveries.of(receiver.await(batch.uploads(), Duration.ofMinutes(1)), batch.uploads());
    }

    /** One stored upload of {@code size} bytes downloaded in {@code parts} ranges at once: MB/s. */
    static double rangedDownload(TusClient target, String upload, long size, int parts) throws Exception {
        long part = size / parts;
        List<Callable<Long>> ranges = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            long first = p * part;
            long last = p == parts - 1 ? size - 1 : first + part - 1;
            ranges.add(() -> target.downloadRange(TusClient.idOf(upload), first, last));
        }
        long start = System.nanoTime();
        long received = Parallel.all(ranges).stream().mapToLong(Long::longValue).sum();
        double mbps = Rates.mbPerSecond(received, start);
        if (received != size) {
            throw new IllegalStateException("received " + received + " of " + size + " bytes");
        }
        return mbps;
    }
}
