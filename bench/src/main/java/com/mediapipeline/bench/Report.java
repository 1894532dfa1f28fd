package com.mediapipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * RESULTS.md: one table row per figure, in the order the figures were taken, then the chart and
 * TUNING.md. The rows' wording is fixed, so that the results of runs far apart can be compared line by line.
 */
class Report {

    private final Settings settings;
    private final List<String> rows = new ArrayList<>();
    private final ThroughputChart chart = new ThroughputChart();

    Report(Settings settings) {
        this.settings = settings;
    }

    void baseline(String what, double mbps, String ratios) {
        rows.add(String.format("| baseline: %s | | %.0f MB/s | | %s |", what, mbps, ratios));
    }

    void throughput(String scenario, Rounds rounds) {
        throughput(scenario, rounds, "");
    }

    void throughput(String scenario, Rounds rounds, Targets target) {
        throughput(scenario, rounds, " " + verdict(target, rounds.ratio(Rounds.OURS, Rounds.BASELINE)));
    }

    private void throughput(String scenario, Rounds rounds, String targetVerdict) {
        double ours = rounds.median(Rounds.OURS);
        double baseline = rounds.median(Rounds.BASELINE);
        double peer = rounds.median(Rounds.PEER);
        String vsPeer = Double.isNaN(peer) ? "n/a (@tus/server has no Range support)"
                : String.format("%.2f ×", rounds.ratio(Rounds.OURS, Rounds.PEER));
        rows.add(String.format("| %s | %.0f MB/s | %.0f MB/s | %s | %.2f × baseline%s, %s peer |", scenario, ours, baseline,
                Double.isNaN(peer) ? "n/a" : String.format("%.0f MB/s", peer), rounds.ratio(Rounds.OURS, Rounds.BASELINE),
                targetVerdict, vsPeer));
        chart.add(scenario, ours, baseline, peer);
    }

    void memory(long idle, long median, long max, long rss) {
        double deltaMib = (median - idle) / (double) Sizes.MIB;
        rows.add(String.format("| heap during 32 concurrent uploads | median %d MiB, max %d MiB | idle %d MiB | | "
                        + "median %+.0f MiB over idle %s; RSS max %d MiB |", median / Sizes.MIB, max / Sizes.MIB,
                idle / Sizes.MIB, deltaMib, verdict(Targets.HEAP_ABOVE_IDLE_MIB, deltaMib), rss / Sizes.MIB));
    }

    void creations(Latencies ours, Latencies peer) {
        rows.add(String.format("| 2,000 creations, 16 clients | %.0f req/s, p99 %.1f ms | | %.0f req/s, p99 %.1f ms | "
                        + "%.2f × peer's rate |", ours.perSecond(), ours.percentileMillis(99), peer.perSecond(),
                peer.percentileMillis(99), ours.perSecond() / peer.perSecond()));
    }

    void freshness(Latencies fanIn, Latencies fanOut, double writesPerUploadSecond) {
        int intervalMs = settings.intervalMs();
        rows.add(freshnessRow("progress delay, 100 uploads × 1 socket", fanIn, intervalMs));
        rows.add(freshnessRow("progress delay, 1 upload × 500 sockets", fanOut, intervalMs));
        Targets writes = Targets.REDIS_WRITES_PER_INTERVAL;
        rows.add(String.format("| Redis progress writes per upload per second | %.2f | | | at most %.1f allowed (%s per %d ms): %s |",
                writesPerUploadSecond, writes.limit() * 1000.0 / intervalMs, writes.limitText(), intervalMs,
                writes.verdict(writesPerUploadSecond * intervalMs / 1000.0)));
    }

    /**
     * One feed socket against 200 one-upload sockets on the same workload: delays against the interval, and
     * the service's CPU seconds, also above those of the same uploads unwatched.
     */
    void feed(ServiceCpu.Spent feed, ServiceCpu.Spent sockets, ServiceCpu.Spent unwatched) {
        int intervalMs = settings.intervalMs();
        double feedP99 = feed.delays().percentileMillis(99);
        double socketsP99 = sockets.delays().percentileMillis(99);
        rows.add(String.format("| progress delay, 200 uploads × 1 feed socket | %s | 200 sockets (next row): CPU %.2f s | | "
                        + "p99 %.2f × interval %s; CPU %.2f × 200 sockets, %.2f × above unwatched uploads |",
                delaysAndCpu(feed), sockets.jvmSeconds(), feedP99 / intervalMs,
                verdict(Targets.PROGRESS_P99_INTERVALS, feedP99 / intervalMs), feed.jvmSeconds() / sockets.jvmSeconds(),
                (feed.jvmSeconds() - unwatched.jvmSeconds()) / (sockets.jvmSeconds() - unwatched.jvmSeconds())));
        rows.add(String.format("| progress delay, 200 uploads × 200 sockets (one each) | %s | unwatched: CPU %.2f s (Redis %.2f s); "
                        + "interval %d ms | | p99 %.2f × interval %s |", delaysAndCpu(sockets), unwatched.jvmSeconds(),
                unwatched.redisSeconds(), intervalMs, socketsP99 / intervalMs, verdict(Targets.PROGRESS_P99_INTERVALS, socketsP99 / intervalMs)));
    }

