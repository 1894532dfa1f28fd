package com.mediapipeline.webhooks;

import com.mediapipeline.redis.RedisUrl;
import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestEnvironment;
import com.mediapipeline.testing.WebhookReceiver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Redis Cluster runs a script only when its keys share one hash slot, and a script may touch no key of
 * another slot. Watched with MONITOR on the tests' Redis while two businesses' webhooks go through their
 * whole life (record, fan-out, take, retry, deliver, ping, replay, log): every script that names a
 * webhook key names and touches webhook keys of one slot, that of the business's tag, and none of the
 * keys that all businesses shared. On one Redis, so that one MONITOR sees every script, and so that a
 * script of two slots is caught here rather than by a cluster (whose pass refuses such scripts by itself).
 */
class WebhookSlotsIT extends ServiceIT {

    @BeforeAll
    static void oneRedis() {
        assumeFalse(TestEnvironment.redisUrl().startsWith("redis-cluster:"), "MONITOR watches one node");
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<String> SHARED = Set.of("webhooks:events", "webhooks:due-businesses", "webhooks:all");

    @Test
    void everyWebhookScriptKeepsToOneBusinessSlot() throws Exception {
        List<Script> scripts;
        try (WebhookReceiver receiver = WebhookReceiver.start(); Monitor monitor = Monitor.start()) {
            receiver.answer(500);
            Api globex = Api.globex(base);
            String acmeHook = register(acme, receiver.url("/acme"));
            String globexHook = register(globex, receiver.url("/globex"));
            String acmeUpload = liveAndDie(acme);
            String globexUpload = liveAndDie(globex);
            List<WebhookReceiver.Call> calls = receiver.await(now -> delivered(now, acmeUpload) == 3 && delivered(now, globexUpload) == 3, WAIT);
            assertEquals(Set.of("/acme", "/globex"), calls.stream().map(WebhookReceiver.Call::path).collect(Collectors.toSet()),
                    "both businesses' endpoints are called");

            assertEquals(202, post(acme, "/api/v1/webhooks/" + acmeHook + "/ping").statusCode());
            String replayed = calls.stream().filter(call -> call.path().equals("/globex") && call.answered() == 200).findFirst().orElseThrow().id();
            assertEquals(202, post(globex, "/api/v1/webhooks/" + globexHook + "/deliveries/" + replayed + "/retry").statusCode());
            receiver.await(now -> now.stream().anyMatch(call -> "ping".equals(call.type()))
                    && now.stream().filter(call -> call.id().equals(replayed)).count() >= 2, WAIT);
            assertEquals(200, Api.send(acme.request("/api/v1/webhooks/" + acmeHook + "/deliveries")).statusCode());
            scripts = monitor.scripts();
        }

        List<Script> webhookScripts = scripts.stream().filter(script -> script.keys().stream().anyMatch(WebhookSlotsIT::isWebhookKey)).toList();
        for (String business : List.of("acme", "globex")) {
            assertTrue(webhookScripts.stream().anyMatch(script -> script.keys().contains("webhooks:events:{" + business + "}")),
                    "the status scripts of " + business + " were watched");
            assertTrue(webhookScripts.stream().anyMatch(script -> script.keys().equals(List.of("webhooks:due:{" + business + "}"))),
                    "the deliveries of " + business + " were taken");
        }
        for (Script script : webhookScripts) {
            List<String> webhookKeys = script.keys().stream().filter(WebhookSlotsIT::isWebhookKey).toList();
            int slot = JedisClusterCRC16.getSlot(webhookKeys.get(0));
            boolean onlyWebhooks = webhookKeys.size() == script.keys().size();
            for (String key : webhookKeys) {
                assertFalse(SHARED.contains(key), "no script names a key of every business: " + script);
                assertTrue(key.contains("{acme}") || key.contains("{globex}"), "every webhook key carries its business's tag: " + script);
                assertEquals(slot, JedisClusterCRC16.getSlot(key), "a script's webhook keys share one slot: " + script);
            }
            for (String touched : script.touched()) {
                if (onlyWebhooks || isWebhookKey(touched)) {
                    assertEquals(slot, JedisClusterCRC16.getSlot(touched), "a script touches keys of its own slot only: " + touched + " in " + script);
                }
            }
        }
    }

    private static boolean isWebhookKey(String key) {
        return key.startsWith("webhook:") || key.startsWith("webhooks:") || key.startsWith("delivery:");
    }

    /** Created, completed and deleted; its id. */
    private static String liveAndDie(Api caller) {
        String upload = caller.create(10, null, null);
        assertEquals(204, caller.patch(upload, 0, new byte[10]).statusCode());
        assertEquals(204, Api.send(caller.request(upload).DELETE()).statusCode());
        return Api.idOf(upload);
    }

    private static long delivered(List<WebhookReceiver.Call> calls, String upload) {
        return calls.stream().filter(call -> call.answered() == 200 && call.data() != null && upload.equals(call.data().get("token"))).count();
    }

    private static String register(Api caller, String url) {
        HttpResponse<String> created = Api.send(caller.request("/api/v1/webhooks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + url
                        + "\", \"events\": [\"upload.created\", \"upload.completed\", \"upload.deleted\"]}")));
        assertEquals(201, created.statusCode(), created.body());
        return (String) Api.json(created.body()).get("id");
    }

