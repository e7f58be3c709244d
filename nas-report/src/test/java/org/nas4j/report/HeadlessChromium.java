package org.nas4j.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the browser tests (Debian's {@code chromium} and {@code chromium-driver}, which .ci/run
 * installs), with the browser console kept; skips the calling test, with a message saying what is missing, where
 * they are not installed.
 */
final class HeadlessChromium {
    private static final List<Path> CHROMIUM = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"),
            Path.of("/usr/bin/google-chrome"));
    private static final List<Path> DRIVER = List.of(Path.of("/usr/bin/chromedriver"),
            Path.of("/usr/lib/chromium/chromedriver"));

    private HeadlessChromium() {
    }

    private static Optional<Path> first(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** A new browser; the caller quits it. Skips the test where Chromium or its driver is missing. */
    static ChromeDriver start() {
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
        return new ChromeDriver(service, options);
    }
}
