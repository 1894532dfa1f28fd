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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dashboard at / driven in a real headless Chromium: upload, watch the bars reach 100% over one socket, download, delete. */
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
        String user = signIn();
        browser.findElement(By.id("files")).sendKeys(file.toString());

        WebElement upload = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li.upload.done")));
        assertEquals("100.0%", upload.findElement(By.className("percent")).getText());
        assertEquals("width: 100%;", upload.findElement(By.cssSelector(".bar > span")).getAttribute("style"));
        assertEquals("holiday vidéo.bin", upload.findElement(By.className("name")).getText());
        String id = upload.getAttribute("data-id");
        assertEquals(user, acme.statusJson(id).get("username"));
        Chromium.screenshot(browser, "progress-page.png");

        upload.findElement(By.className("download")).click();
        Path downloaded = downloads.resolve(file.getFileName());
        wait.until(driver -> Files.exists(downloaded) && sizeOf(downloaded) == SIZE);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(downloaded));

        upload.findElement(By.className("delete")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.upload[data-id='" + id + "']"), 0));
        assertError(acme.status(id), 404, "not_found");
    }

    /** Twenty files chosen at once: every one completes on the dashboard, and the totals say so. */
    @Test
    void twentyFilesAtOnceOnTheDashboard() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            files.add(Files.write(TestEnvironment.workDir().resolve("batch-" + i + "-" + System.nanoTime() + ".bin"), SlowBody.pattern(256 * 1024 + i)));
        }
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        signIn();
        browser.findElement(By.id("files")).sendKeys(files.stream().map(Path::toString).collect(Collectors.joining("\n")));

        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.upload.done"), 20));
        wait.until(ExpectedConditions.textToBe(By.id("count-completed"), "20"));
        assertEquals("0", browser.findElement(By.id("count-uploading")).getText());
        assertEquals(files.stream().map(path -> path.getFileName().toString()).collect(Collectors.toSet()),
                browser.findElements(By.cssSelector("li.upload .name")).stream().map(WebElement::getText).collect(Collectors.toSet()));
        assertEquals("live", browser.findElement(By.id("live")).getText());
        Chromium.screenshot(browser, "dashboard.png");
    }

    /** Signs in as a user of its own and shows that user's uploads only: the Redis of a run holds other tests' uploads. */
    private String signIn() {
        String user = "page-" + UUID.randomUUID().toString().substring(0, 8);
        browser.get(acme.url("/"));
        browser.findElement(By.id("key")).sendKeys(TestEnvironment.ACME_KEY);
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("filter-user")).sendKeys(user);
        browser.findElement(By.cssSelector("#filters button")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        // the page listed the whole business before the filter: a new user has no uploads, so its page has no rows
        wait.until(page -> page.findElements(By.cssSelector("#uploads li.upload")).isEmpty());
        return user;
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