    private static HttpResponse<String> post(Api caller, String path) {
        return Api.send(caller.request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** A script call as MONITOR showed it: the keys it named, and the first key of each command it ran. */
    record Script(String command, List<String> keys, List<String> touched) {
    }

    /** MONITOR on the tests' Redis, on a thread of its own, until closed. */
    static final class Monitor implements AutoCloseable {

        private final Jedis jedis;
        private final List<List<String>> lines = new ArrayList<>();
        private final CountDownLatch watching = new CountDownLatch(1);

        private Monitor(Jedis jedis) {
            this.jedis = jedis;
        }

        static Monitor start() throws InterruptedException {
            RedisUrl url = RedisUrl.parse(TestEnvironment.redisUrl()).orElseThrow();
            Monitor monitor = new Monitor(new Jedis(url.nodes().get(0), DefaultJedisClientConfig.builder().user(url.user())
                    .password(url.password()).ssl(url.tls()).build()));
            Thread thread = new Thread(monitor::run, "redis-monitor");
            thread.setDaemon(true);
            thread.start();
            assertTrue(monitor.watching.await(10, TimeUnit.SECONDS), "MONITOR started");
            return monitor;
        }

        private void run() {
            try {
                jedis.monitor(new JedisMonitor() {
                    @Override
                    public void proceed(Connection connection) {
                        watching.countDown();
                        super.proceed(connection);
                    }

                    @Override
                    public void onCommand(String line) {
                        synchronized (lines) {
                            lines.add(parse(line));
                        }
                    }
                });
            } catch (JedisException closed) {
                // close() ends the watch
            }
        }

        /**
         * Each EVAL or EVALSHA with its keys and what its commands touched: MONITOR shows a script's call
         * and then the commands it runs, marked {@code lua}, before anything else (a script runs alone).
         */
        List<Script> scripts() {
            List<Script> scripts = new ArrayList<>();
            synchronized (lines) {
                Script current = null;
                for (List<String> line : lines) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    boolean lua = line.get(0).equals("lua");
                    List<String> args = line.subList(1, line.size());
                    if (lua && current != null && args.size() > 1 && !args.get(0).equalsIgnoreCase("PUBLISH")) {
                        current.touched().add(args.get(0).equalsIgnoreCase("XINFO") ? args.get(2) : args.get(1));
                    } else if (!lua) {
                        current = null;
                        String name = args.get(0).toUpperCase();
                        if (name.equals("EVAL") || name.equals("EVALSHA")) {
                            int count = Integer.parseInt(args.get(2));
                            current = new Script(String.join(" ", args.subList(3, Math.min(args.size(), 3 + count + 3))),
                                    List.copyOf(args.subList(3, 3 + count)), new ArrayList<>());
                            scripts.add(current);
                        }
                    }
                }
            }
            return scripts;
        }

        /** {@code 1700000000.123 [0 127.0.0.1:5000] "EVAL" "…" "1" "key"}: the client ("lua" inside a script), then the arguments. */
        static List<String> parse(String line) {
            List<String> parsed = new ArrayList<>();
            int open = line.indexOf('[');
            int close = line.indexOf(']', open);
            if (open < 0 || close < 0) {
                return parsed;
            }
            String client = line.substring(open + 1, close);
            parsed.add(client.substring(client.indexOf(' ') + 1));
            StringBuilder arg = null;
            for (int i = close + 1; i < line.length(); i++) {
                char c = line.charAt(i);
                if (arg == null) {
                    if (c == '"') {
                        arg = new StringBuilder();
                    }
                } else if (c == '\\' && i + 1 < line.length()) {
                    char next = line.charAt(++i);
                    if (next == 'x' && i + 2 < line.length()) {
                        arg.append((char) Integer.parseInt(line.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else {
                        arg.append(switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            default -> next;
                        });
                    }
                } else if (c == '"') {
                    parsed.add(arg.toString());
                    arg = null;
                } else {
                    arg.append(c);
                }
            }
            return parsed;
        }

        @Override
        public void close() {
            jedis.disconnect();
        }
    }
}
