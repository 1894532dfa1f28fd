package com.mediapipeline.redis;

import com.mediapipeline.config.InvalidSettingException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Owns the Redis client: connects to {@code mediapipeline.redis.url}, or starts an embedded
 * redis-server when it is {@code embedded}; fails deployment loudly when Redis cannot be had.
 */
@ApplicationScoped
public class RedisConnection {

    static final String URL_SETTING = "mediapipeline.redis.url";
    private static final Logger LOG = Logger.getLogger(RedisConnection.class.getName());
    private static final int TIMEOUT_MS = 2000;
    private static final int POOL_SIZE = 64;

    @Inject
    @ConfigProperty(name = URL_SETTING, defaultValue = "embedded")
    String url;

    @Inject
    @RedisDataFolder
    Path dataFolder;

    private EmbeddedRedis embedded;
    private JedisPooled client;

    @PostConstruct
    void connect() {
        URI uri = "embedded".equals(url) ? startEmbedded() : parse(url);
        JedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MS)
                .socketTimeoutMillis(TIMEOUT_MS)
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .build();
        client = new JedisPooled(new HostAndPort(uri.getHost(), uri.getPort()), config, pool());
        client.ping();
        LOG.info("Connected to Redis at " + uri.getHost() + ":" + uri.getPort());
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
    JedisPooled client() {
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

    private URI startEmbedded() {
        try {
            embedded = EmbeddedRedis.start(dataFolder);
            return URI.create(embedded.url());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded redis-server", e);
        }
    }

    private static URI parse(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw invalid(value);
        }
        if (!JedisURIHelper.isValid(uri) || uri.getPort() < 0) {
            throw invalid(value);
        }
        return uri;
    }

    private static InvalidSettingException invalid(String value) {
        return new InvalidSettingException(URL_SETTING, "must be 'embedded' or redis://[user:pass@]host:port[/db] "
                + "(rediss:// for TLS), was '" + value.replaceAll("//[^@/]*@", "//***@") + "'");
    }
}
