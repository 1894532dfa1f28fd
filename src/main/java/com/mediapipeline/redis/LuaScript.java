package com.mediapipeline.redis;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by {@code EVALSHA}: its text crosses the network only when the node that owns
 * the keys does not know it yet ({@code NOSCRIPT}: first use, a restart, a failover, and on a Redis
 * Cluster each master has a cache of its own), and then {@code EVAL} runs it and caches it there.
 * Either way the script runs once per call. Pipelines send the {@link #text()} by {@code EVAL}: a
 * {@code NOSCRIPT} there would come back with the replies of the commands queued after it.
 */
public final class LuaScript {

    private final String text;
    private final String sha;

    public LuaScript(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException unknownThere) {
            return redis.eval(text, keys, args);
        }
    }

    public String text() {
        return text;
    }

    /** The name Redis gives the script: the SHA-1 of its text (as Jedis sends it, UTF-8), in lowercase hex. */
    public String sha() {
        return sha;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-1", e);
        }
    }
}
