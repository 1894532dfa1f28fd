package com.mediapipeline.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What bench/run tells the driver ({@code --name value} pairs), read once and passed down: the run's
 * state lives in these values and in the objects built from them, never in static fields.
 *
 * @param ours       Media Pipeline's base URL
 * @param oursOff    a second instance of it on the same Redis and disk with analytics off ('' when not started)
 * @param key        the API key bench/run gave it
 * @param peer       the peer @tus/server's base URL
 * @param work       a scratch folder on the disk under test, for the dd baselines
 * @param servicePid the service's process, whose resident memory is sampled
 * @param redisPort  the service's embedded Redis, whose command counts are read
 * @param node       the Node.js version the peer runs on, for the report
 * @param runs       how many times each scenario runs
 * @param intervalMs the service's progress interval, which the freshness targets are measured against
 * @param out        where RESULTS.md goes
 * @param chart      where the throughput PNG goes
 * @param only       the scenarios to run ({@code --only webhooks,creations}); empty: every one
 * @param sweep      the instance whose cleanup sweeps are measured, on a Redis and a folder of its own (null when not started)
 */
record Settings(String ours, String oursOff, String key, String peer, Path work, long servicePid, int redisPort, String node,
                int runs, int intervalMs, Path out, Path chart, Set<String> only, SweepInstance sweep) {

    /**
     * @param url       its base URL
     * @param redisPort its embedded Redis
     * @param storage   its storage folder
     * @param log       the file it logs to, where each sweep writes its duration
     * @param build     which build it runs, for the report
     * @param interval  its cleanup interval
     * @param completed its retention of completed uploads
     */
    record SweepInstance(String url, int redisPort, Path storage, Path log, String build, Duration interval, Duration completed) {
    }

    static Settings parse(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        return new Settings(required(args, "ours"), args.getOrDefault("ours-off", ""), required(args, "key"), required(args, "peer"),
                Path.of(required(args, "work")), Long.parseLong(required(args, "service-pid")),
                Integer.parseInt(required(args, "redis-port")), args.getOrDefault("node", "?"),
                Integer.parseInt(args.getOrDefault("runs", "3")), Integer.parseInt(args.getOrDefault("interval-ms", "250")),
                Path.of(required(args, "out")), Path.of(required(args, "chart")),
                Arrays.stream(args.getOrDefault("only", "").split(",")).map(String::strip).filter(name -> !name.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()),
                args.getOrDefault("sweep", "").isEmpty() ? null : new SweepInstance(args.get("sweep"),
                        Integer.parseInt(required(args, "sweep-redis-port")), Path.of(required(args, "sweep-storage")),
                        Path.of(required(args, "sweep-log")),
                        args.getOrDefault("sweep-build", "this build"), Duration.parse(required(args, "sweep-interval")),
                        Duration.parse(required(args, "sweep-completed"))));
    }

    /** Whether the scenario {@code name} runs: every one does unless {@code --only} names some. */
    boolean includes(String name) {
        return only.isEmpty() || only.contains(name);
    }

    private static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
