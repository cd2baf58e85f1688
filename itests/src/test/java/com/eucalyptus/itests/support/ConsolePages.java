package com.eucalyptus.itests.support;

import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web console's pages as a user works them in the browser, by the ids and field names of the
 * console's contract (notes/console-ui.md, kept beside the console's code): log in, log out, read
 * the message area, open a tab, fill a form and submit it.
 */
public final class ConsolePages {
  public static final String BASE = "https://127.0.0.1:" + CloudInstallation.CONSOLE_PORT;

  private final HeadlessChromium browser;

  public ConsolePages(HeadlessChromium browser) {
    this.browser = browser;
  }

  public HeadlessChromium browser() {
    return browser;
  }

  public void open(String pathOrUrl) {
    browser.open(pathOrUrl.startsWith("http") ? pathOrUrl : BASE + pathOrUrl);
  }

  /**
   * Signs in through the login form. When the console asks to wait after failed sign-ins (it
   * counts them per client address too, and every test comes from 127.0.0.1), waits and tries again.
   */
  public void login(String user, String password) {
    for (int attempt = 1; ; attempt++) {
      loginOnce(user, password);
      java.util.regex.Matcher wait = java.util.regex.Pattern.compile("Too many failed sign-ins\\. Wait (\\d+) seconds?")
          .matcher(message());
      if (!wait.find() || attempt > 4) {
        return;
      }
      try {
        Thread.sleep((Long.parseLong(wait.group(1)) + 1) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public void logout() {
    if (browser.present(By.id("logout"))) {
      browser.clickToNavigate(By.id("logout"));
    }
  }

  /** Signs in through the login form once, whatever the answer. */
  public void loginOnce(String user, String password) {
    open("/login");
    browser.fill("username", user);
    browser.fill("password", password);
    browser.clickToNavigate(By.id("login-submit"));
  }

  /** Who the header says is logged in, or null when nobody is. */
  public String whoami() {
    List<WebElement> w = browser.driver().findElements(By.id("whoami"));
    return w.isEmpty() ? null : w.get(0).getText();
  }

  /** The text of the message area, "" when the page has none. */
  public String message() {
    List<WebElement> m = browser.driver().findElements(By.id("message"));
    return m.isEmpty() ? "" : m.get(0).getText();
  }

  /** "error", "info" or "" (no message). */
  public String messageKind() {
    List<WebElement> m = browser.driver().findElements(By.id("message"));
    return m.isEmpty() ? "" : m.get(0).getAttribute("class");
  }

  public String pageTitle() {
    return browser.find(By.id("page-title")).getText();
  }

  /** Clicks a tab link (credentials, images, extras, users, configuration). */
  public void tab(String name) {
    browser.clickToNavigate(By.id("tab-" + name));
  }

  /** Fills the named fields of the current page. */
  public void fill(Map<String, String> fields) {
    fields.forEach(browser::fill);
  }

  /** Clicks a link or submit button and waits for the page it leads to. */
  public void click(String id) {
    browser.clickToNavigate(By.id(id));
  }

  /** Clicks something that stays on this page (show/hide keys, the credentials download). */
  public void clickInPage(String id) {
    browser.click(By.id(id));
  }

  /** The status cell of a user's row in the Users tab. */
  public String userStatus(String user) {
    return browser.find(By.cssSelector("tr[data-user='" + user + "'] td.user-status")).getText();
  }
}
