package com.eucalyptus.itests.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (both paths given, so Selenium
 * Manager never tries to download a driver on this closed network). Each instance has its own
 * empty profile and its own download folder; screenshots go to itests/target/screenshots.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** Generous: CI shares 2 cores between the browser, the CLC and the test. */
  private static final Duration WAIT = Duration.ofSeconds(30);
  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private final ChromeDriver driver;
  private final Path profile;
  private final Path downloads;
  private final Path screenshots;

  public HeadlessChromium(Path screenshots) {
    try {
      this.profile = Files.createTempDirectory("chromium-profile-");
      this.downloads = Files.createTempDirectory("chromium-downloads-");
      this.screenshots = Files.createDirectories(screenshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    // the flags that work here as root on a closed network; the console's certificate is self-signed
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--ignore-certificate-errors", "--disable-dev-shm-usage", "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    options.setAcceptInsecureCerts(true);
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toString());
    prefs.put("download.prompt_for_download", false);
    prefs.put("safebrowsing.enabled", false);
    options.setExperimentalOption("prefs", prefs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public String url() {
    return driver.getCurrentUrl();
  }

  /** The visible text of the page. */
  public String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** The page's HTML as the browser holds it now. */
  public String source() {
    return driver.getPageSource();
  }

  /** Waits up to 10 s for an element (pages are rendered by the server; this covers redirects). */
  public WebElement find(By by) {
    return new WebDriverWait(driver, WAIT).until(d -> {
      List<WebElement> found = d.findElements(by);
      return found.isEmpty() ? null : found.get(0);
    });
  }

  public boolean present(By by) {
    return !driver.findElements(by).isEmpty();
  }

  /** Types {@code value} into the form field named {@code name} (its old content replaced). */
  public void fill(String name, String value) {
    WebElement field = find(By.name(name));
    field.clear();
    field.sendKeys(value);
  }

  public void select(String name, String visibleTextOrValue) {
    Select s = new Select(find(By.name(name)));
    try {
      s.selectByValue(visibleTextOrValue);
    } catch (NoSuchElementException e) {
      s.selectByVisibleText(visibleTextOrValue);
    }
  }

  /** Clicks something that does not leave the page (a summary, a download button). */
  public void click(By by) {
    find(by).click();
  }

  /**
   * Clicks a link or submit button and waits until the next page has replaced this one, so that
   * nothing is read from the old page by mistake.
   */
  public void clickToNavigate(By by) {
    WebElement element = find(by);
    WebElement oldPage = driver.findElement(By.tagName("html"));
    element.click();
    try {
      // the old page is gone when its element cannot be asked anything (chromedriver answers a
      // stale element or, while the new document is being attached, an inspector error)
      new WebDriverWait(driver, WAIT).until(d -> {
        try {
          oldPage.isEnabled();
          return false;
        } catch (WebDriverException gone) {
          return true;
        }
      });
      new WebDriverWait(driver, WAIT).until(d -> {
        try {
          return "complete".equals(driver.executeScript("return document.readyState"));
        } catch (WebDriverException loading) {
          return false;
        }
      });
    } catch (RuntimeException e) {
      throw new AssertionError("clicking " + by + " on " + url() + " did not lead to another page", e);
    }
  }

  /** Waits until the page's text contains {@code expected}; returns the text. */
  public String awaitText(String expected) {
    try {
      new WebDriverWait(driver, WAIT).until(d -> text().contains(expected));
    } catch (RuntimeException e) {
      throw new AssertionError("page " + url() + " never showed \"" + expected + "\"; it shows:\n" + text(), e);
    }
    return text();
  }

  /**
   * A PNG of the whole page (not only the window) under itests/target/screenshots; returns its
   * path. Chromium's DevTools command through chromedriver, which needs no DevTools client jar.
   */
  public Path screenshot(String name) {
    Path target = screenshots.resolve(name + ".png");
    try {
      byte[] png;
      try {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "scale", 1,
            "width", ((Number) size.get("width")).doubleValue(), "height", ((Number) size.get("height")).doubleValue());
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        png = java.util.Base64.getDecoder().decode((String) shot.get("data"));
      } catch (RuntimeException e) {
        png = driver.getScreenshotAs(OutputType.BYTES);
      }
      Files.write(target, png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** Waits for a finished download (Chromium writes *.crdownload until it is complete). */
  public Path awaitDownload(String fileName) {
    Path f = downloads.resolve(fileName);
    return CloudInstallation.await(Duration.ofSeconds(30), "download of " + fileName, () -> {
      try (var files = Files.list(downloads)) {
        boolean partial = files.anyMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
        return !partial && Files.isRegularFile(f) ? f : null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  public Path downloads() {
    return downloads;
  }

  public String cookie(String name) {
    var c = driver.manage().getCookieNamed(name);
    return c == null ? null : c.getValue();
  }

  public org.openqa.selenium.Cookie cookieObject(String name) {
    return driver.manage().getCookieNamed(name);
  }

  public void deleteCookies() {
    driver.manage().deleteAllCookies();
  }

  @Override
  public void close() {
    driver.quit();
    Shell.run(List.of("rm", "-rf", profile.toString(), downloads.toString()), Map.of(), null, Duration.ofSeconds(30));
  }
}
