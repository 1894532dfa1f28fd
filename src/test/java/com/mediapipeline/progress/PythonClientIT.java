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

    private Process client(Path file, int chunkSize) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), Path.of("test", "progress_test.py").toString(),
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
