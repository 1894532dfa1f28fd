package com.mediapipeline.bench;

import static com.mediapipeline.bench.Sizes.GIB;
import static com.mediapipeline.bench.Sizes.KIB;
import static com.mediapipeline.bench.Sizes.MIB;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark driver: one neutral HTTP client (java.net.http) for Media Pipeline and for the peer
 * (@tus/server), the physical baselines (dd, a loopback sink), every scenario several times, medians,
 * and RESULTS.md with a PNG chart. Started by bench/run, which starts the servers.
 */
public final class Benchmark {

    /** The scenarios, in the order they run; {@code --only} names some of them. */
    static final List<String> SCENARIOS = List.of("uploads", "memory", "creations", "freshness", "feed", "download", "webhooks", "analytics", "sweep");

    private final Settings settings;
    private final Repetitions repeat;
    private final HttpClient http;
    private final TusClient ours;
    private final TusClient peer;
    private final Report report;

    private Benchmark(Settings settings, HttpClient http) {
        this.settings = settings;
        this.repeat = new Repetitions(settings.runs());
        this.http = http;
        this.ours = new TusClient("Media Pipeline", settings.ours() + "/api/v1/uploads/",
                Map.of("X-API-KEY", settings.key(), "X-Username", "bench"), http);
        this.peer = new TusClient("@tus/server", settings.peer() + "/files/", Map.of(), http);
        this.report = new Report(settings);
    }

