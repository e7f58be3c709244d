package org.nas4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.Estimators;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens a report in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which .ci/run
 * installs): no console errors, one point per trial in the scatter plot, and a click on a point draws that
 * trial's cell. Skipped, with a message saying what is missing, where no Chromium or driver is installed. Leaves a
 * screenshot in {@code target/report-screenshot.png}.
 */
class BrowserReportTest {
    private static final List<Path> CHROMIUM = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"),
            Path.of("/usr/bin/google-chrome"));
    private static final List<Path> DRIVER = List.of(Path.of("/usr/bin/chromedriver"),
            Path.of("/usr/lib/chromium/chromedriver"));
    private ChromeDriver driver;

    private static Optional<Path> first(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    @BeforeEach
    void openBrowser() {
        Optional<Path> chromium = first(CHROMIUM);
        Optional<Path> chromedriver = first(DRIVER);
        Assumptions.assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
                "skipped: no Chromium with its driver installed (looked for " + CHROMIUM + " and " + DRIVER
                        + "; on Debian: apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,2400");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }


    /** Opens the page, waits until it has drawn, and checks that it reported no error. */
    private JavascriptExecutor open(Path page) {
        driver.get(page.toUri().toString());
        JavascriptExecutor js = driver;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"true".equals(js.executeScript("return document.body.getAttribute('data-ready')"))) {
            assertTrue(System.nanoTime() < deadline, "the page did not finish drawing in 30 s; errors: "
                    + js.executeScript("return window.reportErrors"));
            sleep(100);
        }
        assertEquals(List.of(), js.executeScript("return window.reportErrors"), "errors of the page's scripts");
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).toList(), "console errors");
        return js;
    }

    @Test
    void oneShotReportDrawsTheArchitectureWeightsPerEpoch(@TempDir Path dir) throws IOException {
        NasBench201Space space = NasBench201Space.standard();
        java.util.List<Trial> trials = new java.util.ArrayList<>();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(2);
        for (int epoch = 1; epoch <= 4; epoch++) {
            Map<org.nas4j.core.search.Metric, Double> m = new java.util.LinkedHashMap<>();
            m.put(org.nas4j.core.search.Metric.VALIDATION_ACCURACY, 50.0 + epoch);
            m.put(org.nas4j.core.search.Metric.EPOCHS, (double) epoch);
            for (int e = 0; e < 6; e++) {
                for (String op : NasBench201Space.OPS) {
                    m.put(org.nas4j.core.search.Metric.reportOnly("arch_weight.e" + e + "." + op,
                            org.nas4j.core.search.Metric.Direction.MAXIMIZE), 0.2);
                }
            }
            trials.add(new Trial(epoch - 1, space.sample(rng), org.nas4j.core.search.TrialState.COMPLETE, m, "", 0, 1,
                    1));
        }
        Path page = Reports.html(new SearchResult(trials, org.nas4j.core.search.Objective.maximize(
                org.nas4j.core.search.Metric.VALIDATION_ACCURACY)), dir.resolve("oneshot.html"));
        JavascriptExecutor js = open(page);
        Number cells = (Number) js.executeScript("return echarts.getInstanceByDom(document.querySelector("
                + "'[data-chart=\"arch-weights\"]')).getOption().series[0].data.length");
        assertEquals(4 * 6 * 5, cells.intValue(), "4 epochs x 6 edges x 5 candidates");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void reportOfATabularSearchWorksInABrowser(@TempDir Path dir) throws IOException {
        SearchResult result = SearchRunner.builder(NasBench201Space.standard(), new SamplingStrategy("sampling"))
                .estimator(Estimators.nasBench201Cifar10()).budget(Budget.trials(100)).seed(1).build().run();
        Path page = Reports.html(result, dir.resolve("report.html"));

        JavascriptExecutor js = open(page);

        String chart = "echarts.getInstanceByDom(document.querySelector('[data-chart=\"scatter-params\"]'))";
        Number points = (Number) js.executeScript("return " + chart + ".getOption().series[0].data.length");
        assertEquals(100, points.intValue(), "one point per trial in the scatter of accuracy against parameters");

        // click the point of the best trial in the scatter, at its pixel position
        Trial target = result.best();
        @SuppressWarnings("unchecked")
        Map<String, Object> spot = (Map<String, Object>) js.executeScript(
                "const c = " + chart + ";"
                        + "const d = c.getOption().series[0].data.find(p => p.trial === arguments[0]);"
                        + "const px = c.convertToPixel({seriesIndex: 0}, d.value);"
                        + "const r = c.getDom().getBoundingClientRect();"
                        + "window.scrollTo(0, r.top + window.scrollY - 100);"
                        + "const r2 = c.getDom().getBoundingClientRect();"
                        + "return {x: r2.left + px[0], y: r2.top + px[1]};", target.id());
        // first select another trial through the table, so that the click has something to change
        js.executeScript("document.querySelectorAll('tr.clickable')[1].click()");
        String before = (String) js.executeScript("return document.getElementById('selected').getAttribute('data-trial')");
        assertTrue(!before.equals(String.valueOf(target.id())), "another trial is selected before the click");
        new org.openqa.selenium.interactions.Actions(driver)
                .moveToLocation(((Number) spot.get("x")).intValue(), ((Number) spot.get("y")).intValue())
                .click().perform();
        String after = (String) js.executeScript("return document.getElementById('selected').getAttribute('data-trial')");
        assertEquals(String.valueOf(target.id()), after, "the click selects the point's trial");
        Number cells = (Number) js.executeScript("return document.querySelectorAll('#selected .cell canvas').length");
        assertTrue(cells.intValue() >= 1, "the selected trial's cell is drawn");
        Number edges = (Number) js.executeScript("return echarts.getInstanceByDom("
                + "document.querySelector('#selected .cell')).getOption().series[0].links.length");
        assertEquals(6, edges.intValue(), "the NAS-Bench-201 cell has six edges");

        Path screenshot = Path.of("target", "report-screenshot.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, driver.getScreenshotAs(OutputType.BYTES));
    }
}
