package com.mediapipeline.progress;

import com.mediapipeline.testing.Requirements;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** test/progress_test.py run for real: uploads over TUS, prints live progress, resumes after being killed. */
class PythonClientIT extends ServiceIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int SIZE = 48 * 1024 * 1024;

    private Path home;

    @BeforeEach
    void python() throws Exception {
        Requirements.require(Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import websockets").start().waitFor() == 0,
                "Debian's python3 with python3-websockets");
        home = Files.createTempDirectory(TestEnvironment.workDir(), "python-home-");
    }

    @Test
    void uploadsAndPrintsProgressUntilComplete() throws Exception {
        Path file = Files.write(home.resolve("small.bin"), SlowBody.pattern(3 * 1024 * 1024));
        Process client = client(file, 512 * 1024);
        List<String> lines = lines(client, Integer.MAX_VALUE);
        assertTrue(client.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, client.exitValue(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.trim().startsWith("complete 100.0%")), String.join("\n", lines));
        String id = lines.get(lines.size() - 1).substring("done: ".length());
        assertArrayEquals(Files.readAllBytes(file), acme.download(id).body());
    }

    @Test
    void aKilledRunResumesFromTheServersOffset() throws Exception {
        Path file = Files.write(home.resolve("large.bin"), SlowBody.pattern(SIZE));
        Process first = client(file, 64 * 1024);
        lines(first, 3);
        first.destroyForcibly().waitFor();

        Process second = client(file, 4 * 1024 * 1024);
        List<String> lines = lines(second, Integer.MAX_VALUE);
        assertTrue(second.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("resuming ") && !lines.get(0).contains(" at byte 0 "), lines.get(0));
        String id = lines.get(lines.size() - 1).substring("done: ".length());
        assertArrayEquals(Files.readAllBytes(file), acme.download(id).body());
    }

    /**
     * Ctrl-C stops the upload at once, even mid-PATCH, says how far the server got and that a new
     * run resumes, and exits 130. (It used to send on to the end of the file, then print a traceback.)
     */
    @Test
    void ctrlCStopsAtOnceAndSaysWhereToResume() throws Exception {
        int size = 192 * 1024 * 1024;
        Path file = Files.write(home.resolve("interrupted.bin"), SlowBody.pattern(size));
        Process client = client(file, 128 * 1024);
        List<String> before = new ArrayList<>();
        BufferedReader output = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null && !line.trim().startsWith("progress")) {
            before.add(line);
        }
        String uploadUrl = before.get(0).split(" ")[1];
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(client.pid())).start().waitFor());

        boolean ended = client.waitFor(10, TimeUnit.SECONDS);
        List<String> after = ended ? output.lines().toList() : List.of();
        client.destroyForcibly();
        assertTrue(ended, "still running 10 s after Ctrl-C");
        assertEquals(130, client.exitValue(), String.join("\n", after));
        String last = after.get(after.size() - 1);
        Matcher said = Pattern.compile("interrupted: the server has (\\d+) of " + size
                + " bytes; run the same command again to resume").matcher(last);
        assertTrue(said.matches(), String.join("\n", after));
        long offset = Long.parseLong(acme.head(uploadUrl).headers().firstValue("Upload-Offset").orElseThrow());
        assertTrue(Long.parseLong(said.group(1)) <= offset && offset < size, last + "; HEAD now says " + offset);
        assertTrue(after.stream().noneMatch(text -> text.contains("Traceback")), String.join("\n", after));
    }

    /**
     * The client as a terminal starts it, with Ctrl-C's SIGINT at its default: a child inherits an
     * ignored SIGINT (as every job started in the background by a script has), and exec keeps it.
     */
    private Process client(Path file, int chunkSize) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.executable, [sys.executable] + sys.argv[1:])",
                Path.of("test", "progress_test.py").toString(),
                "--url", acme.url(""), "--key", TestEnvironment.ACME_KEY, "--username", "dave",
                "--chunk-size", Integer.toString(chunkSize), file.toString()).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        return builder.start();
    }

    /** Reads up to {@code count} lines of the client's output, as they come. */
    private static List<String> lines(Process process, int count) throws Exception {
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while (lines.size() < count && (line = reader.readLine()) != null) {
            lines.add(line);
        }
        return lines;
    }
}
