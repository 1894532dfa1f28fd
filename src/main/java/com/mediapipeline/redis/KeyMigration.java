package com.mediapipeline.redis;

import redis.clients.jedis.UnifiedJedis;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Moves keys written by versions before hash tags ({@code analytics:acme:…}, {@code upload:<id>}) to
 * their tagged names ({@code analytics:{acme}:…}, {@code upload:{acme}:<id>}, the business read from the
 * hash) when an instance starts, so that an upgrade keeps what they hold. A key that a newer instance
 * already wrote under the new name is merged into it: counters add up, a status keeps the newer fields.
 * Listing indexes are dropped instead, since the sweep lists every upload again; locks, tombstones and
 * rate-limit buckets are left to expire. Such keys only exist where the
 * old version ran, on one Redis (old versions could not run on a cluster), so a cluster is skipped.
 */
final class KeyMigration {

    private static final Logger LOG = Logger.getLogger(KeyMigration.class.getName());

    /** KEYS: the old name, the new one. ARGV: 'sum', 'keep' (a field the new one has stays) or 'drop'. */
    private static final String MOVE = """
            local kind = redis.call('TYPE', KEYS[1]).ok
            if kind == 'none' then return 0 end
            if ARGV[1] == 'drop' then return redis.call('DEL', KEYS[1]) end
            if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('RENAME', KEYS[1], KEYS[2]) return 1 end
            local ttl = math.max(redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2]))
            if kind == 'hash' then
              local fields = redis.call('HGETALL', KEYS[1])
              for i = 1, #fields, 2 do
                if ARGV[1] == 'sum' then redis.call('HINCRBY', KEYS[2], fields[i], fields[i + 1])
                else redis.call('HSETNX', KEYS[2], fields[i], fields[i + 1]) end
              end
            elseif kind == 'zset' then
              redis.call('ZUNIONSTORE', KEYS[2], 2, KEYS[2], KEYS[1])
            elseif kind == 'string' then
              redis.call('PFMERGE', KEYS[2], KEYS[1])
            end
            if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
            return redis.call('DEL', KEYS[1])
            """;

    /** Keys named {@code <prefix><business>[:…]} before, {@code <prefix>{<business>}[:…]} now. */
    private record Rule(String prefix, String mode) {
        Optional<String> tagged(String key) {
            String rest = key.substring(prefix.length());
            if (rest.isEmpty() || rest.startsWith("{")) {
                return Optional.empty();
            }
            int end = rest.indexOf(':');
            String business = end < 0 ? rest : rest.substring(0, end);
            return Optional.of(prefix + RedisKeys.businessTag(business) + (end < 0 ? "" : rest.substring(end)));
        }
    }

    private static final List<Rule> RULES = List.of(new Rule(RedisKeys.ANALYTICS, "sum"), new Rule(RedisKeys.LISTINGS, "drop"));

    private KeyMigration() {
    }

    /** Moves every old key of {@code redis}, one Redis (not a cluster); answers how many it moved or dropped. */
    static long run(UnifiedJedis redis) {
        long moved = 0;
        for (Rule rule : RULES) {
            for (String key : KeyScan.keys(redis, rule.prefix() + "*", null)) {
                Optional<String> tagged = rule.tagged(key);
                if (tagged.isPresent()) {
                    moved += (Long) redis.eval(MOVE, List.of(key, tagged.get()), List.of(rule.mode()));
                }
            }
        }
        for (String key : KeyScan.keys(redis, RedisKeys.UPLOADS + "*", "hash")) {
            String business = key.startsWith(RedisKeys.UPLOADS + "{") ? null : redis.hget(key, "business");
            if (business != null && !business.isEmpty()) {
                String id = key.substring(RedisKeys.UPLOADS.length());
                moved += (Long) redis.eval(MOVE, List.of(key, RedisKeys.upload(business, id)), List.of("keep"));
            }
        }
        if (moved > 0) {
            LOG.info("Moved " + moved + " Redis keys of an older version to their names with hash tags");
        }
        return moved;
    }
}
