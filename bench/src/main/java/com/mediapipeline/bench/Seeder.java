package com.mediapipeline.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Stores uploads as copies of one that the service created over HTTP (the template): its folder (the TUS
 * info file with the template's id replaced, both the UUID's two longs and its text), its status hash, its
 * listing entries and its expiry-index entry if the build under test keeps one, each with the new id. So
 * the copies are stored exactly as that build stores an unfinished upload, far faster than creating each
 * over HTTP (40 creations/s on the busy host of the sweep rows). The key names are the service's
 * (RedisKeys) of this version, with the business tag of the bench's business.
 */
final class Seeder {

    private final TusClient client;
    private final Path uploads;
    private final int redisPort;

    Seeder(TusClient client, Path storage, int redisPort) {
        this.client = client;
        this.uploads = storage.resolve("uploads");
        this.redisPort = redisPort;
    }

    /** Stores {@code count} copies of a new upload of {@code size} bytes, none of which has any yet. */
    void copies(int count, long size) throws Exception {
        String url = client.create(size);
        String template = url.substring(url.lastIndexOf('/') + 1);
        byte[] info = Files.readAllBytes(uploads.resolve(template).resolve("info"));
        try (Jedis jedis = new Jedis("127.0.0.1", redisPort)) {
            Map<String, String> hash = jedis.hgetAll("upload:{bench}:" + template);
            String member = hash.get("listed_as");
            List<String> listings = listingsOf(jedis, member);
            Double due = jedis.zscore("expiries:{" + hash.get("business") + "}", template);
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                Path folder = Files.createDirectories(uploads.resolve(id));
                Files.write(folder.resolve("info"), withId(info, template, id));
                Files.createFile(folder.resolve("data"));
                String copy = member.replace(template, id);
                Map<String, String> fields = new HashMap<>(hash);
                fields.put("listed_as", copy);
                pipeline.hset("upload:{" + hash.get("business") + "}:" + id, fields);
                listings.forEach(listing -> pipeline.zadd(listing, 0, copy));
                if (due != null) {
                    pipeline.zadd("expiries:{" + hash.get("business") + "}", due, id);
                }
                if (i % 1000 == 999) {
                    pipeline.sync();
                }
            }
            pipeline.sync();
        }
    }

    /** The listing indexes that hold {@code member}. */
    private static List<String> listingsOf(Jedis jedis, String member) {
        List<String> listings = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("uploads:*").count(1000), "zset");
            page.getResult().stream().filter(key -> jedis.zscore(key, member) != null).forEach(listings::add);
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return listings;
    }

    /** The info file with upload id {@code from} replaced by {@code to}: java.util.UUID's fields (leastSigBits, mostSigBits), then its text. */
    static byte[] withId(byte[] info, String from, String to) {
        byte[] replaced = replaceOnce(info, uuidBytes(UUID.fromString(from)), uuidBytes(UUID.fromString(to)));
        return replaceOnce(replaced, from.getBytes(StandardCharsets.US_ASCII), to.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getLeastSignificantBits()).putLong(id.getMostSignificantBits()).array();
    }

    private static byte[] replaceOnce(byte[] bytes, byte[] from, byte[] to) {
        int found = -1;
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                if (found >= 0) {
                    throw new IllegalStateException("the template's id is in its info file more than once");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalStateException("the template's id is not in its info file as expected");
        }
        byte[] copy = bytes.clone();
        System.arraycopy(to, 0, copy, found, to.length);
        return copy;
    }
}
