package com.mediapipeline.testing;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Debian's redis-server as a master and a replica, watched by three Sentinels (quorum 2), on the
 * loopback ports the build reserved ({@code it.sentinel.*}), their files under one folder. Sentinels
 * call the master down after a second of silence, so a killed master is replaced within seconds.
 * For the failover tests: kill the master, wait for the replica to take over, bring the dead one back
 * as the new master's replica.
 */
public final class RedisSentinelSet implements AutoCloseable {

    public static final String MASTER = "mymaster";
    private static final Path SERVER = Path.of("/usr/bin/redis-server");
    private static final Path SENTINEL = Path.of("/usr/bin/redis-sentinel");
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final Path folder;
    private final List<Integer> serverPorts;
    private final List<Integer> sentinelPorts;
    private final Map<Integer, Process> servers = new LinkedHashMap<>();
    private final List<Process> sentinels = new ArrayList<>();

    private RedisSentinelSet(Path folder, List<Integer> serverPorts, List<Integer> sentinelPorts) {
        this.folder = folder;
        this.serverPorts = serverPorts;
        this.sentinelPorts = sentinelPorts;
    }

    /** Starts the set on the reserved ports, once the replica is in sync and every Sentinel knows the others. */
    public static RedisSentinelSet start(Path folder) throws IOException {
        Requirements.require(Files.isExecutable(SERVER), "Debian's redis-server (/usr/bin/redis-server)");
        RedisSentinelSet set = new RedisSentinelSet(Files.createDirectories(folder),
                List.of(port("it.sentinel.redis.port1"), port("it.sentinel.redis.port2")),
                List.of(port("it.sentinel.port1"), port("it.sentinel.port2"), port("it.sentinel.port3")));
        Runtime.getRuntime().addShutdownHook(new Thread(set::close));
        try {
            int master = set.serverPorts.get(0);
            set.startServer(master, null);
            set.startServer(set.serverPorts.get(1), master);
            for (int port : set.sentinelPorts) {
                set.startSentinel(port, master);
            }
            set.awaitHealthy();
            return set;
        } catch (IOException | RuntimeException | Error e) {
            set.close();
            throw e;
        }
    }

