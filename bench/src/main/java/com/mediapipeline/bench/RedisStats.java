package com.mediapipeline.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/** How often the service's Redis has run a command (INFO commandstats), and its CPU time (INFO cpu), read through Jedis as the service reads. */
record RedisStats(int port) {

    long calls(String command) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(jedis.info("commandstats"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }

    /** Every command the server has run so far, of every client (scripts' commands counted one by one, the EVAL too). */
    long allCalls() {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            Matcher m = Pattern.compile("cmdstat_[^:]+:calls=(\\d+)").matcher(jedis.info("commandstats"));
            long calls = 0;
            while (m.find()) {
                calls += Long.parseLong(m.group(1));
            }
            return calls;
        }
    }

    /** used_cpu_user + used_cpu_sys: the whole redis-server process's CPU seconds so far. */
    double cpuSeconds() {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            String info = jedis.info("cpu");
            return field(info, "used_cpu_user") + field(info, "used_cpu_sys");
        }
    }

    private static double field(String info, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":([\\d.]+)").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("INFO cpu has no " + name);
        }
        return Double.parseDouble(m.group(1));
    }
}
