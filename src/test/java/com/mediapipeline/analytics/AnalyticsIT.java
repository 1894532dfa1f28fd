package com.mediapipeline.analytics;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.Requirements;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestRedis;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Analytics numbers equal what the test did": two instances on one Redis and one small tmpfs, a business
 * of this test's own, uploads created on one instance and finished on the other, some deleted, some failed
 * (the disk full), some left to expire; then the report must say exactly that, for the business and for
 * each user, and nothing of it to another business.
 */
class AnalyticsIT {

    private static final int DISK_MIB = 32;
    private static final int EXPIRY_SECONDS = 5;
    private static final String BUSINESS = "stats" + System.nanoTime();
    private static final String KEY = "analytics-test-key-" + System.nanoTime();
    /** A business with a key for these instances only, which uploads nothing. */
    private static final String QUIET_KEY = "analytics-quiet-key-" + System.nanoTime();
    private static final List<String> USERS = List.of("alice", "bob");

    private static Path disk;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static Instant began;
    /** What the test did, per user: counters by name, and the completed uploads' durations (ms) and sizes. */
    private static final Map<String, Map<String, Long>> did = new LinkedHashMap<>();
    private static final List<long[]> completions = new ArrayList<>();

    @BeforeAll
    static void uploadOnTwoInstances() throws Exception {
        TestEnvironment.start();
        disk = Files.createDirectories(TestEnvironment.workDir().resolve("analytics-disk-" + System.nanoTime()));
        Requirements.require(run("mount", "-t", "tmpfs", "-o", "size=" + DISK_MIB + "m", "tmpfs", disk.toString()) == 0,
                "mounting a tmpfs (root)");
        String[] options = {"-Dmediapipeline.redis.url=" + TestEnvironment.redisUrl(),
                "-Dmediapipeline.api-keys=acme:" + TestEnvironment.ACME_KEY + "," + BUSINESS + ":" + KEY + ",quiet" + System.nanoTime() + ":" + QUIET_KEY,
                "-Dmediapipeline.cleanup.interval=PT1S", "-Dmediapipeline.retention.incomplete=PT" + EXPIRY_SECONDS + "S",
                "-Dmediapipeline.health.min-free-bytes=1", "-Dmediapipeline.progress.interval-ms=" + TestEnvironment.PROGRESS_INTERVAL_MS};
        a = new ServiceProcess(disk, ServiceProcess.reservedPort(1), options);
        b = new ServiceProcess(disk, ServiceProcess.reservedPort(2), options);
        ServiceProcess.startAll(a, b);
        began = Instant.now();
        USERS.forEach(user -> did.put(user, new LinkedHashMap<>()));

        for (int i = 0; i < 6; i++) {
            String user = USERS.get(i % 2);
            int size = (i + 1) * 512 * 1024 + i;
            String upload = on(a, user).create(size, "clip" + i + ".bin", null);
            byte[] content = SlowBody.pattern(size);
            assertEquals(204, on(a, user).patch(upload, 0, Arrays.copyOf(content, size / 2)).statusCode());
            Thread.sleep(80L * i * i);
            assertEquals(204, on(b, user).patch(on(b, user).uploadsUrl() + Api.idOf(upload), size / 2,
                    Arrays.copyOfRange(content, size / 2, size)).statusCode());
            count(user, "created", 1);
            count(user, "completed", 1);
            count(user, "bytes_received", size);
            count(user, "bytes_stored", size);
            Map<String, Object> status = on(b, user).statusJson(Api.idOf(upload));
            long millis = Duration.between(Instant.parse((String) status.get("created_at")), Instant.parse((String) status.get("completed_at"))).toMillis();
            completions.add(new long[] {millis, size});
        }
        String deleted = on(b, "alice").create(1_000_000, null, null);
        assertEquals(204, on(b, "alice").patch(deleted, 0, new byte[300_000]).statusCode());
        awaitRecorded(deleted, 300_000);
        assertEquals(204, Api.send(on(a, "alice").request("/api/v1/storage/" + Api.idOf(deleted)).DELETE()).statusCode());
        count("alice", "created", 1);
        count("alice", "deleted", 1);
        count("alice", "bytes_received", 300_000);

        String abandoned = on(a, "bob").create(1_000_000, null, null);
        assertEquals(204, on(a, "bob").patch(abandoned, 0, new byte[200_000]).statusCode());
        awaitRecorded(abandoned, 200_000);
        count("bob", "created", 1);
        count("bob", "expired", 1);
        count("bob", "bytes_received", 200_000);

        failTwoUploadsOnAFullDisk();
        Await.until(Duration.ofSeconds(60), "the abandoned and the failed uploads to expire",
                () -> total(report("P1D", null), "expired") == 3);
    }

