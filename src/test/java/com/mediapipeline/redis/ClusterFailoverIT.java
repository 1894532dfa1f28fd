package com.mediapipeline.redis;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.MidUploadFailover;
import com.mediapipeline.testing.RedisClusterSet;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static com.mediapipeline.testing.FailoverOutcomes.assertNoUnhandledErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis Cluster master lost: the microbundle on {@code redis-cluster://} of 3 masters and 3 replicas
 * ({@link RedisClusterSet}), whose master of the business's slot is SIGKILLed mid-upload. Until its
 * replica is promoted (the cluster calls a node failed after its 2 s node timeout, then the replica
 * wins an election), requests answer 503 {@code redis_unavailable} as JSON, or late when the client's
 * retries (3 attempts within 6 s) outlast the failover, never 500 and never hanging; after it, the TUS client resumes from HEAD to byte-identical bytes, the status is complete on the
 * promoted master, and the relay, whose subscription the dead master held, has subscribed again on a
 * live node by itself.
 */
class ClusterFailoverIT {

    private static final Duration FAILOVER = Duration.ofMinutes(2);
    /** The slot of every key of acme's (their hash tag), and with them the uploads' keys. */
    private static final int SLOT = JedisClusterCRC16.getSlot(RedisKeys.businessTag(TestEnvironment.ACME));

    private static RedisClusterSet redis;
    private static ServiceProcess service;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        Path folder = TestEnvironment.workDir().resolve("cluster-" + System.nanoTime());
        redis = RedisClusterSet.start(folder.resolve("redis"));
        service = MidUploadFailover.service(folder, redis.url()).start();
        api = Api.acme(service.url());
    }

    @AfterAll
    static void stop() throws Exception {
        try (RedisClusterSet closing = redis) {
            ServiceProcess.closeAll(service);
        }
    }

    /**
     * The master of acme's slot dies in the middle of a PATCH. The client goes on as TUS clients do (HEAD,
     * then PATCH from the offset it names) and the upload completes with identical bytes, its status
     * complete on the promoted replica; the socket watching it gets the events published after the
     * failover, through the relay's new subscription.
     */
    @Test
    void anUploadInterruptedByAMastersDeathCompletesWithIdenticalBytes() throws Exception {
        int master = redis.masterOf(SLOT);
        relaySubscribedOn(master);
        MidUploadFailover.Result result = MidUploadFailover.run(api, "cluster-failover.bin", () -> {
            redis.kill(master);
            return master;
        }, killed -> redis.awaitPromotion(SLOT, killed), FAILOVER);
        System.out.println("ClusterFailoverIT: " + result.outcomes().summary());
        result.outcomes().assertOnly503s();
        assertTrue(relaySubscription() > 0, "the relay subscribed again, on a live node");
        try (Jedis node = RedisClusterSet.node(result.successor())) {
            Map<String, String> hash = node.hgetAll(RedisKeys.upload(TestEnvironment.ACME, result.id()));
            assertEquals("completed", hash.get("status"), "the promoted master holds the status: " + hash);
        }
        assertNoUnhandledErrors(service);
    }

    /**
     * Moves the relay's subscription (on a node the client picked at random) onto {@code port}, so that the
     * node's death cuts it: drops the pub/sub connections of the node it is on until it lands there.
     */
    private static void relaySubscribedOn(int port) {
        Await.until(FAILOVER, "the relay to subscribe on the node on " + port, () -> {
            int on = relaySubscription();
            if (on > 0 && on != port) {
                try (Jedis node = RedisClusterSet.node(on)) {
                    node.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
                }
            }
            return on == port;
        });
    }

    /** The live node that holds a subscription to the progress channel (PUBSUB NUMSUB counts its own), or -1. */
    private static int relaySubscription() {
        for (int port : redis.survivors()) {
            try (Jedis node = RedisClusterSet.node(port)) {
                if (node.pubsubNumSub(RedisKeys.PROGRESS_CHANNEL).get(RedisKeys.PROGRESS_CHANNEL) > 0) {
                    return port;
                }
            }
        }
        return -1;
    }
}
