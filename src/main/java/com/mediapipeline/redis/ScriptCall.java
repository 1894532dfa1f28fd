package com.mediapipeline.redis;

import redis.clients.jedis.UnifiedJedis;

import java.util.List;

/** One call of a script, ready to run now or to be handed to another call's round trip. */
public record ScriptCall(LuaScript script, List<String> keys, List<String> args) {

    public Object run(UnifiedJedis redis) {
        return script.run(redis, keys, args);
    }
}