    /** Uploads created while there is room, whose bytes then find the disk full: each fails, and later expires. */
    private static void failTwoUploadsOnAFullDisk() throws IOException {
        List<String> uploads = List.of(on(b, "bob").create(4_000_000, null, null), on(a, "bob").create(4_000_000, null, null));
        Path filler = disk.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] mib = new byte[1 << 20];
            while (true) {
                out.write(mib);
            }
        } catch (IOException full) {
            // the disk is full: leave a little room, since a disk without any fails a PATCH before its bytes (at the fence)
        }
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 2 * (1 << 20));
        }
        for (String upload : uploads) {
            assertError(on(a, "bob").patch(on(a, "bob").uploadsUrl() + Api.idOf(upload), 0, new byte[4_000_000]), 500, "storage_failed");
            Map<String, Object> status = on(a, "bob").statusJson(Api.idOf(upload));
            assertEquals("failed", status.get("status"));
            count("bob", "created", 1);
            count("bob", "failed", 1);
            count("bob", "expired", 1);
            long kept = Long.parseLong(on(a, "bob").head(upload).headers().firstValue("Upload-Offset").orElseThrow());
            assertEquals(kept, ((Number) status.get("offset")).longValue(), "the failed status says what was kept");
            // bytes count as the highest offset the status showed: progress written while the bytes streamed in,
            // before the disk refused some of them, which the cut back to what was kept does not take back
            long shown = Long.parseLong(TestRedis.uploadHash(BUSINESS, Api.idOf(upload)).getOrDefault("tallied", "0"));
            assertTrue(shown >= kept && shown <= 4_000_000, "counted " + shown + " of the 4,000,000 sent, " + kept + " kept");
            count("bob", "bytes_received", shown);
        }
        Files.delete(filler);
    }

    /** Bytes count once the status records them, at most a progress interval after they arrived. */
    private static void awaitRecorded(String upload, long offset) {
        Await.until(Duration.ofSeconds(5), "the status of " + Api.idOf(upload) + " to record " + offset + " bytes",
                () -> ((Number) on(a, "alice").statusJson(Api.idOf(upload)).get("offset")).longValue() == offset);
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(a, b);
        if (disk != null) {
            run("umount", disk.toString());
        }
    }

    /** Every counter of the range equals what the test did, added over both instances' writes. */
    @Test
    void countsEqualWhatTheClientsDid() {
        for (String interval : List.of("PT1H", "P1D")) {
            Map<String, Object> report = report(interval, null);
            for (String counter : List.of("created", "completed", "failed", "expired", "deleted", "bytes_received", "bytes_stored")) {
                assertEquals(sum(counter, USERS), total(report, counter), counter + " per " + interval);
            }
            assertEquals(List.of("bob=" + sum("bytes_received", List.of("bob")), "alice=" + sum("bytes_received", List.of("alice"))),
                    topUsers(report), "top users per " + interval);
        }
        Map<String, Object> busiest = busiestRow(report("PT1H", null));
        assertEquals(2, ((Number) busiest.get("users")).longValue(), "alice and bob were both active in the busiest hour");
    }

    /** Rows are the intervals of the range, aligned in UTC, the last one the current one; quiet ones are zeros. */
    @Test
    void rowsAreAlignedIntervalsUpToTheCurrentOne() {
        Instant from = began.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        Map<String, Object> report = Api.json(analytics(Api.as(a.url(), KEY, "alice"), from.plusSeconds(1800), from.plus(Duration.ofDays(2)), "PT1H", null).body());
        List<Map<String, Object>> rows = rows(report);
        assertEquals(from.toString(), report.get("from"));
        assertEquals(from.toString(), rows.get(0).get("start"));
        assertEquals(from.plus(Duration.ofHours(1)).toString(), rows.get(0).get("end"));
        Instant current = Instant.now().truncatedTo(ChronoUnit.HOURS);
        assertEquals(current.plus(Duration.ofHours(1)).toString(), rows.get(rows.size() - 1).get("end"));
        for (String counter : List.of("created", "bytes_received", "duration_p50_ms", "throughput_p50_bps", "users")) {
            assertEquals(0, ((Number) rows.get(0).get(counter)).longValue(), "a quiet hour's " + counter);
        }
    }

    /** The percentiles of the completed uploads' durations and throughputs, within the histogram's error. */
    @Test
    void percentilesAreWithinTheHistogramsError() {
        Map<String, Object> row = busiestRow(report("P1D", null));
        // the assertions hold for a row with every completion in it: none when the test straddled midnight UTC
        org.junit.jupiter.api.Assumptions.assumeTrue(((Number) row.get("completed")).longValue() == completions.size());
        List<Long> durations = completions.stream().map(done -> done[0]).sorted().toList();
        List<Long> throughputs = completions.stream().map(done -> done[1] * 8_000 / Math.max(1, done[0])).sorted().toList();
        assertWithinError(nearestRank(durations, 0.5), row.get("duration_p50_ms"));
        assertWithinError(nearestRank(durations, 0.95), row.get("duration_p95_ms"));
        assertWithinError(nearestRank(throughputs, 0.5), row.get("throughput_p50_bps"));
    }

    /** With username=, the rows and the top users are that user's alone. */
    @Test
    void aUsernameFiltersToThatUser() {
        for (String user : USERS) {
            Map<String, Object> report = report("PT1H", user);
            for (String counter : List.of("created", "completed", "failed", "expired", "deleted", "bytes_received", "bytes_stored")) {
                assertEquals(sum(counter, List.of(user)), total(report, counter), user + "'s " + counter);
            }
            assertEquals(1, ((Number) busiestRow(report).get("users")).longValue());
            assertEquals(List.of(user + "=" + sum("bytes_received", List.of(user))), topUsers(report));
        }
        Map<String, Object> nobody = report("PT1H", "nobody");
        assertEquals(0, total(nobody, "created") + total(nobody, "users"));
        assertEquals(List.of(), nobody.get("top_users"));
    }

    /** Another business asking for the same range, even for the same usernames, sees none of it. */
    @Test
    void anotherBusinessSeesNothing() {
        for (String username : Arrays.asList(null, "alice")) {
            HttpResponse<String> response = analytics(Api.as(b.url(), QUIET_KEY, "alice"), began.truncatedTo(ChronoUnit.DAYS),
                    Instant.now().plusSeconds(3600), "PT1H", username);
            assertEquals(200, response.statusCode(), response.body());
            Map<String, Object> report = Api.json(response.body());
            for (String counter : List.of("created", "completed", "failed", "expired", "deleted", "bytes_received", "bytes_stored", "users")) {
                assertEquals(0, total(report, counter), counter);
            }
            assertEquals(List.of(), report.get("top_users"));
        }
    }

    /** Bad parameters: 400 invalid_query, saying which. */
    @Test
    void badParametersAre400() {
        Api api = Api.as(b.url(), KEY, "alice");
        String day = Instant.now().truncatedTo(ChronoUnit.DAYS).toString();
        for (String query : List.of("", "from=" + day, "from=" + day + "&to=2099-01-01T00:00:00Z&interval=PT30M",
                "from=" + day + "&to=2099-01-01T00:00:00Z&interval=P7D", "from=yesterday&to=2099-01-01T00:00:00Z&interval=PT1H",
                "from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z&interval=P1D", "from=" + day + "&to=" + day + "&interval=PT1H",
                "from=" + day + "&to=2099-01-01T00:00:00Z&interval=P1D&username=a%3Ab")) {
            assertError(Api.send(api.request("/api/v1/analytics?" + query).GET()), 400, "invalid_query");
        }
        assertError(Api.send(Api.anonymous(b.url()).request("/api/v1/analytics?from=" + day).GET()), 401, "unauthorized");
    }

    private static Api on(ServiceProcess service, String user) {
        return Api.as(service.url(), KEY, user);
    }

    private static void count(String user, String counter, long n) {
        did.get(user).merge(counter, n, Long::sum);
    }

    private static long sum(String counter, List<String> users) {
        return users.stream().mapToLong(user -> did.get(user).getOrDefault(counter, 0L)).sum();
    }

    private static Map<String, Object> report(String interval, String username) {
        HttpResponse<String> response = analytics(on(a, "alice"), began.truncatedTo(ChronoUnit.DAYS), Instant.now().plus(Duration.ofDays(1)), interval, username);
        assertEquals(200, response.statusCode(), response.body());
        return Api.json(response.body());
    }

    private static HttpResponse<String> analytics(Api api, Instant from, Instant to, String interval, String username) {
        return Api.send(api.request("/api/v1/analytics?from=" + from + "&to=" + to + "&interval=" + interval
                + (username == null ? "" : "&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8))).GET());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("rows");
    }

    private static long total(Map<String, Object> report, String counter) {
        return rows(report).stream().mapToLong(row -> ((Number) row.get(counter)).longValue()).sum();
    }

    private static Map<String, Object> busiestRow(Map<String, Object> report) {
        return rows(report).stream().max(Comparator.comparingLong(row -> ((Number) row.get("created")).longValue())).orElseThrow();
    }

    /** "username=bytes", in the report's order. */
    @SuppressWarnings("unchecked")
    private static List<String> topUsers(Map<String, Object> report) {
        return ((List<Map<String, Object>>) report.get("top_users")).stream()
                .map(user -> user.get("username") + "=" + ((Number) user.get("bytes")).longValue()).toList();
    }

    private static long nearestRank(List<Long> sorted, double p) {
        return sorted.get((int) Math.ceil(p * sorted.size()) - 1);
    }

    /** Within the histogram's error, and a millisecond of the two clocks' readings of one completion either way. */
    private static void assertWithinError(long expected, Object actual) {
        double value = ((Number) actual).doubleValue();
        assertTrue(Math.abs(value - expected) <= expected * (Histogram.RELATIVE_ERROR + 0.005) + 1, value + " is within "
                + Histogram.RELATIVE_ERROR + " of " + expected);
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
