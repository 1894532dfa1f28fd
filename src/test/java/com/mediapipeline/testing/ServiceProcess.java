package com.mediapipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built microbundle run as ops run it ({@code java -jar}), with its defaults: an embedded
 * redis-server whose data lives in the storage folder. For tests that stop, kill and restart it.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);

    private final Path storage;
    private final int port;
    private final List<String> options;
    private final Path log;
    /** Where this service's lines begin in the log, which earlier tests' services on the port wrote to. */
    private final long logStart;
    private Process process;

    /** The service on {@code port}, its data in {@code storage}, with extra {@code -D} options. */
    public ServiceProcess(Path storage, int port, String... options) {
        this.storage = storage;
        this.port = port;
        this.options = List.of(options);
        this.log = TestEnvironment.workDir().resolve("service-" + port + ".log");
        try {
            this.logStart = Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the process and waits until it answers. */
    public ServiceProcess start() throws IOException, InterruptedException {
        launch();
        awaitReady();
        return this;
    }

    /** Starts the process without waiting: several boot side by side, then {@link #awaitReady()}. */
    public ServiceProcess launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Djava.io.tmpdir=" + TestEnvironment.workDir(),
                "-Dmediapipeline.storage.dir=" + storage,
                "-Dmediapipeline.api-keys=acme:" + TestEnvironment.ACME_KEY + ",globex:" + TestEnvironment.GLOBEX_KEY));
        command.addAll(options);
        command.addAll(List.of("-jar", System.getProperty("it.microbundle"), "--nocluster", "--port", Integer.toString(port)));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** One of the two free ports that the build reserved for the tests' own service processes (1 or 2). */
    public static int reservedPort(int which) {
        return Integer.parseInt(System.getProperty(which == 1 ? "it.service.port" : "it.service.port2"));
    }

    /** Boots the services side by side (a boot takes a while) and waits until each answers. */
    public static void startAll(ServiceProcess... services) throws IOException, InterruptedException {
        for (ServiceProcess service : services) {
            service.launch();
        }
        for (ServiceProcess service : services) {
            service.awaitReady();
        }
    }

    /** Stops every service that was made, for an {@code @AfterAll}. */
    public static void closeAll(ServiceProcess... services) throws InterruptedException {
        for (ServiceProcess service : services) {
            if (service != null) {
                service.close();
            }
        }
    }

    /** The file the service logs to; processes on the same port append to it, one after the other. */
    public Path log() {
        return log;
    }

    /** The lines this service (its processes, if restarted) logged so far. */
    public List<String> logLines() throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) logStart, all.length - (int) logStart, StandardCharsets.UTF_8).lines().toList();
    }

    public URL url() {
        try {
            return URI.create("http://127.0.0.1:" + port + "/").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A graceful stop, as an orchestrator's SIGTERM. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** A crash: SIGKILL, no shutdown hooks, children left running as they are. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    /**
     * Whether OPTIONS on the uploads answers as TUS does (200 with Tus-Version): before the deployment
     * is in place, and when it failed, the container itself answers OPTIONS with 200 and no Tus-Version.
     */
    public boolean servesUploads() {
        Api probe = Api.anonymous(url());
        try {
            HttpResponse<String> options = Api.send(probe.request(probe.uploadsUrl()).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            return options.statusCode() == 200 && options.headers().firstValue("Tus-Version").isPresent();
        } catch (UncheckedIOException notListening) {
            return false; // the port opens a few seconds into the boot
        }
    }

    public void awaitReady() throws IOException {
        try {
            Await.until(BOOT_TIMEOUT, "the service on port " + port + " to answer TUS discovery", () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The service exited during start-up; see " + log);
                }
                return servesUploads();
            });
        } catch (AssertionError notReady) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("The service did not become ready in " + BOOT_TIMEOUT + "; its last lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())), notReady);
        }
    }
}