    private static String delaysAndCpu(ServiceCpu.Spent spent) {
        Latencies delays = spent.delays();
        return String.format("p50 %.0f ms, p99 %.0f ms (%d messages); service CPU %.2f s (Redis %.2f s)", delays.percentileMillis(50),
                delays.percentileMillis(99), delays.nanos().size(), spent.jvmSeconds(), spent.redisSeconds());
    }

    /** Webhook events' delays from the status change to the receiver, and whether each arrived once. */
    void webhookDelays(String what, Deliveries deliveries) {
        Latencies delays = deliveries.delays();
        rows.add(String.format("| %s | p50 %.1f ms, p99 %.1f ms (%s) | | | from the status change (the event's `timestamp`) "
                + "to the receiver |", what, delays.percentileMillis(50), delays.percentileMillis(99), deliveries.counts()));
    }

    /** Uploads/s with a webhook ({@link Rounds#OURS}) against the same without one ({@link Rounds#BASELINE}). */
    void webhookCost(String what, Rounds rounds, Deliveries deliveries) {
        double ratio = rounds.ratio(Rounds.OURS, Rounds.BASELINE);
        Latencies delays = deliveries.delays();
        rows.add(String.format("| %s | %.0f uploads/s (%s; delay p50 %.0f ms, p99 %.0f ms) | no webhook: %.0f uploads/s | | "
                        + "%.2f × no webhook %s |", what, rounds.median(Rounds.OURS), deliveries.counts(), delays.percentileMillis(50),
                delays.percentileMillis(99), rounds.median(Rounds.BASELINE), ratio, verdict(Targets.WEBHOOK_COST, ratio)));
    }

    void analyticsCost(String what, Rounds rounds) {
        double ratio = rounds.ratio(Rounds.OURS, Rounds.BASELINE);
        rows.add(String.format("| %s | %.0f PATCH/s | analytics off: %.0f PATCH/s | | %.2f × analytics off %s |", what,
                rounds.median(Rounds.OURS), rounds.median(Rounds.BASELINE), ratio, verdict(Targets.ANALYTICS_COST, ratio)));
    }

    void sweep(String build, int stored, int due, SweepProbe.Sweep withDue, SweepProbe.Sweep noneDue) {
        rows.add(String.format("| cleanup sweep (%s), %,d uploads stored, %,d due | %,d ms, %,d Redis commands (%,d removed) "
                        + "| the next sweep, none due: %,d ms, %,d commands | | %.1f commands per stored upload, %.0f per due one |",
                build, stored, due, withDue.millis(), withDue.commands(), withDue.removed(), noneDue.millis(), noneDue.commands(),
                withDue.commands() / (double) stored, withDue.commands() / (double) due));
    }

    private static String freshnessRow(String what, Latencies delays, int intervalMs) {
        double p99 = delays.percentileMillis(99);
        return String.format("| %s | p50 %.0f ms, p99 %.0f ms (%d messages) | interval %d ms | | p99 %.2f × interval %s |",
                what, delays.percentileMillis(50), p99, delays.nanos().size(), intervalMs, p99 / intervalMs,
                verdict(Targets.PROGRESS_P99_INTERVALS, p99 / intervalMs));
    }

    private static String verdict(Targets target, double value) {
        return "(target " + target.describe() + ": " + target.verdict(value) + ")";
    }

    /** Writes RESULTS.md and the chart beside it. */
    void write() throws IOException {
        Path out = settings.out();
        List<String> lines = new ArrayList<>();
        lines.add("# Benchmark results");
        lines.add("");
        String only = settings.only().isEmpty() ? "" : "ONLY=" + String.join(",", settings.only().stream().sorted().toList()) + " ";
        lines.add("Produced by `" + only + "bench/run` on " + LocalDate.now() + ": " + Runtime.getRuntime().availableProcessors()
                + " cores, " + memoryGib() + " GiB memory. Every figure is the median of " + settings.runs()
                + " runs (except latency distributions, which pool all samples); the machine is shared and noisy, "
                + "so only the ratios between figures taken in this same run mean anything. A throughput ratio is "
                + "the median of the ratios within each round (baseline, ours and peer measured seconds apart), "
                + "so it can differ from the ratio of the medians shown.");
        lines.add("Peer: `@tus/server` with `@tus/file-store` on Node.js " + settings.node()
                + ", same client, sizes and disk. MB = 10⁶ bytes.");
        lines.add("");
        lines.add("| scenario | Media Pipeline | baseline | peer | ratios |");
        lines.add("|---|---|---|---|---|");
        lines.addAll(rows);
        lines.add("");
        lines.add("![throughput](" + settings.chart().getFileName() + ")");
        Path tuning = out.resolveSibling("TUNING.md");
        if (Files.exists(tuning)) {
            lines.add("");
            lines.addAll(Files.readAllLines(tuning));
        }
        Files.write(out, lines);
        chart.draw(settings.chart(), settings.runs());
    }

    /** The machine's memory, rounded to GiB; -1 where /proc/meminfo cannot tell. */
    private static long memoryGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