    /** {@code redis-sentinel://} of the three Sentinels and the master's name. */
    public String url() {
        return "redis-sentinel://" + sentinelPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","))
                + "/" + MASTER;
    }

    /** The master's port, as the first Sentinel that answers names it. */
    public int masterPort() {
        for (int port : sentinelPorts) {
            try (Jedis sentinel = new Jedis("127.0.0.1", port)) {
                return Integer.parseInt(sentinel.sentinelGetMasterAddrByName(MASTER).get(1));
            } catch (JedisException tryTheNext) {
                // a Sentinel that does not answer: ask another
            }
        }
        throw new IllegalStateException("no Sentinel answers on " + sentinelPorts);
    }

    /** A connection to the master of now; close it. */
    public Jedis master() {
        return new Jedis("127.0.0.1", masterPort());
    }

    /**
     * Waits until the replica has every write the master took so far: replication is asynchronous, so
     * a write acknowledged just before the master dies may be missing on the replica that replaces it.
     */
    public void awaitReplicated() {
        try (Jedis master = master()) {
            master.set("sentinel-set:replicated", Long.toString(System.nanoTime()));
            // WAIT counts the replicas that have this connection's last write, and with it all earlier ones
            long acknowledged = master.waitReplicas(1, WAIT.toMillis());
            if (acknowledged < 1) {
                throw new AssertionError("the replica did not acknowledge the master's writes within " + WAIT);
            }
        }
    }

    /** SIGKILLs the master (no shutdown, no last write to the replica) and answers its port. */
    public int killMaster() throws InterruptedException {
        int port = masterPort();
        servers.get(port).destroyForcibly().waitFor();
        return port;
    }

    /** Waits until every Sentinel names a master other than {@code old}, and that one answers as master. */
    public int awaitFailover(int old) {
        return Await.until(WAIT, "the Sentinels to promote the replica of the killed master on " + old, () -> {
            List<Integer> named = new ArrayList<>();
            for (int port : sentinelPorts) {
                try (Jedis sentinel = new Jedis("127.0.0.1", port)) {
                    named.add(Integer.parseInt(sentinel.sentinelGetMasterAddrByName(MASTER).get(1)));
                }
            }
            int promoted = named.get(0);
            return named.stream().allMatch(port -> port == promoted) && promoted != old && role(promoted).equals("master") ? promoted : -1;
        }, promoted -> promoted > 0);
    }

    /**
     * Brings back every killed server as the replica of the master of now, and waits until the set could
     * fail over again: the replica in sync, and every Sentinel sees it up and knows the other two.
     */
    public void awaitHealthy() throws IOException {
        int master = masterPort();
        for (int port : serverPorts) {
            if (!servers.get(port).isAlive()) {
                startServer(port, master);
            }
        }
        Await.until(WAIT, "the replica to be in sync with the master and every Sentinel to see it", this::health,
                health -> health.isEmpty());
    }

    /** What keeps the set from failing over now, or nothing. */
    private String health() {
        int master = masterPort();
        int replica = serverPorts.stream().filter(port -> port != master).findFirst().orElseThrow();
        if (!role(master).equals("master") || !info(replica, "replication").contains("master_link_status:up")
                || !info(replica, "replication").contains("master_port:" + master)) {
            return "replica on " + replica + " not in sync with master on " + master;
        }
        for (int port : sentinelPorts) {
            try (Jedis sentinel = new Jedis("127.0.0.1", port)) {
                Map<String, String> watched = sentinel.sentinelMaster(MASTER);
                List<Map<String, String>> replicas = sentinel.sentinelReplicas(MASTER);
                boolean replicaUp = replicas.stream().anyMatch(r -> r.get("port").equals(Integer.toString(replica))
                        && r.get("flags").equals("slave") && "ok".equals(r.get("master-link-status")));
                if (!watched.get("port").equals(Integer.toString(master)) || !watched.get("flags").equals("master")
                        || !"2".equals(watched.get("num-other-sentinels")) || !replicaUp) {
                    return "Sentinel on " + port + " sees " + watched + " with replicas " + replicas;
                }
            } catch (JedisException e) {
                return "Sentinel on " + port + ": " + e.getMessage();
            }
        }
        return "";
    }

    /** Stops every process of the set at once (SIGKILL: nothing of it needs to outlive the test). */
    @Override
    public void close() {
        List<Process> all = new ArrayList<>(servers.values());
        all.addAll(sentinels);
        all.forEach(Process::destroyForcibly);
        for (Process process : all) {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void startServer(int port, Integer replicaOf) throws IOException {
        Path dir = Files.createDirectories(folder.resolve("redis-" + port));
        List<String> config = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "dir " + dir,
                "save \"\"", "appendonly no", "repl-diskless-sync yes", "repl-diskless-sync-delay 0"));
        if (replicaOf != null) {
            config.add("replicaof 127.0.0.1 " + replicaOf);
        }
        servers.put(port, launch(dir, config, List.of(SERVER.toString())));
        awaitPing(port);
    }

    private void startSentinel(int port, int master) throws IOException {
        Path dir = Files.createDirectories(folder.resolve("sentinel-" + port));
        List<String> config = List.of("port " + port, "bind 127.0.0.1", "dir " + dir,
                "sentinel monitor " + MASTER + " 127.0.0.1 " + master + " 2",
                "sentinel down-after-milliseconds " + MASTER + " 1000",
                "sentinel failover-timeout " + MASTER + " 5000",
                "sentinel parallel-syncs " + MASTER + " 1");
        // Debian's redis-sentinel is redis-server by another name; without that package, --sentinel does the same
        sentinels.add(launch(dir, config, Files.isExecutable(SENTINEL) ? List.of(SENTINEL.toString())
                : List.of(SERVER.toString(), "--sentinel")));
        awaitPing(port);
    }

    /** Runs {@code command} on a fresh config file in {@code dir} (a Sentinel rewrites its own). */
    private static Process launch(Path dir, List<String> config, List<String> command) throws IOException {
        Path file = Files.write(dir.resolve("redis.conf"), config);
        List<String> line = new ArrayList<>(command.subList(0, 1));
        line.add(file.toString());
        line.addAll(command.subList(1, command.size()));
        return new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
    }

    private static void awaitPing(int port) {
        Await.until(WAIT, "redis on port " + port + " to answer PING", () -> {
            try (Jedis redis = new Jedis("127.0.0.1", port)) {
                return "PONG".equals(redis.ping());
            } catch (JedisException notYet) {
                return false;
            }
        });
    }

    private static String role(int port) {
        try (Jedis redis = new Jedis("127.0.0.1", port)) {
            return (String) redis.role().get(0);
        } catch (JedisException e) {
            return "unreachable";
        }
    }

    private static String info(int port, String section) {
        try (Jedis redis = new Jedis("127.0.0.1", port)) {
            return redis.info(section);
        } catch (JedisException e) {
            return "";
        }
    }

    private static int port(String property) {
        return Integer.parseInt(System.getProperty(property));
    }
}
