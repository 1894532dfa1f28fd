package com.mediapipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * One cleanup sweep of the sweep instance (bench/run starts it on a Redis and a folder of its own), measured
 * from outside: the driver holds the sweep lock while it seeds (an instance that finds it taken skips its
 * sweep), lets go of it, and reads the next sweep's own log line (its duration and removals) and the Redis
 * commands between letting go and that line (INFO commandstats, every command), less what the instance
 * issues when idle in as long.
 */
final class SweepProbe {

    /** RedisKeys.SWEEP_LOCK of the service, of this version and the ones before. */
    private static final String LOCK = "lock:cleanup-sweep";
    private static final Pattern SWEEP = Pattern.compile("Cleanup sweep removed (\\d+) expired upload\\(s\\) in (\\d+) ms");

    private final RedisStats redis;
    private final Path log;
    private double idlePerSecond;

    /** A sweep's duration as it logged it, what it removed, and the Redis commands it issued. */
    record Sweep(long millis, int removed, long commands) {
    }

    SweepProbe(int redisPort, Path log) {
        this.redis = new RedisStats(redisPort);
        this.log = log;
    }

    /** Takes the sweep lock, once the sweep that holds it (if any) let it expire. */
    void hold() throws InterruptedException {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            while (jedis.set(LOCK, "bench", SetParams.setParams().nx().px(Duration.ofHours(1).toMillis())) == null) {
                Thread.sleep(100);
            }
        }
    }

    /** The Redis commands the instance issues per second without sweeping (the lock held), over {@code window}. */
    void measureIdle(Duration window) throws InterruptedException {
        hold();
        long before = redis.allCalls();
        Thread.sleep(window.toMillis());
        idlePerSecond = (redis.allCalls() - before) / (window.toMillis() / 1000.0);
    }

    /** Lets the next sweep run, measures it, and holds the lock again. */
    Sweep next() throws Exception {
        int sweeps = sweepLines().size();
        long before = redis.allCalls();
        long start = System.nanoTime();
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            jedis.del(LOCK);
        }
        List<String> lines = sweepLines();
        while (lines.size() == sweeps) {
            Thread.sleep(20);
            lines = sweepLines();
        }
        long commands = redis.allCalls() - before - Math.round(idlePerSecond * Rates.secondsSince(start));
        hold();
        Matcher m = SWEEP.matcher(lines.get(sweeps));
        if (!m.find()) {
            throw new IllegalStateException("not a sweep's line: " + lines.get(sweeps));
        }
        return new Sweep(Long.parseLong(m.group(2)), Integer.parseInt(m.group(1)), commands);
    }

    private List<String> sweepLines() throws IOException {
        return Files.readAllLines(log).stream().filter(line -> SWEEP.matcher(line).find()).toList();
    }
}
