package com.mediapipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU time the service used while a measure ran: its JVM's (user + system, every thread, from
 * /proc/&lt;pid&gt;/stat) and its embedded redis-server's, a process of its own (INFO cpu).
 */
record ServiceCpu(long pid, RedisStats redis) {

    /** USER_HZ, the unit of /proc's times: 100 on every Linux the service runs on. */
    private static final double TICKS_PER_SECOND = 100;

    /** The delays of one measure, and the CPU seconds the JVM and Redis used meanwhile. */
    record Spent(Latencies delays, double jvmSeconds, double redisSeconds) {

        /** Every run's delays pooled, the median of each CPU figure. */
        static Spent pooled(List<Spent> runs) {
            return new Spent(Latencies.pooled(runs.stream().map(Spent::delays).toList()),
                    Rates.median(runs.stream().map(Spent::jvmSeconds).toList()),
                    Rates.median(runs.stream().map(Spent::redisSeconds).toList()));
        }
    }

    Spent during(Repetitions.LatencyMeasure measure) throws Exception {
        double jvm = jvmSeconds();
        double redisBefore = redis.cpuSeconds();
        Latencies delays = measure.run();
        return new Spent(delays, jvmSeconds() - jvm, redis.cpuSeconds() - redisBefore);
    }

    private double jvmSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // after "(name) ": the state is field 3 of the line, utime 14 and stime 15
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
