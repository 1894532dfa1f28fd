package com.mediapipeline.web;

import com.mediapipeline.testing.Chromium;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The page at / driven in a real headless Chromium: upload, watch the bar reach 100%, download, delete. */
class ProgressPageIT extends ServiceIT {

    private static final int SIZE = 12 * 1024 * 1024;

    private ChromeDriver browser;
    private Path downloads;

    @BeforeEach
    void startChromium() throws Exception {
        downloads = Files.createDirectories(TestEnvironment.workDir().resolve("downloads-" + System.nanoTime()));
        browser = Chromium.start(downloads);
    }

    @AfterEach
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void uploadWatchDownloadAndDeleteInTheBrowser() throws Exception {
        Path file = Files.write(TestEnvironment.workDir().resolve("holiday vidéo.bin"), SlowBody.pattern(SIZE));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(acme.url("/"));
        browser.findElement(By.id("key")).sendKeys(TestEnvironment.ACME_KEY);
        browser.findElement(By.id("username")).sendKeys("carol");
        browser.findElement(By.id("files")).sendKeys(file.toString());

        WebElement upload = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li.upload.done")));
        assertEquals("100.0%", upload.findElement(By.className("percent")).getText());
        assertEquals("width: 100%;", upload.findElement(By.cssSelector(".bar > span")).getAttribute("style"));
        WebElement finished = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li.finished[data-id]")));
        String id = finished.getAttribute("data-id");
        assertEquals("carol", acme.statusJson(id).get("username"));
        Chromium.screenshot(browser, "progress-page.png");

        finished.findElement(By.className("download")).click();
        Path downloaded = downloads.resolve(file.getFileName());
        wait.until(driver -> Files.exists(downloaded) && sizeOf(downloaded) == SIZE);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(downloaded));

        finished.findElement(By.className("delete")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.finished[data-id='" + id + "']"), 0));
        assertError(acme.status(id), 404, "not_found");
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
