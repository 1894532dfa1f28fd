package com.mediapipeline.web;

import com.mediapipeline.testing.Requirements;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The page at / driven in a real headless Chromium: upload, watch the bar reach 100%, download, delete. */
class ProgressPageIT extends ServiceIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int SIZE = 12 * 1024 * 1024;

    private ChromeDriver browser;
    private Path downloads;

    @BeforeEach
    void startChromium() throws Exception {
        Requirements.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Chromium with chromedriver");
        downloads = Files.createDirectories(TestEnvironment.workDir().resolve("downloads-" + System.nanoTime()));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1100,900",
                        "--user-data-dir=" + Files.createTempDirectory(TestEnvironment.workDir(), "chromium-"));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
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
        screenshot();

        finished.findElement(By.className("download")).click();
        Path downloaded = downloads.resolve(file.getFileName());
        wait.until(driver -> Files.exists(downloaded) && sizeOf(downloaded) == SIZE);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(downloaded));

        finished.findElement(By.className("delete")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.finished[data-id='" + id + "']"), 0));
        assertError(acme.status(id), 404, "not_found");
    }

    private void screenshot() throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of(System.getProperty("it.work.dir")).getParent().resolve("progress-page.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
