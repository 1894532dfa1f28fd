package com.mediapipeline.redis;

import redis.clients.jedis.HostAndPort;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redis that {@code mediapipeline.redis.url} names: one server ({@code redis://}, {@code rediss://}),
 * a master found through Sentinels ({@code redis-sentinel://}) or a Redis Cluster ({@code redis-cluster://}).
 * Parsed here because {@link java.net.URI} takes no list of hosts.
 */
public record RedisUrl(Topology topology, List<HostAndPort> nodes, String user, String password, int database,
                       boolean tls, String master) {

    /** How the service reaches Redis. */
    public enum Topology { STANDALONE, SENTINEL, CLUSTER }

    private static final Pattern SHAPE = Pattern.compile(
            "(?<scheme>rediss?|redis-sentinel|redis-cluster)://(?:(?<user>[^:@/]*)(?::(?<password>[^@/]*))?@)?"
                    + "(?<hosts>[^/@]+)(?:/(?<path>[^?#]*))?");
    private static final Pattern HOST = Pattern.compile("(?<host>\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):(?<port>\\d{1,5})");

    /** The URL's parts, or empty when it is not one of the four shapes. */
    public static Optional<RedisUrl> parse(String text) {
        Matcher url = SHAPE.matcher(text == null ? "" : text);
        if (!url.matches()) {
            return Optional.empty();
        }
        String scheme = url.group("scheme");
        Topology topology = switch (scheme) {
            case "redis-sentinel" -> Topology.SENTINEL;
            case "redis-cluster" -> Topology.CLUSTER;
            default -> Topology.STANDALONE;
        };
        List<HostAndPort> nodes = Arrays.stream(url.group("hosts").split(",", -1)).map(RedisUrl::node).toList();
        if (nodes.contains(null) || (topology == Topology.STANDALONE && nodes.size() != 1)) {
            return Optional.empty();
        }
        List<String> path = Optional.ofNullable(url.group("path")).filter(p -> !p.isEmpty())
                .map(p -> List.of(p.split("/", -1))).orElse(List.of());
        String master = topology == Topology.SENTINEL && !path.isEmpty() ? path.get(0) : null;
        List<String> rest = topology == Topology.SENTINEL && !path.isEmpty() ? path.subList(1, path.size()) : path;
        if ((topology == Topology.SENTINEL && (master == null || master.isEmpty())) || rest.size() > 1
                || (topology == Topology.CLUSTER && !rest.isEmpty()) || !rest.stream().allMatch(db -> db.matches("\\d{1,2}"))) {
            return Optional.empty();
        }
        int database = rest.isEmpty() ? 0 : Integer.parseInt(rest.get(0));
        return Optional.of(new RedisUrl(topology, nodes, decode(url.group("user")), decode(url.group("password")),
                database, "rediss".equals(scheme), master));
    }

    /** The URL with its password hidden, for logs and error messages. */
    public static String redacted(String text) {
        return text.replaceAll("//[^@/]*@", "//***@");
    }

    private static HostAndPort node(String text) {
        Matcher host = HOST.matcher(text);
        if (!host.matches() || Integer.parseInt(host.group("port")) > 65535) {
            return null;
        }
        String name = host.group("host");
        return new HostAndPort(name.startsWith("[") ? name.substring(1, name.length() - 1) : name,
                Integer.parseInt(host.group("port")));
    }

    private static String decode(String part) {
        return part == null || part.isEmpty() ? null : URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return topology + " " + nodes + (master == null ? "" : " master " + master) + (database == 0 ? "" : " db " + database);
    }
}
