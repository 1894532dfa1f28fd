package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Requirements;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tus-js-client (from the npm registry, test/ietf-client) in its IETF mode, {@code ietf-draft-05}
 * (interop version 6): in chunks, its connection cut in the middle of a PATCH body by a proxy, then
 * resumed from its URL.
 */
class IetfClientIT extends ServiceIT {

    private static final Path CLIENT = Path.of("test", "ietf-client");
    private static final int CHUNK = 4 * 1024 * 1024;
    private static final int SIZE = 2 * CHUNK;

    @BeforeAll
    static void installClient() throws IOException, InterruptedException {
        Requirements.require(runs("node", "--version") && runs("npm", "--version"), "Node.js with npm");
        if (!Files.isDirectory(CLIENT.resolve("node_modules/tus-js-client"))) {
            // its own pipes, never the test JVM's: node makes the stdio it inherits non-blocking, and the
            // test JVM then fails to read its commands from the build ("std/in stream corrupted")
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(CLIENT.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0, "npm ci in " + CLIENT + ": " + output);
        }
    }

    @Test
    void chunkedUploadCutOffAndResumedArrivesByteForByte() throws Exception {
        Path home = Files.createTempDirectory(TestEnvironment.workDir(), "ietf-client-");
        byte[] content = SlowBody.pattern(SIZE);
        Path file = Files.write(home.resolve("ietf.bin"), content);
        String[] credentials = acme.credentials();
        Process client = new ProcessBuilder("node", "upload.mjs", acme.uploadsUrl(), credentials[1], credentials[3],
                file.toAbsolutePath().toString(), Integer.toString(CHUNK), Integer.toString(CHUNK + CHUNK / 2))
                .directory(CLIENT.toFile()).redirectErrorStream(true).start();
        boolean ended = client.waitFor(120, TimeUnit.SECONDS);
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(ended, "the client ended: " + output);
        assertEquals(0, client.exitValue(), output);

        Map<String, Object> run = Api.json(output.substring(output.lastIndexOf('\n') + 1));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> requests = (List<Map<String, Object>>) run.get("requests");
        assertEquals(1, requests.stream().filter(request -> "POST".equals(request.get("method"))).count(),
                "one upload, created once: " + output);
        assertEquals(run.get("cutUrl"), run.get("url"), "the resume went on with the cut-off upload");
        assertNotEquals("complete", run.get("cut"), "the first run was cut off: " + output);
        assertEquals("complete", run.get("ended"), output);
        long resumedFrom = ((Number) run.get("resumedFrom")).longValue();
        assertTrue(resumedFrom > CHUNK && resumedFrom < SIZE, "the bytes the cut PATCH delivered were kept: " + output);

        String upload = (String) run.get("url");
        assertArrayEquals(content, acme.downloaded(upload));
        Map<String, Object> status = acme.statusJson(Api.idOf(upload));
        assertEquals("completed", status.get("status"));
        assertEquals("ietf.bin", status.get("filename"));
    }

    private static boolean runs(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
