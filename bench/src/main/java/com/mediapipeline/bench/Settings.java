package com.mediapipeline.bench;

import java.nio.file.Path;
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
 */
record Settings(String ours, String oursOff, String key, String peer, Path work, long servicePid, int redisPort, String node,
                int runs, int intervalMs, Path out, Path chart, Set<String> only) {

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
                        .collect(Collectors.toUnmodifiableSet()));
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
