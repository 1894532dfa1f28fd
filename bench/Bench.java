import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The benchmark driver: one neutral HTTP client (java.net.http) for Media Pipeline and for the
 * peer (@tus/server), the physical baselines (dd, a loopback sink), every scenario several times,
 * medians, and bench/RESULTS.md with a PNG chart. Started by bench/run, which starts the servers.
 */
public class Bench {

    static final long MIB = 1024 * 1024;
    static final long GIB = 1024 * MIB;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newCachedThreadPool()).build();

    static Map<String, String> args = new LinkedHashMap<>();
    static int runs;

    public static void main(String[] argv) throws Exception {
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        runs = Integer.parseInt(args.getOrDefault("runs", "3"));
        Target ours = new Target("Media Pipeline", args.get("ours") + "/api/v1/uploads/",
                Map.of("X-API-KEY", args.get("key"), "X-Username", "bench"));
        Target peer = new Target("@tus/server", args.get("peer") + "/files/", Map.of());
        Path work = Path.of(args.get("work"));
        Report report = new Report();

        // each baseline is measured right before the figures it is compared with, run after run:
        // the disk's speed drifts over minutes on a shared machine
        Path ddFile = work.resolve("dd.bin");
        // one unmeasured upload each first: the first PATCH of a fresh JVM runs interpreted code
        chunkedPatches(ours, GIB, GIB);
        chunkedPatches(peer, GIB, GIB);
        Rounds single = interleaved(() -> ddWrite(ddFile, GIB), () -> chunkedPatches(ours, GIB, GIB), () -> chunkedPatches(peer, GIB, GIB));
        report.throughput("1 GiB upload, one PATCH", single, 0.9);
        // every acknowledged PATCH is durable: the disk's rate when each 8 MiB must reach it is measured too
        Rounds chunked = interleaved(() -> ddWrite(ddFile, GIB), () -> chunkedPatches(ours, GIB, 8 * MIB),
                () -> chunkedPatches(peer, GIB, 8 * MIB),
                () -> dd("if=/dev/zero", "of=" + ddFile, "bs=8M", "count=" + GIB / (8 * MIB), "oflag=dsync"));
        report.throughput("1 GiB upload, 8 MiB PATCHes", chunked, 0.8);
        int ddForcedEach8Mib = 3;
        report.baseline("dd, each 8 MiB forced to disk (`oflag=dsync`)", chunked.median(ddForcedEach8Mib),
                String.format("8 MiB PATCHes %.2f × this", chunked.ratio(Rounds.OURS, ddForcedEach8Mib)));
        double sink = median(() -> loopbackSink(GIB));
        report.baseline("loopback TCP to a discarding sink, 1 GiB", sink, "");

        HeapProbe probe = new HeapProbe(args.get("ours"), Long.parseLong(args.get("service-pid")));
        long idleHeap = probe.heapNow();
        probe.start();
        Rounds concurrent = interleaved(() -> ddWrite(ddFile, GIB), () -> concurrentUploads(ours, 32, 64 * MIB),
                () -> concurrentUploads(peer, 32, 64 * MIB));
        probe.stop();
        report.throughput("32 concurrent 64 MiB uploads (aggregate)", concurrent, 0);
        report.memory(idleHeap, probe.medianHeap(), probe.maxHeap(), probe.maxRss());

        // the servers and the client compile their creation paths first: a cold JIT is not what clients meet
        creations(ours, 500, 16);
        creations(peer, 500, 16);
        Latencies[] created = alternated(() -> creations(ours, 2000, 16), () -> creations(peer, 2000, 16));
        report.creations(created[0], created[1]);

        // the first WebSockets of the run: one unmeasured round of each shape (a cold server's first
        // round had a p50 of 1.8 s), then every run's delays pooled
        freshness(ours, 100, 1, 8 * MIB, 2 * MIB);
        freshness(ours, 1, 500, 32 * MIB, 8 * MIB);
        RedisStats redis = new RedisStats(Integer.parseInt(args.get("redis-port")));
        long publishesBefore = redis.calls("publish");
        long start = System.nanoTime();
        List<Latencies> fanIn = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            fanIn.add(freshness(ours, 100, 1, 8 * MIB, 2 * MIB));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double writesPerUploadSecond = (redis.calls("publish") - publishesBefore) / (100 * seconds);
        List<Latencies> fanOut = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            fanOut.add(freshness(ours, 1, 500, 32 * MIB, 8 * MIB));
        }
        report.freshness(pooled(fanIn), pooled(fanOut), writesPerUploadSecond,
                Integer.parseInt(args.getOrDefault("interval-ms", "250")));

        String big = ours.create(GIB);
        ours.patchAll(big, GIB, GIB);
        Rounds ranged = interleaved(() -> loopbackSink(GIB), () -> rangedDownload(ours, big, GIB, 16), () -> Double.NaN);
        report.throughput("1 GiB download, 16 ranges", ranged, 0);
        ours.delete(big);

        report.write(Path.of(args.get("out")), Path.of(args.get("chart")));
        System.out.println(Files.readString(Path.of(args.get("out"))));
    }

    // ---- scenarios -------------------------------------------------------------------------

    /** One upload of {@code size} bytes sent in PATCHes of {@code chunk} bytes: MB/s. */
    static double chunkedPatches(Target target, long size, long chunk) throws Exception {
        String upload = target.create(size);
        long start = System.nanoTime();
        target.patchAll(upload, size, chunk);
        double mbps = size / 1e6 / ((System.nanoTime() - start) / 1e9);
        target.delete(upload);
        return mbps;
    }

    static double concurrentUploads(Target target, int count, long size) throws Exception {
        List<String> uploads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            uploads.add(target.create(size));
        }
        ExecutorService pool = Executors.newFixedThreadPool(count);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (String upload : uploads) {
            done.add(pool.submit(() -> {
                target.patchAll(upload, size, size);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double mbps = count * size / 1e6 / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        for (String upload : uploads) {
            target.delete(upload);
        }
        return mbps;
    }

    static Latencies creations(Target target, int total, int clients) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();
        AtomicLong left = new AtomicLong(total);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    long t = System.nanoTime();
                    created.add(target.create(1024));
                    latencies.add(System.nanoTime() - t);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        for (String upload : created) {
            target.delete(upload);
        }
        return new Latencies(new ArrayList<>(latencies), total / seconds);
    }

    /**
     * {@code uploads} uploads, each paced at {@code rate} bytes/s and watched by {@code watchers}
     * sockets: for each progress message reporting N bytes, the delay since the client had sent N.
     */
    static Latencies freshness(Target target, int uploads, int watchers, long size, long rate) throws Exception {
        ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
        List<Paced> bodies = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        List<CompletableFuture<?>> patches = new ArrayList<>();
        CountDownLatch completes = new CountDownLatch(uploads * watchers);
        for (int u = 0; u < uploads; u++) {
            String upload = target.create(size);
            Paced body = new Paced(size, rate);
            bodies.add(body);
            String id = upload.substring(upload.lastIndexOf('/') + 1);
            for (int w = 0; w < watchers; w++) {
                sockets.add(target.watch(id, new Watcher(body, delays, completes)));
            }
            patches.add(target.patchAsync(upload, 0, size, body));
        }
        for (CompletableFuture<?> patch : patches) {
            patch.get();
        }
        completes.await(60, TimeUnit.SECONDS);
        for (WebSocket socket : sockets) {
            socket.abort();
        }
        return new Latencies(new ArrayList<>(delays), 0);
    }

    static double rangedDownload(Target target, String upload, long size, int parts) throws Exception {
        String id = upload.substring(upload.lastIndexOf('/') + 1);
        ExecutorService pool = Executors.newFixedThreadPool(parts);
        long part = size / parts;
        long start = System.nanoTime();
        List<Future<Long>> done = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            long first = p * part;
            long last = p == parts - 1 ? size - 1 : first + part - 1;
            done.add(pool.submit(() -> target.downloadRange(id, first, last)));
        }
        long received = 0;
        for (Future<Long> f : done) {
            received += f.get();
        }
        double mbps = received / 1e6 / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        if (received != size) {
            throw new IllegalStateException("received " + received + " of " + size + " bytes");
        }
        return mbps;
    }

    // ---- baselines -------------------------------------------------------------------------

    static double ddWrite(Path file, long size) throws Exception {
        return dd("if=/dev/zero", "of=" + file, "bs=8M", "count=" + size / (8 * MIB), "conv=fdatasync");
    }

    static double dd(String... operands) throws Exception {
        List<String> command = new ArrayList<>(List.of("dd"));
        command.addAll(List.of(operands));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher m = Pattern.compile("(\\d+) bytes .* copied, ([\\d.]+) s").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("dd said: " + output);
        }
        return Long.parseLong(m.group(1)) / 1e6 / Double.parseDouble(m.group(2));
    }

    static double loopbackSink(long size) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> {
                try (Socket in = server.accept(); InputStream stream = in.getInputStream()) {
                    byte[] buffer = new byte[(int) MIB];
                    long total = 0;
                    for (int n; (n = stream.read(buffer)) > 0; ) {
                        total += n;
                    }
                    return total;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            try (Socket out = new Socket("127.0.0.1", server.getLocalPort()); OutputStream stream = out.getOutputStream()) {
                byte[] block = PatternBody.bytes((int) MIB);
                for (long sent = 0; sent < size; sent += block.length) {
                    stream.write(block);
                }
            }
            drained.get();
            return size / 1e6 / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Each measure {@code runs} times, taking turns, so that a slow minute of the machine hits them all. */
    static Rounds interleaved(Measure... measures) throws Exception {
        List<List<Double>> values = new ArrayList<>();
        for (Measure ignored : measures) {
            values.add(new ArrayList<>());
        }
        for (int i = 0; i < runs; i++) {
            for (int m = 0; m < measures.length; m++) {
                values.get(m).add(measures[m].run());
            }
        }
        return new Rounds(values);
    }

    /**
     * The figures of interleaved measures, round by round. A ratio is the median of the ratios within
     * each round, whose figures were taken seconds apart: the disk's and the loopback's speed drift by
     * 2-3x over minutes on this shared machine, and a ratio of medians would mix those minutes.
     */
    record Rounds(List<List<Double>> values) {
        static final int BASELINE = 0;
        static final int OURS = 1;
        static final int PEER = 2;

        double median(int measure) {
            return medianOf(values.get(measure));
        }

        double ratio(int measure, int base) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < values.get(measure).size(); i++) {
                ratios.add(values.get(measure).get(i) / values.get(base).get(i));
            }
            return medianOf(ratios);
        }
    }

    static double medianOf(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Both, alternating, {@code runs} times: the median rate of each, with its latencies pooled. */
    static Latencies[] alternated(LatencyMeasure oursMeasure, LatencyMeasure peerMeasure) throws Exception {
        List<Latencies> oursRuns = new ArrayList<>();
        List<Latencies> peerRuns = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            oursRuns.add(oursMeasure.run());
            peerRuns.add(peerMeasure.run());
        }
        return new Latencies[] {pooled(oursRuns), pooled(peerRuns)};
    }

    static Latencies pooled(List<Latencies> all) {
        return new Latencies(all.stream().flatMap(run -> run.nanos().stream()).toList(),
                medianOf(all.stream().map(Latencies::perSecond).toList()));
    }

    static double median(Measure measure) throws Exception {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            values.add(measure.run());
        }
        return medianOf(values);
    }

    interface Measure {
        double run() throws Exception;
    }

    interface LatencyMeasure {
        Latencies run() throws Exception;
    }

    // ---- clients ---------------------------------------------------------------------------

    /** A TUS server under test: its creation URL and the headers it wants. */
    record Target(String name, String uploads, Map<String, String> headers) {

        HttpRequest.Builder request(String url) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Tus-Resumable", "1.0.0")
                    .timeout(Duration.ofMinutes(10));
            headers.forEach(request::header);
            return request;
        }

        String create(long size) throws Exception {
            HttpResponse<String> response = HTTP.send(request(uploads).POST(HttpRequest.BodyPublishers.noBody())
                    .header("Upload-Length", Long.toString(size)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException(name + " creation answered " + response.statusCode() + " " + response.body());
            }
            String location = response.headers().firstValue("Location").orElseThrow();
            return location.startsWith("http") ? location : URI.create(uploads).resolve(location).toString();
        }

        void patchAll(String upload, long size, long chunk) throws Exception {
            for (long offset = 0; offset < size; offset += chunk) {
                long length = Math.min(chunk, size - offset);
                HttpResponse<String> response = patchAsync(upload, offset, length, new PatternBody(length)).get();
                if (response.statusCode() != 204) {
                    throw new IllegalStateException(name + " PATCH answered " + response.statusCode() + " " + response.body());
                }
            }
        }

        CompletableFuture<HttpResponse<String>> patchAsync(String upload, long offset, long length, InputStream body) {
            HttpRequest request = request(upload).method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> body), length))
                    .header("Content-Type", "application/offset+octet-stream")
                    .header("Upload-Offset", Long.toString(offset)).build();
            return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        }

        void delete(String upload) throws Exception {
            HTTP.send(request(upload).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }

        WebSocket watch(String id, WebSocket.Listener listener) {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder();
            headers.forEach(builder::header);
            String ws = uploads.replaceFirst("^http", "ws").replace("/api/v1/uploads/", "/api/v1/ws/") + id;
            return builder.buildAsync(URI.create(ws), listener).join();
        }

        /** Counts the bytes as they arrive, without copying them: the client must not be the bottleneck. */
        long downloadRange(String id, long first, long last) throws Exception {
            String url = uploads.replace("/api/v1/uploads/", "/api/v1/storage/") + id;
            AtomicLong total = new AtomicLong();
            HttpResponse<Void> response = HTTP.send(request(url).GET().header("Range", "bytes=" + first + "-" + last).build(),
                    info -> HttpResponse.BodySubscribers.fromSubscriber(new Flow.Subscriber<List<ByteBuffer>>() {
                        @Override
                        public void onSubscribe(Flow.Subscription subscription) {
                            subscription.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(List<ByteBuffer> buffers) {
                            buffers.forEach(buffer -> total.addAndGet(buffer.remaining()));
                        }

                        @Override
                        public void onError(Throwable failure) {
                            total.set(-1);
                        }

                        @Override
                        public void onComplete() {
                            // the count is complete
                        }
                    }, subscriber -> null));
            if (response.statusCode() != 206) {
                throw new IllegalStateException(name + " range answered " + response.statusCode());
            }
            return total.get();
        }
    }

    /** Bytes of a fixed pattern, produced as fast as they are read. */
    static class PatternBody extends InputStream {
        private static final byte[] BLOCK = bytes((int) MIB);
        private long left;

        PatternBody(long length) {
            this.left = length;
        }

        static byte[] bytes(int length) {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) (i * 31 + (i >> 8));
            }
            return bytes;
        }

        @Override
        public int read() {
            return left-- > 0 ? 1 : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(length, left), BLOCK.length);
            System.arraycopy(BLOCK, 0, buffer, offset, n);
            left -= n;
            return n;
        }
    }

    /** A body paced at a byte rate that remembers when it had handed over each amount of bytes. */
    static class Paced extends PatternBody {
        private final long rate;
        private long start = -1;
        private long sent;
        final List<long[]> handedOver = Collections.synchronizedList(new ArrayList<>());

        Paced(long length, long rate) {
            super(length);
            this.rate = rate;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (start < 0) {
                // the pace starts with the first byte: a clock started at creation made a burst of
                // everything "due" while the other uploads and sockets were still being set up
                start = System.nanoTime();
            }
            long due = start + (long) (sent * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int n = super.read(buffer, offset, Math.min(length, 64 * 1024));
            if (n > 0) {
                sent += n;
                handedOver.add(new long[] {sent, System.nanoTime()});
            }
            return n;
        }

        /** When the client had handed over at least {@code bytes}. */
        long timeOf(long bytes) {
            synchronized (handedOver) {
                for (long[] point : handedOver) {
                    if (point[0] >= bytes) {
                        return point[1];
                    }
                }
            }
            return -1;
        }
    }

    /** Collects, for every progress message, its delay after the bytes it reports were sent. */
    static class Watcher implements WebSocket.Listener {
        private static final Pattern BYTES = Pattern.compile("\"bytes_sent\":(\\d+)");
        private static final Pattern TYPE = Pattern.compile("\"type\":\"(\\w+)\"");
        private final Paced body;
        private final ConcurrentLinkedQueue<Long> delays;
        private final CountDownLatch completes;
        private final StringBuilder text = new StringBuilder();

        Watcher(Paced body, ConcurrentLinkedQueue<Long> delays, CountDownLatch completes) {
            this.body = body;
            this.delays = delays;
            this.completes = completes;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            text.append(data);
            if (last) {
                Matcher bytes = BYTES.matcher(text);
                Matcher type = TYPE.matcher(text);
                if (bytes.find() && type.find()) {
                    long sentAt = body.timeOf(Long.parseLong(bytes.group(1)));
                    if (type.group(1).equals("progress") && sentAt > 0) {
                        delays.add(now - sentAt);
                    }
                    if (type.group(1).equals("complete")) {
                        completes.countDown();
                    }
                }
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    record Latencies(List<Long> nanos, double perSecond) {
        double percentileMillis(double p) {
            if (nanos.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1)) / 1e6;
        }
    }

    /** Heap (from /metrics) and resident memory (from /proc) of the service, sampled while it works. */
    static class HeapProbe {
        private final String base;
        private final long pid;
        private final List<Long> heaps = Collections.synchronizedList(new ArrayList<>());
        private volatile long maxRss;
        private volatile boolean running;
        private Thread thread;

        HeapProbe(String base, long pid) {
            this.base = base;
            this.pid = pid;
        }

        long heapNow() throws Exception {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^memory_usedHeap_bytes\\{[^}]*} ([\\d.E+]+)").matcher(metrics);
            return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        }

        long rssNow() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            return -1;
        }

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    try {
                        heaps.add(heapNow());
                        maxRss = Math.max(maxRss, rssNow());
                        Thread.sleep(250);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long medianHeap() {
            List<Long> sorted = new ArrayList<>(heaps);
            Collections.sort(sorted);
            return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        }

        long maxHeap() {
            return heaps.stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        long maxRss() {
            return maxRss;
        }
    }

    /** INFO commandstats of the service's Redis, over a raw RESP connection. */
    record RedisStats(int port) {
        long calls(String command) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                String header = readLine(in);
                byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
                Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
                        .matcher(new String(body, StandardCharsets.US_ASCII));
                return m.find() ? Long.parseLong(m.group(1)) : 0;
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    // ---- the report ------------------------------------------------------------------------

    static class Report {
        private final List<String> rows = new ArrayList<>();
        private final List<Object[]> chart = new ArrayList<>();

        void baseline(String what, double mbps, String ratios) {
            rows.add(String.format("| baseline: %s | | %.0f MB/s | | %s |", what, mbps, ratios));
        }

        void throughput(String scenario, Rounds rounds, double target) {
            double ours = rounds.median(Rounds.OURS);
            double baseline = rounds.median(Rounds.BASELINE);
            double peer = rounds.median(Rounds.PEER);
            double vsBaseline = rounds.ratio(Rounds.OURS, Rounds.BASELINE);
            String vsPeer = Double.isNaN(peer) ? "n/a (@tus/server has no Range support)"
                    : String.format("%.2f ×", rounds.ratio(Rounds.OURS, Rounds.PEER));
            rows.add(String.format("| %s | %.0f MB/s | %.0f MB/s | %s | %.2f × baseline%s, %s peer |", scenario, ours, baseline,
                    Double.isNaN(peer) ? "n/a" : String.format("%.0f MB/s", peer), vsBaseline,
                    target > 0 ? String.format(" (target ≥ %.1f: %s)", target, vsBaseline >= target ? "met" : "MISSED") : "",
                    vsPeer));
            chart.add(new Object[] {scenario, ours, baseline, peer});
        }

        void memory(long idle, long median, long max, long rss) {
            double deltaMib = (median - idle) / (double) MIB;
            rows.add(String.format("| heap during 32 concurrent uploads | median %d MiB, max %d MiB | idle %d MiB | | "
                            + "median %+.0f MiB over idle (target ≤ 64: %s); RSS max %d MiB |",
                    median / MIB, max / MIB, idle / MIB, deltaMib, deltaMib <= 64 ? "met" : "MISSED", rss / MIB));
        }

        void creations(Latencies ours, Latencies peer) {
            rows.add(String.format("| 2,000 creations, 16 clients | %.0f req/s, p99 %.1f ms | | %.0f req/s, p99 %.1f ms | "
                            + "%.2f × peer's rate |", ours.perSecond(), ours.percentileMillis(99), peer.perSecond(),
                    peer.percentileMillis(99), ours.perSecond() / peer.perSecond()));
        }

        void freshness(Latencies fanIn, Latencies fanOut, double writesPerUploadSecond, int intervalMs) {
            rows.add(freshnessRow("progress delay, 100 uploads × 1 socket", fanIn, intervalMs));
            rows.add(freshnessRow("progress delay, 1 upload × 500 sockets", fanOut, intervalMs));
            rows.add(String.format("| Redis progress writes per upload per second | %.2f | | | at most %.1f allowed (1 per %d ms): %s |",
                    writesPerUploadSecond, 1000.0 / intervalMs, intervalMs,
                    writesPerUploadSecond <= 1000.0 / intervalMs ? "met" : "MISSED"));
        }

        private static String freshnessRow(String what, Latencies delays, int intervalMs) {
            double p99 = delays.percentileMillis(99);
            return String.format("| %s | p50 %.0f ms, p99 %.0f ms (%d messages) | interval %d ms | | p99 %.2f × interval "
                            + "(target < 2: %s) |", what, delays.percentileMillis(50), p99, delays.nanos().size(), intervalMs,
                    p99 / intervalMs, p99 < 2.0 * intervalMs ? "met" : "MISSED");
        }

        void write(Path out, Path chartFile) throws IOException {
            Runtime runtime = Runtime.getRuntime();
            List<String> lines = new ArrayList<>();
            lines.add("# Benchmark results");
            lines.add("");
            lines.add("Produced by `bench/run` on " + LocalDate.now() + ": " + runtime.availableProcessors()
                    + " cores, " + memoryGib() + " GiB memory. Every figure is the median of " + runs
                    + " runs (except latency distributions, which pool all samples); the machine is shared and noisy, "
                    + "so only the ratios between figures taken in this same run mean anything. A throughput ratio is "
                    + "the median of the ratios within each round (baseline, ours and peer measured seconds apart), "
                    + "so it can differ from the ratio of the medians shown.");
            lines.add("Peer: `@tus/server` with `@tus/file-store` on Node.js " + args.getOrDefault("node", "?")
                    + ", same client, sizes and disk. MB = 10⁶ bytes.");
            lines.add("");
            lines.add("| scenario | Media Pipeline | baseline | peer | ratios |");
            lines.add("|---|---|---|---|---|");
            lines.addAll(rows);
            lines.add("");
            lines.add("![throughput](" + chartFile.getFileName() + ")");
            Path tuning = out.resolveSibling("TUNING.md");
            if (Files.exists(tuning)) {
                lines.add("");
                lines.addAll(Files.readAllLines(tuning));
            }
            Files.write(out, lines);
            drawChart(chartFile);
        }

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

        private void drawChart(Path file) throws IOException {
            int rowHeight = 70;
            int width = 1000;
            int height = 70 + chart.size() * rowHeight;
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            double max = chart.stream().flatMap(r -> java.util.stream.Stream.of((Double) r[1], (Double) r[2], (Double) r[3]))
                    .filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).max().orElse(1);
            Color[] colors = {new Color(0x2f6fde), new Color(0x9aa5b8), new Color(0xe08a2c)};
            String[] legend = {"Media Pipeline", "baseline (dd, loopback)", "@tus/server"};
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.DARK_GRAY);
            g.drawString("Throughput, MB/s (median of " + runs + ")", 20, 26);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i < legend.length; i++) {
                g.setColor(colors[i]);
                g.fillRect(420 + i * 190, 15, 12, 12);
                g.setColor(Color.DARK_GRAY);
                g.drawString(legend[i], 437 + i * 190, 26);
            }
            int y = 55;
            for (Object[] row : chart) {
                g.setColor(Color.DARK_GRAY);
                g.drawString((String) row[0], 20, y + 10);
                for (int i = 0; i < 3; i++) {
                    double v = (Double) row[1 + i];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    int barWidth = (int) (v / max * 620);
                    g.setColor(colors[i]);
                    g.fillRect(300, y + 16 * i - 4, barWidth, 13);
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(String.format("%.0f", v), 305 + barWidth, y + 16 * i + 7);
                }
                y += rowHeight;
            }
            g.dispose();
            ImageIO.write(image, "png", file.toFile());
        }
    }
}
