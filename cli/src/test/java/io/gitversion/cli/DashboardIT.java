package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person uses it, in Debian's headless Chromium driven through its chromedriver: a change made in
 * the source appears in the open page without a reload (server-sent events), and the object browser finds the
 * object, lists its versions and shows the change side by side.
 */
class DashboardIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(45);
  private WebDriver browser;

  @BeforeEach
  void openBrowser() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Path driver = Path.of("/usr/bin/chromedriver");
    if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
      throw new AssertionError("the dashboard is tested in Chromium: apt-get install chromium chromium-driver (.ci/run installs them)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--user-data-dir=" + Files.createTempDirectory("gitversion-chromium-"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver.toString())).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  /** The first element that {@code by} finds and that is {@code done}, waited for (the page re-renders its lists). */
  private WebElement await(String what, By by, java.util.function.Predicate<WebElement> done) {
    try {
      return new WebDriverWait(browser, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class).until(d -> {
        for (WebElement e : d.findElements(by)) {
          if (done.test(e)) {
            return e;
          }
        }
        return null;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(what + " did not happen; the page shows:\n" + browser.findElement(By.tagName("body")).getText(), e);
    }
  }

  /** Clicks the first element that {@code by} finds and that is {@code done}, found again if the page re-rendered it. */
  private void click(String what, By by, java.util.function.Predicate<WebElement> done) {
    new WebDriverWait(browser, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class).until(d -> {
      await(what, by, done).click();
      return true;
    });
  }

  @Test
  void aChangeInTheSourceAppearsWithoutReloadAndTheObjectBrowserShowsItSideBySide() throws Exception {
    TestDatabase source = TestDatabase.at(pipeline.source().toUriWithPassword());
    source.exec("CREATE TABLE items (id int PRIMARY KEY, name text)");
    browser.get(pipeline.dashboardUrl());
    await("the commit log lists the table", By.cssSelector("#commits tr"), row -> row.getText().contains("create table public.items"));
    await("the page listens for events", By.id("live"), e -> e.getText().equals("live"));
    ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

    source.exec("ALTER TABLE items ADD COLUMN price numeric");
    await("the change appears without a reload", By.cssSelector("#commits tr"), r -> r.getText().contains("alter table public.items"));
    assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"), "the page was not reloaded");
    click("the new commit", By.cssSelector("#commits tr"), r -> r.getText().contains("alter table public.items"));
    await("the commit's forward SQL", By.id("commit-sql"), e -> e.getText().contains("ADD COLUMN \"price\" numeric"));

    browser.findElement(By.cssSelector("nav button[data-tab=objects]")).click();
    browser.findElement(By.id("object-search")).sendKeys("item");
    click("the search finds the table", By.cssSelector("#objects tr"), r -> r.getText().startsWith("public.items table"));
    await("its two versions", By.cssSelector("#versions tr"), r -> r.getText().contains("v2"));
    WebElement added = await("the diff shows the new column on B's side", By.cssSelector("#diff-b .add"), e -> e.getText().contains("price"));
    assertTrue(added.getText().contains("numeric"), added.getText());
    List<WebElement> removed = browser.findElements(By.cssSelector("#diff-a .del"));
    assertTrue(removed.stream().noneMatch(e -> e.getText().contains("price")), "A (v1) has no price column");

    browser.findElement(By.cssSelector("nav button[data-tab=remotes]")).click();
    await("the remotes' status", By.cssSelector("#remotes tr"), r -> r.getText().startsWith("r1 following"));

    // a tenant of a template (the advanced module), created by the syncer, on its own tab
    Cli cli = new Cli(pipeline.dashboardUrl());
    cli.ok("modules", "enable", "advanced");
    source.exec("GRANT gitversion_syncer TO postgres", "CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY)");
    String kafka = "--kafka.bootstrap.servers=" + pipeline.bootstrapServers();
    cli.ok("tenants", "template", pipeline.source().toString(), "shop", kafka);
    cli.ok("tenants", "add", "acme", "--schema", "acme", kafka);
    Await.until("the tenant is created", java.time.Duration.ofSeconds(60),
        () -> "1".equals(String.valueOf(source.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'acme' AND tablename = 'items'"))));
    browser.findElement(By.cssSelector("nav button[data-tab=tenants]")).click();
    await("the tenants' status", By.cssSelector("#tenants tr"), r -> {
      if (!r.getText().startsWith("acme shop acme following")) {
        browser.findElement(By.cssSelector("nav button[data-tab=tenants]")).click(); // read again
        return false;
      }
      return true;
    });

    // a shard group's last check (the advanced module): r1 (named app: its database) changed by hand is the reference;
    // the source's cell (app-2) is marked
    TestDatabase.at(pipeline.remotes().get("r1").toUriWithPassword()).exec("COMMENT ON TABLE items IS 'changed by hand'");
    Cli.Result check = cli.withKafka(pipeline.bootstrapServers(), "shards", "check", pipeline.remotes().get("r1").toString(),
        pipeline.source().toString(), "--reference", "app");
    assertEquals(3, check.code(), check.out() + check.err());
    browser.findElement(By.cssSelector("nav button[data-tab=shards]")).click();
    await("the shard matrix", By.cssSelector("#shards .group"), e -> e.getText().contains(": 2 members") && e.getText().contains("reference app"));
    WebElement items = await("the table's row, the source's cell marked", By.cssSelector("#shards tbody tr"),
        r -> r.getText().startsWith("table public.items") && !r.findElements(By.cssSelector("td.differs")).isEmpty());
    assertEquals(8, items.findElement(By.cssSelector("td.differs")).getText().length(), items.getText());

    // a blue-green deployment (the advanced module) on its own tab, with both shapes' version schemas
    source.exec("CREATE TABLE shop.customers (id int PRIMARY KEY, name text)");
    java.nio.file.Path migration = java.nio.file.Files.createTempFile("bluegreen", ".sql");
    try {
      java.nio.file.Files.writeString(migration, "ALTER TABLE customers RENAME COLUMN name TO full_name;");
      cli.ok("bluegreen", "start", pipeline.source().toString(), "--schema", "shop", "--file", migration.toString(), kafka);
    } finally {
      java.nio.file.Files.delete(migration);
    }
    browser.findElement(By.cssSelector("nav button[data-tab=bluegreen]")).click();
    await("the deployment", By.cssSelector("#bluegreen tr"), r -> r.getText().startsWith("app.shop shop_v1 shop_v2 active")
        && r.getText().contains("rename column customers.name to full_name"));
  }
}
