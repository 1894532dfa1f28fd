package com.mediapipeline.storage;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Chromium;
import com.mediapipeline.testing.Requirements;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signed link as a {@code <video>} source in headless Chromium: a WebM that ffmpeg makes plays from
 * the link without a key, and a seek into its middle is served (by Range requests).
 */
class LinkedVideoIT extends ServiceIT {

    private static final double SECONDS = 6;

    private ChromeDriver browser;

    @BeforeEach
    void startChromium() throws Exception {
        browser = Chromium.start(TestEnvironment.workDir());
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aLinkedVideoPlaysAndSeeksWithoutAKey() throws Exception {
        byte[] video = webm();
        String upload = acme.create(video.length, "clip.webm", "video/webm");
        assertEquals(204, acme.patch(upload, 0, video).statusCode());
        HttpResponse<String> created = Api.send(acme.request("/api/v1/storage/" + Api.idOf(upload) + "/links")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expires_in\": \"PT10M\", \"disposition\": \"inline\"}"))
                .header("Content-Type", "application/json"));
        assertEquals(201, created.statusCode(), created.body());
        String url = (String) Api.json(created.body()).get("url");

        browser.get(acme.url("/"));
        Object played = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const video = document.createElement('video');
                video.muted = true;
                video.controls = true;
                video.onerror = () => done('error ' + (video.error ? video.error.code + ' ' + video.error.message : ''));
                video.onloadedmetadata = () => { video.currentTime = arguments[1]; };
                video.onseeked = () => done(JSON.stringify({duration: video.duration, at: video.currentTime, ready: video.readyState}));
                video.src = arguments[0];
                document.body.prepend(video);
                """, url, SECONDS - 2);
        Map<String, Object> state = Api.json(String.valueOf(played));
        assertEquals(SECONDS, ((Number) state.get("duration")).doubleValue(), 0.5, played.toString());
        assertEquals(SECONDS - 2, ((Number) state.get("at")).doubleValue(), 0.5, played.toString());
        assertTrue(((Number) state.get("ready")).intValue() >= 1, played.toString());
        Chromium.screenshot(browser, "linked-video.png");
    }

    /** Six seconds of ffmpeg's test pattern as VP8 WebM, a key frame every second, so that a seek fetches from the middle. */
    private static byte[] webm() throws Exception {
        Requirements.require(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "Debian's ffmpeg");
        Path file = Files.createTempFile(TestEnvironment.workDir(), "clip-", ".webm");
        Process ffmpeg = new ProcessBuilder("/usr/bin/ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc=duration=" + (int) SECONDS + ":size=320x240:rate=25", "-c:v", "libvpx", "-b:v", "400k",
                "-g", "25", file.toString()).redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes());
        assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0, "ffmpeg made the clip: " + output);
        return Files.readAllBytes(file);
    }
}
