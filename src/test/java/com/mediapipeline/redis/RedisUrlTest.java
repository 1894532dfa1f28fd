package com.mediapipeline.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.HostAndPort;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisUrlTest {

    @Test
    void oneServerWithCredentialsAndADatabase() {
        RedisUrl url = RedisUrl.parse("rediss://app:s%40cret@redis.internal:6380/15").orElseThrow();
        assertEquals(RedisUrl.Topology.STANDALONE, url.topology());
        assertEquals(List.of(new HostAndPort("redis.internal", 6380)), url.nodes());
        assertEquals("app", url.user());
        assertEquals("s@cret", url.password());
        assertEquals(15, url.database());
        assertTrue(url.tls());
    }

    @Test
    void aPasswordWithoutAUser() {
        RedisUrl url = RedisUrl.parse("redis://:pw@127.0.0.1:6379").orElseThrow();
        assertNull(url.user());
        assertEquals("pw", url.password());
        assertEquals(0, url.database());
        assertFalse(url.tls());
    }

    @Test
    void sentinelsWithTheirMasterAndADatabase() {
        RedisUrl url = RedisUrl.parse("redis-sentinel://u:p@s1:26379,s2:26380,[::1]:26381/mymaster/3").orElseThrow();
        assertEquals(RedisUrl.Topology.SENTINEL, url.topology());
        assertEquals(List.of(new HostAndPort("s1", 26379), new HostAndPort("s2", 26380), new HostAndPort("::1", 26381)), url.nodes());
        assertEquals("mymaster", url.master());
        assertEquals(3, url.database());
        assertEquals("p", url.password());
    }

    @Test
    void clusterSeedNodes() {
        RedisUrl url = RedisUrl.parse("redis-cluster://10.0.0.1:7000,10.0.0.2:7001").orElseThrow();
        assertEquals(RedisUrl.Topology.CLUSTER, url.topology());
        assertEquals(List.of(new HostAndPort("10.0.0.1", 7000), new HostAndPort("10.0.0.2", 7001)), url.nodes());
        assertEquals(0, url.database());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost:6379", "redis://localhost", "redis://a:1,b:2", "redis://h:99999",
            "redis-sentinel://s1:26379", "redis-sentinel://s1:26379/", "redis-sentinel://s1:26379/m/x",
            "redis-cluster://n1:7000/0", "redis://h:6379/1/2", "http://h:80", "redis-cluster://n1:7000,"})
    void rejectsWhatNamesNoRedis(String text) {
        assertTrue(RedisUrl.parse(text).isEmpty(), text);
    }

    @Test
    void redactsPasswords() {
        assertEquals("redis-sentinel://***@s1:1/m", RedisUrl.redacted("redis-sentinel://u:secret@s1:1/m"));
    }
}
