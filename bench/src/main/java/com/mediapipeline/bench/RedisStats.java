package com.mediapipeline.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/** How often the service's Redis has run a command (INFO commandstats), read through Jedis as the service reads. */
record RedisStats(int port) {

    long calls(String command) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(jedis.info("commandstats"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }
}
