package org.nas4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.interactions.Actions;
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
            clickAPointAndCheckItsCellIsDrawn(js);
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

    /**
     * Clicks a point of the scatter that no other point overlaps, at its pixel position: the page selects its trial
     * and draws its cell.
     */
    private void clickAPointAndCheckItsCellIsDrawn(JavascriptExecutor js) {
        @SuppressWarnings("unchecked")
        Map<String, Object> spot = (Map<String, Object>) js.executeScript(
                "const c = echarts.getInstanceByDom(document.querySelector('[data-chart=\"dashboard-scatter\"]'));"
                        + "const pts = c.getOption().series.flatMap((x, s) => x.data.map(d => ({d: d,"
                        + " px: c.convertToPixel({seriesIndex: s}, d.value)})));"
                        + "const alone = pts.find(p => pts.every(q => q === p"
                        + " || Math.hypot(q.px[0] - p.px[0], q.px[1] - p.px[1]) > 10));"
                        + "const d = alone.d, px = alone.px;"
                        + "const r = c.getDom().getBoundingClientRect();"
                        + "window.scrollTo(0, r.top + window.scrollY - 100);"
                        + "const r2 = c.getDom().getBoundingClientRect();"
                        + "return {x: r2.left + px[0], y: r2.top + px[1], trial: d.trial};");
        new Actions(driver).moveToLocation(((Number) spot.get("x")).intValue(), ((Number) spot.get("y")).intValue())
                .click().perform();
        assertEquals(String.valueOf(spot.get("trial")), js.executeScript(
                "return document.getElementById('selected').getAttribute('data-trial')"), "the clicked trial is shown");
        Number edges = (Number) js.executeScript("return echarts.getInstanceByDom("
                + "document.querySelector('#selected .cell')).getOption().series[0].links.length");
        assertEquals(6, edges.intValue(), "its NAS-Bench-201 cell is drawn with six edges");
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