    public static void main(String[] argv) throws Exception {
        Settings settings = Settings.parse(argv);
        if (!SCENARIOS.containsAll(settings.only())) {
            throw new IllegalArgumentException("--only takes some of " + SCENARIOS + ", not " + settings.only());
        }
        // daemon threads: when the scenarios are done, nothing idle keeps the JVM alive
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newCachedThreadPool(task -> {
                    Thread thread = new Thread(task);
                    thread.setDaemon(true);
                    return thread;
                })).build();
        try {
            new Benchmark(settings, http).run();
        } catch (Exception | Error failure) {
            // uploads and sockets of the failed scenario may still be in flight: end now, and bench/run with us
            System.err.println("benchmark FAILED, no results written:");
            failure.printStackTrace();
            System.exit(1);
        }
        System.out.println(Files.readString(settings.out()));
    }

    private void run() throws Exception {
        // each baseline is measured right before the figures it is compared with, run after run:
        // the disk's speed drifts over minutes on a shared machine
        Path ddFile = settings.work().resolve("dd.bin");
        if (settings.includes("uploads")) {
            uploads(ddFile);
        }
        if (settings.includes("memory")) {
            memory(ddFile);
        }
        if (settings.includes("creations")) {
            creations();
        }
        if (settings.includes("freshness")) {
            freshness();
        }
        if (settings.includes("feed")) {
            feed();
        }
        if (settings.includes("download")) {
            rangedDownload();
        }
        if (settings.includes("webhooks")) {
            webhooks();
        }
        if (settings.includes("analytics")) {
            analytics();
        }
        if (settings.includes("sweep")) {
            sweep();
        }
        report.write();
    }

    private void uploads(Path ddFile) throws Exception {
        // one unmeasured upload each first: the first PATCH of a fresh JVM runs interpreted code
        Scenarios.chunkedPatches(ours, GIB, GIB);
        Scenarios.chunkedPatches(peer, GIB, GIB);
        Rounds single = repeat.interleaved(() -> Baselines.ddWrite(ddFile, GIB),
                () -> Scenarios.chunkedPatches(ours, GIB, GIB), () -> Scenarios.chunkedPatches(peer, GIB, GIB));
        report.throughput("1 GiB upload, one PATCH", single, Targets.ONE_PATCH);
        // every acknowledged PATCH is durable: the disk's rate when each 8 MiB must reach it is measured too
        int ddForcedEach8Mib = 3;
        Rounds chunked = repeat.interleaved(() -> Baselines.ddWrite(ddFile, GIB),
                () -> Scenarios.chunkedPatches(ours, GIB, 8 * MIB), () -> Scenarios.chunkedPatches(peer, GIB, 8 * MIB),
                () -> Baselines.ddForcedEach8Mib(ddFile, GIB));
        report.throughput("1 GiB upload, 8 MiB PATCHes", chunked, Targets.EIGHT_MIB_PATCHES);
        report.baseline("dd, each 8 MiB forced to disk (`oflag=dsync`)", chunked.median(ddForcedEach8Mib),
                String.format("8 MiB PATCHes %.2f × this", chunked.ratio(Rounds.OURS, ddForcedEach8Mib)));
        double sink = repeat.median(() -> Baselines.loopbackSink(GIB));
        report.baseline("loopback TCP to a discarding sink, 1 GiB", sink, "");
    }

    /** 32 concurrent uploads, with the service's memory sampled while they run. */
    private void memory(Path ddFile) throws Exception {
        HeapProbe probe = new HeapProbe(http, settings.ours(), settings.servicePid());
        long idleHeap = probe.heapNow();
        probe.start();
        Rounds concurrent = repeat.interleaved(() -> Baselines.ddWrite(ddFile, GIB),
                () -> Scenarios.concurrentUploads(ours, 32, 64 * MIB), () -> Scenarios.concurrentUploads(peer, 32, 64 * MIB));
        probe.stop();
        report.throughput("32 concurrent 64 MiB uploads (aggregate)", concurrent);
        report.memory(idleHeap, probe.medianHeap(), probe.maxHeap(), probe.maxRss());
    }

    private void creations() throws Exception {
        // the servers and the client compile their creation paths first: a cold JIT is not what clients meet
        Scenarios.creations(ours, 500, 16);
        Scenarios.creations(peer, 500, 16);
        Latencies[] created = repeat.alternated(() -> Scenarios.creations(ours, 2000, 16),
                () -> Scenarios.creations(peer, 2000, 16));
        report.creations(created[0], created[1]);
    }

    /** Progress delays (the service only: the peer has no progress sockets), and the Redis writes behind them. */
    private void freshness() throws Exception {
        // the first WebSockets of the run: one unmeasured round of each shape (a cold server's first
        // round had a p50 of 1.8 s), then every run's delays pooled
        Scenarios.freshness(ours, 100, 1, 8 * MIB, 2 * MIB);
        Scenarios.freshness(ours, 1, 500, 32 * MIB, 8 * MIB);
        RedisStats redis = new RedisStats(settings.redisPort());
        long publishesBefore = redis.calls("publish");
        long start = System.nanoTime();
        Latencies fanIn = repeat.pooled(() -> Scenarios.freshness(ours, 100, 1, 8 * MIB, 2 * MIB));
        double seconds = Rates.secondsSince(start);
        double writesPerUploadSecond = (redis.calls("publish") - publishesBefore) / (100 * seconds);
        Latencies fanOut = repeat.pooled(() -> Scenarios.freshness(ours, 1, 500, 32 * MIB, 8 * MIB));
        report.freshness(fanIn, fanOut, writesPerUploadSecond);
    }

    /**
     * One feed socket following 200 paced uploads against 200 one-upload sockets on the same uploads, and
     * the same uploads without a socket: delays, and the service's CPU time in each. Each round's uploads
     * belong to a user of their own, whom the feed subscribes to.
     */
    private void feed() throws Exception {
        ServiceCpu cpu = new ServiceCpu(settings.servicePid(), new RedisStats(settings.redisPort()));
        AtomicInteger users = new AtomicInteger();
        List<Callable<ServiceCpu.Spent>> phases = List.of(
                () -> cpu.during(() -> Scenarios.feed(ours.as("feed-" + users.incrementAndGet()), 200, 4 * MIB, MIB)),
                () -> cpu.during(() -> Scenarios.freshness(ours.as("sockets-" + users.incrementAndGet()), 200, 1, 4 * MIB, MIB)),
                () -> cpu.during(() -> Scenarios.freshness(ours.as("unwatched-" + users.incrementAndGet()), 200, 0, 4 * MIB, MIB)));
        // each round starts with the next phase, so that no phase always follows the same one
        AtomicInteger turn = new AtomicInteger();
        Callable<ServiceCpu.Spent[]> round = () -> {
            ServiceCpu.Spent[] spent = new ServiceCpu.Spent[phases.size()];
            int first = turn.getAndIncrement();
            for (int i = 0; i < phases.size(); i++) {
                int phase = (first + i) % phases.size();
                spent[phase] = phases.get(phase).call();
            }
            return spent;
        };
        // one unmeasured round first, as for the other progress rows
        round.call();
        List<ServiceCpu.Spent[]> rounds = repeat.each(round);
        report.feed(pooled(rounds, 0), pooled(rounds, 1), pooled(rounds, 2));
    }

    private static ServiceCpu.Spent pooled(List<ServiceCpu.Spent[]> rounds, int phase) {
        return ServiceCpu.Spent.pooled(rounds.stream().map(round -> round[phase]).toList());
    }

    /** The service only: the peer has no Range support, so its column stays empty. */
    private void rangedDownload() throws Exception {
        String big = ours.create(GIB);
        ours.patchAll(big, GIB, GIB);
        Rounds ranged = repeat.interleaved(() -> Baselines.loopbackSink(GIB),
                () -> Scenarios.rangedDownload(ours, big, GIB, 16), () -> Double.NaN);
        report.throughput("1 GiB download, 16 ranges", ranged);
        ours.delete(big);
    }

    /**
     * What counting analytics costs PATCHes: the same small uploads, many PATCHes each, against this instance
     * and against a second one on the same Redis and disk with {@code analytics.enabled=false}, round by round.
     * Every status write of the first runs the analytics part of its script; the second's skip it.
     */
    private void analytics() throws Exception {
        TusClient off = new TusClient("Media Pipeline, analytics off", settings.oursOff() + "/api/v1/uploads/",
                Map.of("X-API-KEY", settings.key(), "X-Username", "bench"), http);
        int patches = 8;
        Repetitions.Measure without = () -> Scenarios.smallUploads(off, 300, 16, 256 * KIB, patches).perSecond() * patches;
        Repetitions.Measure with = () -> Scenarios.smallUploads(ours, 300, 16, 256 * KIB, patches).perSecond() * patches;
        without.run();
        with.run();
        report.analyticsCost("PATCHes with analytics on, 300 uploads × 8 PATCHes of 32 KiB, 16 clients", repeat.interleaved(without, with));
    }

    /**
     * One cleanup sweep with 10,000 and with 200,000 uploads stored, 1 % of them due, and the sweep after it,
     * with none due: its duration and Redis commands, on an instance of its own (bench/run starts it with a
     * short interval and retention of completed uploads, and the default number of reconciliation slices).
     * The unfinished uploads (due in a day) are copies of one the build under test created ({@link Seeder}); the
     * due ones are created over HTTP, as uploads of zero bytes, complete at their creation.
     */
    private void sweep() throws Exception {
        Settings.SweepInstance instance = settings.sweep();
        TusClient client = new TusClient("sweep instance", instance.url() + "/api/v1/uploads/",
                Map.of("X-API-KEY", settings.key(), "X-Username", "bench"), http);
        SweepProbe probe = new SweepProbe(instance.redisPort(), instance.log());
        Seeder seeder = new Seeder(client, instance.storage(), instance.redisPort());
        probe.measureIdle(instance.interval());
        int kept = 0;
        for (int stored : List.of(10_000, 200_000)) {
            int due = stored / 100;
            long started = System.nanoTime();
            seeder.copies(stored - due - kept, 1024);
            Scenarios.seed(client, due, 0, 16);
            System.out.printf("seeded %d uploads in %.0f s%n", stored - kept, Rates.secondsSince(started));
            Thread.sleep(instance.completed().plusSeconds(1).toMillis());
            SweepProbe.Sweep withDue = probe.next();
            SweepProbe.Sweep noneDue = probe.next();
            report.sweep(instance.build(), stored, due, withDue, noneDue);
            kept = stored - withDue.removed();
        }
    }

    /**
     * Webhooks (the service only), with a receiver in this driver: each event's delay from the status
     * change to the receiver, then what delivering every event costs the uploads that cause them. Every
     * endpoint registered here is deleted again, so that later scenarios record no events.
     */
    private void webhooks() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            // every event but progress, whose number per upload depends on timing: three per upload. One
            // client: the delay of an event, not of a backlog (the row below has the delays under load)
            String hook = ours.registerWebhook(receiver.url(), WebhookEvent.ALL_BUT_PROGRESS);
            // one unmeasured round first: the first deliveries of a run set up connections and compile
            Scenarios.webhookDeliveries(ours, receiver, 200, 1);
            List<Deliveries> delays = repeat.each(() -> Scenarios.webhookDeliveries(ours, receiver, 200, 1));
            ours.deleteWebhook(hook);
            report.webhookDelays("webhook delay, 200 uploads one after another (create, one 64 KiB PATCH, delete), every event but progress",
                    Deliveries.pooled(delays));

            // many small uploads write the most events per byte: create, progress, completion, deletion
            List<Deliveries> delivered = new ArrayList<>();
            Repetitions.Measure without = () -> Scenarios.smallUploads(ours, 500, 16, 128 * KIB, 2).perSecond();
            Repetitions.Measure with = () -> {
                String every = ours.registerWebhook(receiver.url(), WebhookEvent.ALL);
                try {
                    Scenarios.Batch batch = Scenarios.smallUploads(ours, 500, 16, 128 * KIB, 2);
                    // deliveries that lag behind the uploads go on after the measured window; the next round
                    // starts once they are done, so that they slow down neither round
                    delivered.add(Deliveries.of(receiver.await(batch.uploads(), Duration.ofMinutes(2)), batch.uploads()));
                    return batch.perSecond();
                } finally {
                    ours.deleteWebhook(every);
                }
            };
            without.run();
            with.run();
            delivered.clear();
            Rounds cost = repeat.interleaved(without, with);
            report.webhookCost("uploads with a webhook for every event incl. progress, 500 × 128 KiB in two PATCHes, 16 clients",
                    cost, Deliveries.pooled(delivered));
        }
    }
}
