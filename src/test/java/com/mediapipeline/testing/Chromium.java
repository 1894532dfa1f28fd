package com.mediapipeline.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Debian's Chromium, headless, driven through its chromedriver, for the tests of what a browser does. */
public final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** Starts one (skipped locally, failed in CI, where it is missing), saving downloads into {@code downloads}. */
    public static ChromeDriver start(Path downloads) throws IOException {
        Requirements.require(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER), "Chromium with chromedriver");
        ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1100,900",
                        "--autoplay-policy=no-user-gesture-required",
                        "--user-data-dir=" + Files.createTempDirectory(TestEnvironment.workDir(), "chromium-"));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    /** Saves what the browser shows as {@code target/<name>}. */
    public static void screenshot(ChromeDriver browser, String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of(System.getProperty("it.work.dir")).getParent().resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
