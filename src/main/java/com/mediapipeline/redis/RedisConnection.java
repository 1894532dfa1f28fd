package com.mediapipeline.redis;

import com.mediapipeline.config.InvalidSettingException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Owns the Redis client: connects to {@code mediapipeline.redis.url} (one server, a Sentinel-watched
 * master or a Redis Cluster), or starts an embedded redis-server when it is {@code embedded}; fails
 * deployment loudly when Redis cannot be had.
 */
@ApplicationScoped
public class RedisConnection {

    static final String URL_SETTING = "mediapipeline.redis.url";
    private static final Logger LOG = Logger.getLogger(RedisConnection.class.getName());
    private static final int TIMEOUT_MS = 2000;
    private static final int POOL_SIZE = 64;
    /** A cluster command follows a moved slot or a failed-over master this often before it fails (503). */
    private static final int CLUSTER_ATTEMPTS = 3;

    @Inject
    @ConfigProperty(name = URL_SETTING, defaultValue = "embedded")
    String url;

    @Inject
    @RedisDataFolder
    Path dataFolder;

    private EmbeddedRedis embedded;
    private ConnectionProvider connections;
    private UnifiedJedis client;

    @PostConstruct
    void connect() {
        RedisUrl target = "embedded".equals(url) ? startEmbedded() : RedisUrl.parse(url).orElseThrow(() -> invalid(url));
        connections = connections(target);
        client = client(connections);
        client.ping();
        if (target.topology() != RedisUrl.Topology.CLUSTER) {
            KeyMigration.run(client);
        }
        LOG.info("Connected to Redis: " + target);
    }

    /** A client of the Redis the URL names, with the service's timeouts and pool. */
    public static UnifiedJedis open(RedisUrl target) {
        return client(connections(target));
    }

    /**
     * A connection of the client's pool, as the client's own {@code subscribe} takes one (the current master's,
     * or a reachable node's of a cluster), for the caller to hold and close: {@link Subscriptions} holds its
     * own so that it can close one under a subscription gone silent.
     */
    Connection connection() {
        return connections.getConnection();
    }

    /** The client's pools: the commands' and the subscriptions' connections come from them. */
    private static ConnectionProvider connections(RedisUrl target) {
        JedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MS)
                .socketTimeoutMillis(TIMEOUT_MS)
                .user(target.user())
                .password(target.password())
                .database(target.database())
                .ssl(target.tls())
                .build();
        return switch (target.topology()) {
            case STANDALONE -> new PooledConnectionProvider(target.nodes().get(0), config, pool());
            case SENTINEL -> new SentineledConnectionProvider(target.master(), config, pool(), Set.copyOf(target.nodes()),
                    DefaultJedisClientConfig.builder().connectionTimeoutMillis(TIMEOUT_MS).socketTimeoutMillis(TIMEOUT_MS).build());
            case CLUSTER -> new ClusterConnectionProvider(Set.copyOf(target.nodes()), config, pool());
        };
    }

    /** A cluster's commands go to their keys' slot, and follow it when it moves; the others to the one server or master. */
    private static UnifiedJedis client(ConnectionProvider connections) {
        return connections instanceof ClusterConnectionProvider cluster
                ? new JedisCluster(cluster, CLUSTER_ATTEMPTS, Duration.ofMillis(CLUSTER_ATTEMPTS * (long) TIMEOUT_MS))
                : new UnifiedJedis(connections);
    }

    /**
     * Room for the request threads' short calls beside the long-held connections (the progress
     * subscription, the webhook fan-out's blocking read); a call that finds none free within the
     * timeout fails as Redis being unavailable, rather than waiting without end (the pool's default).
     */
    private static ConnectionPoolConfig pool() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MS));
        return pool;
    }

    @Produces
    UnifiedJedis client() {
        return client;
    }

    /** Whether Redis answers a PING now. */
    public boolean answers() {
        try {
            return "PONG".equals(client.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    @PreDestroy
    void close() {
        client.close();
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (IOException e) {
                LOG.warning("Could not stop the embedded redis-server: " + e.getMessage());
            }
        }
    }

    private RedisUrl startEmbedded() {
        try {
            embedded = EmbeddedRedis.start(dataFolder);
            return RedisUrl.parse(embedded.url()).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded redis-server", e);
        }
    }

    private static InvalidSettingException invalid(String value) {
        return new InvalidSettingException(URL_SETTING, "must be 'embedded', redis://[user:pass@]host:port[/db] "
                + "(rediss:// for TLS), redis-sentinel://[user:pass@]host:port,host:port/master[/db] or "
                + "redis-cluster://[user:pass@]host:port,host:port, was '" + RedisUrl.redacted(value) + "'");
    }
}
