package com.mediapipeline.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LuaScriptTest {

    /** EVALSHA finds a script by the SHA-1 that SCRIPT LOAD answers (redis-cli SCRIPT LOAD "return 1"). */
    @Test
    void theShaIsTheOneRedisGivesTheScript() {
        assertEquals("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", new LuaScript("return 1").sha());
    }

    /** Redis hashes the bytes it receives, which Jedis encodes as UTF-8 (SCRIPT LOAD "return 'é'" on Redis 7.0). */
    @Test
    void theShaIsOfTheUtf8Bytes() {
        assertEquals("6832e39b721242dbb406e4bf358bfebb712064d7", new LuaScript("return 'é'").sha());
    }
}
