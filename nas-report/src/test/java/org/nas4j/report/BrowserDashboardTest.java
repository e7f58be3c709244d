package org.nas4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.search.Trial;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in headless Chromium: a round runs and its trials appear without reload; an op removed through the
 * page is absent from every proposal of the next round, and the session records who removed it for which round.
 * Skipped where Chromium is missing ({@link HeadlessChromium}). Leaves {@code target/dashboard-screenshot.png}.
 */
class BrowserDashboardTest {
    private static final int TRIALS = 30;
    private static final String OP = "nor_conv_3x3";
    private ChromeDriver driver;

    @BeforeEach
    void openBrowser() {
        driver = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    private String body(String attribute) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "return document.body.getAttribute(arguments[0])", attribute);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 60 s: " + what);
            Thread.sleep(100);
        }
    }

    /** Waits until the page shows round {@code round} finished with all its trials. */
    private void awaitRoundShown(int round) throws InterruptedException {
        await("round " + round + " shown with " + TRIALS + " trials; status: '"
                        + driver.findElement(By.id("status")).getText() + "'",
                () -> "0".equals(body("data-running")) && String.valueOf(round).equals(body("data-round"))
                        && String.valueOf(TRIALS).equals(body("data-trials")));
    }

    @Test
    void anOpRemovedThroughThePageIsNeverProposedInTheNextRound(@TempDir Path dir) throws Exception {
        NasBench201Space space = NasBench201Space.standard();
        SteeringSession session = new SteeringSession(dir, space);
        try (Dashboard dashboard = Dashboard.builder(session).runner(DashboardTest.tabularRounds(TRIALS))
                .analyst("ana").pollInterval(Duration.ofMillis(200)).start()) {
            driver.get(dashboard.pageUri().toString());
            await("the page is ready", () -> "true".equals(body("data-ready")));

            driver.findElement(By.id("start")).click();
            awaitRoundShown(1);
            JavascriptExecutor js = driver;
            Number points = (Number) js.executeScript("return echarts.getInstanceByDom(document.querySelector("
                    + "'[data-chart=\"dashboard-scatter\"]')).getOption().series"
                    + ".reduce((n, s) => n + s.data.length, 0)");
            assertEquals(TRIALS, points.intValue(), "every trial of round 1 in the scatter, without a reload");
            assertTrue(Journal.read(session.journal(1), space).trials().stream()
                    .anyMatch(t -> holds(t, OP)), "round 1, unrestricted, samples " + OP);

            driver.findElement(By.cssSelector("button[data-remove-op='" + OP + "']")).click();
            driver.findElement(By.id("record")).click();
            await("the restriction is recorded", () -> driver.findElement(By.id("message")).getText()
                    .equals("restriction recorded for round 2"));
            driver.findElement(By.id("start")).click();
            awaitRoundShown(2);

            List<Trial> second = Journal.read(session.journal(2), space).trials();
            assertEquals(TRIALS, second.size());
            for (Trial t : second) {
                assertFalse(holds(t, OP), "round 2 proposed " + t.architecture());
            }
            List<SteeringSession.Record> records = session.records();
            assertEquals(1, records.size());
            assertEquals(2, records.get(0).round());
            assertEquals("ana", records.get(0).who());
            for (var choice : space.choices()) {
                assertEquals(Set.of(OP), records.get(0).restriction().removed().get(choice.name()), choice.name());
            }
            assertEquals(List.of(), js.executeScript("return window.reportErrors"), "errors of the page's scripts");
            List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
            assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).toList(), "console errors");
            Path screenshot = Path.of("target", "dashboard-screenshot.png");
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, driver.getScreenshotAs(OutputType.BYTES));
        }
    }

    private static boolean holds(Trial t, String op) {
        for (int i = 0; i < t.architecture().size(); i++) {
            if (t.architecture().option(i).equals(op)) {
                return true;
            }
        }
        return false;
    }
}
