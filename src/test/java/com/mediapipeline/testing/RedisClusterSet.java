package com.mediapipeline.testing;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Redis Cluster of 3 masters with a replica each, started by {@code .ci/redis-cluster} (Debian's
 * redis-server, node timeout 2 s) on free loopback ports from {@value #FIRST_PORT}: above the 17000s
 * where CI's own cluster for the cluster pass lives, and with bus ports (+10000) below the kernel's
 * ephemeral range. For the failover tests: find the master of a slot, SIGKILL it, wait for its replica
 * to take over.
 */
public final class RedisClusterSet implements AutoCloseable {

    private static final String FIRST_PORT = "19000";
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final Path script;
    private final Path folder;
    private final String url;
    private final List<Integer> ports;
    private final List<Integer> killed = new ArrayList<>();

    private RedisClusterSet(Path script, Path folder, String url) {
        this.script = script;
        this.folder = folder;
        this.url = url;
        this.ports = Arrays.stream(url.substring("redis-cluster://".length()).split(","))
                .map(node -> Integer.parseInt(node.substring(node.lastIndexOf(':') + 1))).toList();
    }

    /** Starts the cluster, its files under {@code folder}, once every node says {@code cluster_state:ok}. */
    public static RedisClusterSet start(Path folder) throws IOException, InterruptedException {
        Requirements.require(Files.isExecutable(Path.of("/usr/bin/redis-server")) && Files.isExecutable(Path.of("/usr/bin/redis-cli")),
                "Debian's redis-server and redis-cli (/usr/bin)");
        Path script = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve(".ci/redis-cluster");
        Files.createDirectories(folder);
        Process start = run(script, "start", folder);
        String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!start.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || start.exitValue() != 0 || !out.startsWith("redis-cluster://")) {
            run(script, "stop", folder).waitFor();
            throw new IllegalStateException(script + " start " + folder + " failed: " + out + "\n"
                    + Files.readString(folder.resolve("start.log")));
        }
        RedisClusterSet set = new RedisClusterSet(script, folder, out.lines().reduce((first, last) -> last).orElseThrow());
        Runtime.getRuntime().addShutdownHook(new Thread(set::close));
        return set;
    }

    /** {@code redis-cluster://} of the six nodes. */
    public String url() {
        return url;
    }

    /** The ports of the nodes that were not killed. */
    public List<Integer> survivors() {
        return ports.stream().filter(port -> !killed.contains(port)).toList();
    }

    /** The port of the master that serves {@code slot}, as the first live node that answers sees it. */
    public int masterOf(int slot) {
        for (int port : survivors()) {
            Optional<Integer> master = masterOf(slot, port);
            if (master.isPresent()) {
                return master.get();
            }
        }
        throw new IllegalStateException("no node of " + survivors() + " names a master of slot " + slot);
    }

    /** SIGKILLs the node on {@code port} (no shutdown, no last write to its replica), by the pid it wrote. */
    public void kill(int port) throws IOException {
        long pid = Long.parseLong(Files.readString(folder.resolve(port + "/redis.pid")).strip());
        ProcessHandle node = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("node " + port + " is not running"));
        killed.add(port);
        node.destroyForcibly();
        node.onExit().join();
    }

    /**
     * Waits until every live node says {@code cluster_state:ok} and names a master of {@code slot} other
     * than {@code old}, which answers as a master; answers its port.
     */
    public int awaitPromotion(int slot, int old) {
        return Await.until(WAIT, "a replica to take over slot " + slot + " from the master killed on " + old, () -> {
            List<Integer> named = new ArrayList<>();
            for (int port : survivors()) {
                if (!ask(port, Jedis::clusterInfo).contains("cluster_state:ok")) {
                    return -1;
                }
                named.add(masterOf(slot, port).orElse(-1));
            }
            int promoted = named.get(0);
            return named.stream().allMatch(port -> port == promoted) && promoted != old && promoted > 0
                    && ask(promoted, node -> node.info("replication")).contains("role:master") ? promoted : -1;
        }, promoted -> promoted > 0);
    }

    /** A connection to one node; close it. */
    public static Jedis node(int port) {
        return new Jedis("127.0.0.1", port);
    }

    /** Stops every node that {@code start} started. */
    @Override
    public void close() {
        try {
            run(script, "stop", folder).waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("could not stop the cluster in " + folder, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Process run(Path script, String action, Path folder) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(script.toString(), action, folder.toString())
                .redirectError(ProcessBuilder.Redirect.to(folder.resolve(action + ".log").toFile()));
        builder.environment().put("REDIS_CLUSTER_PORT", FIRST_PORT);
        return builder.start();
    }

    /** The master of {@code slot} in the {@code CLUSTER NODES} of the node on {@code port}: not failed, holding the slot. */
    private static Optional<Integer> masterOf(int slot, int port) {
        try (Jedis node = node(port)) {
            return node.clusterNodes().lines().map(line -> line.split(" "))
                    .filter(fields -> fields[2].contains("master") && !fields[2].contains("fail"))
                    .filter(fields -> Arrays.stream(fields).skip(8).anyMatch(range -> covers(range, slot)))
                    .map(fields -> Integer.parseInt(fields[1].substring(fields[1].lastIndexOf(':') + 1, fields[1].indexOf('@'))))
                    .findFirst();
        } catch (JedisException unreachable) {
            return Optional.empty();
        }
    }

    /** Whether a slot range of {@code CLUSTER NODES} ({@code 0-5460}, {@code 42}) holds {@code slot}. */
    private static boolean covers(String range, int slot) {
        if (range.startsWith("[")) {
            return false; // a slot being migrated
        }
        String[] bounds = range.split("-");
        return slot >= Integer.parseInt(bounds[0]) && slot <= Integer.parseInt(bounds[bounds.length - 1]);
    }

    /** What the node on {@code port} answers, or nothing when it does not. */
    private static String ask(int port, Function<Jedis, String> question) {
        try (Jedis node = node(port)) {
            return question.apply(node);
        } catch (JedisException e) {
            return "";
        }
    }
}
