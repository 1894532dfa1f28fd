package com.mediapipeline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The physical limits the service is compared with: the disk's write rate (dd) and the loopback's. */
final class Baselines {

    private static final Pattern DD_SUMMARY = Pattern.compile("(\\d+) bytes .* copied, ([\\d.]+) s");

    private Baselines() {
    }

    /** dd writing {@code size} bytes to {@code file}, made durable once at the end: MB/s. */
    static double ddWrite(Path file, long size) throws Exception {
        return dd(file, size, "conv=fdatasync");
    }

    /** dd writing {@code size} bytes to {@code file}, each 8 MiB block durable before the next: MB/s. */
    static double ddForcedEach8Mib(Path file, long size) throws Exception {
        return dd(file, size, "oflag=dsync");
    }

    private static double dd(Path file, long size, String durability) throws Exception {
        Process process = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=8M", "count=" + size / (8 * Sizes.MIB),
                durability).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher summary = DD_SUMMARY.matcher(output);
        if (!summary.find()) {
            throw new IllegalStateException("dd said: " + output);
        }
        return Long.parseLong(summary.group(1)) / 1e6 / Double.parseDouble(summary.group(2));
    }

    /** {@code size} bytes over loopback TCP to a sink that discards them: MB/s. */
    static double loopbackSink(long size) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> drain(server));
            long start = System.nanoTime();
            try (Socket out = new Socket("127.0.0.1", server.getLocalPort()); OutputStream stream = out.getOutputStream()) {
                byte[] block = PatternBody.bytes((int) Sizes.MIB);
                for (long sent = 0; sent < size; sent += block.length) {
                    stream.write(block);
                }
            }
            drained.get();
            return Rates.mbPerSecond(size, start);
        }
    }

    private static long drain(ServerSocket server) {
        try (Socket in = server.accept(); InputStream stream = in.getInputStream()) {
            byte[] buffer = new byte[(int) Sizes.MIB];
            long total = 0;
            for (int n; (n = stream.read(buffer)) > 0; ) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
