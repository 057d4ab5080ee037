package io.swarmshop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.testing.Http;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The webapp in headless Chromium (Debian's chromium and chromedriver), against the whole system
 * behind the gateway. Screenshots of each page are left in target/screenshots/.
 */
@ExtendWith(VertxExtension.class)
class WebappBrowserTest {
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static LocalSystem system;
  private static ChromeDriver browser;
  private static WebDriverWait wait;
  private static Http api;
  private static AlertmanagerServer alertmanager;

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    for (String needed : List.of("/usr/bin/chromium", "/usr/bin/chromedriver")) {
      assertTrue(new File(needed).canExecute(), needed + " is missing: install the Debian packages chromium and chromium-driver (scripts/test.sh does)");
    }
    Files.createDirectories(SCREENSHOTS);
    alertmanager = new AlertmanagerServer();
    system = new LocalSystem(Map.of("ALERTMANAGER_URL", alertmanager.url()), 10);
    api = system.gateway(vertx);
    ChromeOptions options = new ChromeOptions()
      .setBinary("/usr/bin/chromium")
      .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--disable-gpu");
    // The console, so that a page blocked by its Content-Security-Policy fails the test.
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    List<String> contractProblems = system == null ? List.of() : system.contractProblems();
    if (system != null) {
      system.close();
    }
    if (alertmanager != null) {
      alertmanager.close();
    }
    assertEquals(List.of(), contractProblems, "every answer through the gateway is one the contract allows");
  }

  private static void open(String page) {
    browser.get("http://127.0.0.1:" + system.gatewayPort() + "/#/" + page);
    browser.navigate().refresh();
  }

  private static void screenshot(String name) throws IOException {
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static WebElement rowContaining(String tableId, String text) {
    By row = By.xpath("//table[@id='" + tableId + "']//tr[td[normalize-space()='" + text + "']]");
    return wait.until(ExpectedConditions.visibilityOfElementLocated(row));
  }

  private static void type(WebElement form, String name, String text) {
    WebElement input = form.findElement(By.name(name));
    input.clear();
    input.sendKeys(text);
  }

  @Test
  void issuesAnInvoiceShowsErrorsAndTheCluster() throws IOException {
    open("customers");
    WebElement customerForm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("customer-form")));
    type(customerForm, "name", "Grace Hopper");
    type(customerForm, "address", "Arlington, Virginia");
    customerForm.findElement(By.cssSelector("button[type=submit]")).click();
    rowContaining("customers-table", "Grace Hopper");

    type(customerForm, "name", "  ");
    customerForm.findElement(By.cssSelector("button[type=submit]")).click();
    WebElement nameError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#customer-form .form-error")));
    assertTrue(nameError.getText().contains("invalid fields"), nameError.getText());
    assertEquals("must not be blank", customerForm.findElement(By.cssSelector(".field-error[data-field=name]")).getText());

    rowContaining("customers-table", "Grace Hopper").findElement(By.cssSelector("button.edit")).click();
    type(customerForm, "name", "Grace B. Hopper");
    customerForm.findElement(By.cssSelector("button[type=submit]")).click();
    rowContaining("customers-table", "Grace B. Hopper");
    api.post("/api/customers", new JsonObject().put("name", "Temporary"));
    open("customers");
    rowContaining("customers-table", "Temporary").findElement(By.cssSelector("button.delete")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.xpath("//table[@id='customers-table']//td[normalize-space()='Temporary']")));
    screenshot("customers");

    open("products");
    WebElement productForm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("product-form")));
    type(productForm, "name", "Compiler");
    type(productForm, "price", "19.99");
    productForm.findElement(By.cssSelector("button[type=submit]")).click();
    assertEquals("19.99", rowContaining("products-table", "Compiler").findElements(By.tagName("td")).get(1).getText());
    screenshot("products");

    String doomedId = api.post("/api/products", new JsonObject().put("name", "Doomed").put("price", 5)).bodyAsJsonObject().getString("id");
    open("invoices");
    WebElement invoiceForm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invoice-form")));
    wait.until(driver -> new Select(invoiceForm.findElement(By.name("productId"))).getOptions().size() >= 3);
    new Select(invoiceForm.findElement(By.name("customerId"))).selectByVisibleText("Grace B. Hopper");
    new Select(invoiceForm.findElement(By.name("productId"))).selectByVisibleText("Compiler (19.99)");
    type(invoiceForm, "quantity", "3");
    assertEquals("59.97", browser.findElement(By.id("invoice-total-preview")).getText());
    invoiceForm.findElement(By.cssSelector("button[type=submit]")).click();
    WebElement invoiceRow = rowContaining("invoices-table", "Compiler");
    List<WebElement> cells = invoiceRow.findElements(By.tagName("td"));
    assertEquals("Grace B. Hopper", cells.get(1).getText());
    assertEquals("3", cells.get(3).getText());
    assertEquals("59.97", cells.get(5).getText());
    screenshot("invoices");

    assertEquals(204, api.delete("/api/products/" + doomedId).statusCode());
    new Select(invoiceForm.findElement(By.name("productId"))).selectByVisibleText("Doomed (5.00)");
    invoiceForm.findElement(By.cssSelector("button[type=submit]")).click();
    WebElement problem = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#invoice-form .form-error")));
    assertTrue(problem.getText().contains("does not exist"), problem.getText());
    assertEquals("no product has this id", invoiceForm.findElement(By.cssSelector(".field-error[data-field=productId]")).getText());
    screenshot("invoice-error");

    open("cluster");
    wait.until(driver -> driver.findElements(By.cssSelector("#cluster-nodes tr.instance")).size() == 6);
    wait.until(driver -> driver.findElement(By.id("recent-table")).getText().contains("customers@customers-"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#cluster-alerts .no-alerts")));
    // As the visualizer shows tasks: each customers replica under the node it runs on.
    wait.until(driver -> driver.findElements(By.cssSelector(".node[data-node=node-2] tr.instance")).size() == 1);
    assertEquals(List.of("customers"), browser.findElements(By.cssSelector(".node[data-node=node-2] tr.instance")).stream()
      .map(row -> row.getAttribute("data-service")).toList());
    assertEquals(4, browser.findElements(By.cssSelector(".node[data-node=node-1] tr.instance")).size());
    assertEquals(List.of("customers-canary"), browser.findElements(By.cssSelector(".node[data-node=node-3] tr.instance")).stream()
      .map(row -> row.getAttribute("data-service")).toList());
    assertTrue(browser.findElements(By.cssSelector("#cluster-nodes td.healthy")).size() >= 6);
    // Each track's share: customers' canary takes a tenth.
    WebElement track = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#cluster-tracks tr.track[data-service=customers]")));
    assertEquals("90 %", track.findElement(By.cssSelector(".stable-weight")).getText());
    assertEquals("10 %", track.findElement(By.cssSelector(".canary-weight")).getText());

    alertmanager.fire(new JsonArray().add(new JsonObject()
      .put("labels", new JsonObject().put("alertname", "InstanceDown").put("severity", "critical").put("service", "customers"))
      .put("annotations", new JsonObject().put("summary", "services target 10.0.0.7:9000 (customers) does not answer"))));
    WebElement fired = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#cluster-alerts tr.alert[data-alert=InstanceDown]")));
    assertTrue(fired.getText().contains("critical") && fired.getText().contains("(customers) does not answer"), fired.getText());
    screenshot("cluster");
  }

  @Test
  void theApiPageListsEveryRouteOfTheContract() throws IOException {
    Set<String> routes = ContractCheck.CONTRACT.routes().keySet();

    browser.get("http://127.0.0.1:" + system.gatewayPort() + "/docs");
    wait.until(driver -> driver.findElements(By.cssSelector(".opblock")).size() >= routes.size());
    Set<String> shown = new TreeSet<>();
    for (WebElement operation : browser.findElements(By.cssSelector(".opblock"))) {
      shown.add(operation.findElement(By.cssSelector(".opblock-summary-method")).getText() + " "
        + operation.findElement(By.cssSelector(".opblock-summary-path")).getAttribute("data-path"));
    }
    assertEquals(routes, shown);
    assertTrue(browser.findElement(By.cssSelector(".info .title")).getText().startsWith("Swarmshop"));
    List<String> blocked = browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
      .filter(message -> message.contains("Content Security Policy") || message.contains("Content-Security-Policy")).toList();
    assertEquals(List.of(), blocked, "nothing on the API page is blocked by its policy");
    screenshot("api");
  }
}
