package com.mediapipeline.analytics;

import com.mediapipeline.testing.Api;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's analytics view in a real headless Chromium: the chart and totals show what the endpoint says. */
class AnalyticsPageIT extends ServiceIT {

    private ChromeDriver browser;

    @BeforeEach
    void startChromium() throws Exception {
        browser = Chromium.start(Files.createDirectories(TestEnvironment.workDir().resolve("downloads-" + System.nanoTime())));
    }

    @AfterEach
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theChartShowsTheUploadsAndBytesPerHour() throws Exception {
        for (int size : List.of(300_000, 700_000)) {
            String upload = acme.create(size, "chart.bin", null);
            assertEquals(204, acme.patch(upload, 0, SlowBody.pattern(size)).statusCode());
        }
        browser.get(acme.url("/"));
        browser.findElement(By.id("key")).sendKeys(TestEnvironment.ACME_KEY);
        browser.findElement(By.id("username")).sendKeys("alice");
        browser.findElement(By.cssSelector("#analytics-query button")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#analytics-volume rect.uploads")));

        Instant now = Instant.now();
        Map<String, Object> report = Api.json(Api.send(acme.request("/api/v1/analytics?from=" + now.minus(Duration.ofDays(1))
                + "&to=" + now.plus(Duration.ofHours(1)) + "&interval=PT1H").GET()).body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
        for (String counter : List.of("created", "completed", "failed")) {
            long total = rows.stream().mapToLong(row -> ((Number) row.get(counter)).longValue()).sum();
            assertEquals(Long.toString(total), browser.findElement(By.cssSelector("[data-total='" + counter + "']")).getText(), counter);
        }
        List<WebElement> bars = browser.findElements(By.cssSelector("#analytics-volume rect.uploads"));
        assertEquals(rows.size(), bars.size(), "a bar per hour");
        Map<String, Object> current = rows.get(rows.size() - 1);
        WebElement last = bars.get(bars.size() - 1);
        assertEquals(current.get("start"), last.getAttribute("data-start"));
        long completed = ((Number) current.get("completed")).longValue();
        assertTrue(completed >= 2, "this test's uploads completed in the current hour: " + completed);
        assertEquals(Long.toString(completed), last.getAttribute("data-value"));
        assertTrue(Double.parseDouble(last.getAttribute("height")) > 0, "the current hour's bar is drawn");
        assertEquals(2, browser.findElements(By.cssSelector("#analytics-durations polyline")).size(), "p50 and p95 lines");
        assertTrue(browser.findElement(By.cssSelector("[data-user='alice']")).isDisplayed(), "alice is among the top users");
        browser.executeScript("document.getElementById('analytics').scrollIntoView()");
        Chromium.screenshot(browser, "analytics-page.png");
    }
}
