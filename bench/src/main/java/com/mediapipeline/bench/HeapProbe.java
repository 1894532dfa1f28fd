package com.mediapipeline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap (from the service's /metrics) and resident memory (from /proc) of the service, sampled while it works. */
class HeapProbe {

    private static final Pattern USED_HEAP = Pattern.compile("(?m)^memory_usedHeap_bytes\\{[^}]*} ([\\d.E+]+)");

    private final HttpClient http;
    private final String base;
    private final long pid;
    private final List<Long> heaps = Collections.synchronizedList(new ArrayList<>());
    private volatile long maxRss;
    private volatile boolean running;
    private volatile Exception failure;
    private Thread thread;

    HeapProbe(HttpClient http, String base, long pid) {
        this.http = http;
        this.base = base;
        this.pid = pid;
    }

    /** The service's used heap now, in bytes; -1 if /metrics does not name it. */
    long heapNow() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/metrics answered " + response.statusCode() + " " + response.body());
        }
        Matcher m = USED_HEAP.matcher(response.body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    /** Samples every 250 ms until {@link #stop()}. */
    void start() {
        running = true;
        thread = new Thread(() -> {
            try {
                while (running) {
                    heaps.add(heapNow());
                    maxRss = Math.max(maxRss, rssNow());
                    Thread.sleep(250);
                }
            } catch (Exception e) {
                failure = e;
            }
        }, "heap-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sampling; a sample that failed fails the run here, rather than leaving the figures short. */
    void stop() throws Exception {
        running = false;
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("sampling the service's memory failed", failure);
        }
    }

    long medianHeap() {
        List<Long> sampled = new ArrayList<>(heaps);
        return sampled.isEmpty() ? -1 : (long) Rates.median(sampled.stream().map(Long::doubleValue).toList());
    }

    long maxHeap() {
        return heaps.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    long maxRss() {
        return maxRss;
    }

    private long rssNow() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }
}
