package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.Assume;
import org.junit.Test;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 9's browser test: Debian's headless chromium, driven by Selenium through Debian's chromedriver, against
 * the packaged gateway as a process. A simulated cabinet and kiosk talk CoAP to it as real ones do. The operator
 * logs in on the console at {@code /}, watches a compartment change state live while a courier deposits (no
 * reload), sees the forced-open alarm arrive and acknowledges it, switches the language (remembered across a
 * reload), and the page fits a phone's width. A screenshot of the grid goes to {@code docs/images/console.png}.
 */
public class ConsoleIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void an_operator_watches_the_locker_live_acknowledges_an_alarm_and_switches_language() throws Exception {
        Assume.assumeTrue("ConsoleIT needs Debian's chromium and chromium-driver (/usr/bin/chromium,"
                + " /usr/bin/chromedriver): apt-get install chromium chromium-driver",
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));

        Path home = Gateway.prepare();
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) { // the demo's groups, couriers and accounts, without its traffic
                String name = file.getFileName().toString();
                if (name.startsWith("org.lockergate.core.") || name.startsWith("org.lockergate.identity.user-")) {
                    Files.copy(file, home.resolve("conf/config").resolve(name));
                }
            }
        }
        Gateway gateway = Gateway.start(home, home.resolveSibling("data"), Map.of()).awaitReady();
        SimulatedCabinet cabinet = null;
        SimulatedKiosk kiosk = null;
        WebDriver browser = null;
        try {
            cabinet = SimulatedCabinet.builder().cabinetId("g1-c1").groupId("g1").vendor("console-it")
                    .model("SIM-24").firmware("1.0.0").boot(1).compartments(CompartmentSpec.stock(24))
                    .gateway("coap://127.0.0.1:" + gateway.coapPort()).build();
            cabinet.start();
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(20))).as("cabinet registered").isTrue();
            kiosk = SimulatedKiosk.builder().kioskId("console-kiosk").groupId("g1")
                    .gateway("coap://127.0.0.1:" + gateway.coapPort()).build();
            kiosk.start();

            browser = chromium();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // tables re-render on updates
            JavascriptExecutor js = (JavascriptExecutor) browser;

            // 1. the page at / in Chinese, then login
            browser.get(gateway.baseUrl() + "/");
            assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
            assertThat(browser.getCurrentUrl()).isEqualTo(gateway.baseUrl() + "/");
            wait.until(d -> d.findElement(By.id("login-form")).isDisplayed());
            assertThat(browser.findElement(By.id("login-submit")).getText()).isEqualTo("登录");
            browser.findElement(By.id("login-user")).sendKeys("demo-admin");
            browser.findElement(By.id("login-password")).sendKeys("demo-admin-2026");
            browser.findElement(By.id("login-submit")).click();
            wait.until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
            wait.until(d -> d.findElements(By.cssSelector(".cell[data-group='g1']")).size() == 24);
            assertThat(cell(browser, "1").getText()).contains("空闲");

            // 2. a courier deposits at the kiosk: the compartment changes state on the open page, no reload
            js.executeScript("window.__sameDocument = 'yes';");
            SessionResult session = kiosk.signIn("JT-0001", "123456");
            assertThat(session.ok()).as(session.toString()).isTrue();
            DepositResult deposit = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800001234",
                    new Consent("app", "C-1", OffsetDateTime.now(), true), Declared.NONE);
            assertThat(deposit.ok()).as(deposit.toString()).isTrue();
            String label = deposit.compartment();
            wait.until(d -> List.of("RESERVED", "OPENING").contains(cell(d, label).getAttribute("data-state")));
            cabinet.putItem(label);
            cabinet.closeDoor(label);
            wait.until(d -> "OCCUPIED".equals(cell(d, label).getAttribute("data-state")));
            assertThat(cell(browser, label).getText()).contains("有件");
            assertThat(js.executeScript("return window.__sameDocument;")).as("updated in place").isEqualTo("yes");

            // 3. a door is forced open (not the one just unlocked for the deposit, which counts as commanded for a
            // while): the alarm arrives live; the operator acknowledges it
            String forced = label.equals("5") ? "6" : "5";
            assertThat(cabinet.openByForce(forced)).isTrue();
            browser.findElement(By.cssSelector("nav a[data-view='alarms']")).click();
            wait.until(d -> !d.findElements(By.xpath("//tbody[@id='alarm-rows']/tr[td[1]='柜门被撬']")).isEmpty());
            WebElement row = browser.findElement(By.xpath("//tbody[@id='alarm-rows']/tr[td[1]='柜门被撬']"));
            String alarmId = row.getAttribute("data-alarm-id");
            assertThat(row.getText()).contains("g1-c1").contains(forced);
            assertThat(browser.findElement(By.id("alarm-count")).getText()).isNotEmpty();
            row.findElement(By.cssSelector("button.ack")).click();
            if (acknowledgeEndpoint(gateway)) {
                wait.until(d -> d.findElement(By.cssSelector("tr[data-alarm-id='" + alarmId + "']"))
                        .getAttribute("class").contains("done"));
                assertThat(browser.findElement(By.cssSelector("tr[data-alarm-id='" + alarmId + "']")).getText())
                        .contains("已确认");
            } else {
                // this gateway has no POST /alarms/{id}/acknowledge yet (REST part of issue 9): the console says so
                wait.until(d -> d.findElement(By.id("message")).getText().contains("此网关版本未提供该功能"));
                System.out.println("ConsoleIT: no acknowledge endpoint in this build; checked the console's message");
            }

            // 3b. the forced door opened a maintenance ticket: the operator takes it and closes it with a resolution
            browser.findElement(By.cssSelector("nav a[data-view='maintenance']")).click();
            By ticket = By.cssSelector("tr.ticket[data-state='OPEN']");
            wait.until(d -> d.findElements(ticket).stream().anyMatch(r -> r.getText().contains("柜门被撬")));
            WebElement open = browser.findElements(ticket).stream().filter(r -> r.getText().contains("柜门被撬"))
                    .findFirst().orElseThrow();
            String ticketId = open.getAttribute("data-ticket-id");
            assertThat(open.getText()).contains("g1").contains(forced).contains("待处理");
            open.findElement(By.cssSelector("button.take")).click();
            By taken = By.cssSelector("tr.ticket[data-ticket-id='" + ticketId + "']");
            wait.until(d -> "TAKEN".equals(d.findElement(taken).getAttribute("data-state"))
                    && d.findElement(taken).getText().contains("处理中")
                    && d.findElement(taken).getText().contains("demo-admin"));
            wait.until(d -> {
                WebElement takenRow = d.findElement(taken);
                takenRow.findElement(By.cssSelector("input.resolution")).sendKeys("门锁已检查，已关好");
                takenRow.findElement(By.cssSelector("button.close")).click();
                return true;
            });
            wait.until(d -> d.findElements(taken).isEmpty());
            JsonNode closed = JSON.readTree(gateway.get("/api/v1/maintenance/tickets/" + ticketId, DemoTraffic.adminToken(gateway))
                    .body());
            assertThat(closed.get("state").asText()).isEqualTo("CLOSED");
            assertThat(closed.get("resolution").asText()).isEqualTo("门锁已检查，已关好");

            // 4. the other pages render from what this gateway serves, without a script error
            browser.findElement(By.cssSelector("nav a[data-view='bundles']")).click();
            wait.until(d -> d.findElement(By.id("bundle-rows")).getText().contains("org.lockergate.console"));
            browser.findElement(By.cssSelector("nav a[data-view='stats']")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#chart-deposits svg rect.bar")).isEmpty());
            assertThat(browser.findElement(By.id("stats-table")).getText()).contains("JT");
            for (String view : List.of("parcels", "overdue", "audit")) {
                browser.findElement(By.cssSelector("nav a[data-view='" + view + "']")).click();
                wait.until(d -> d.findElement(By.id("view-" + view)).isDisplayed());
            }
            List<String> scriptErrors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage)
                    .filter(m -> !m.contains("Failed to load resource")) // the answers the page itself handles
                    .toList();
            assertThat(scriptErrors).as("script errors in the console").isEmpty();

            // 5. the screenshot for the docs: the grid with occupied compartments
            for (int i = 0; i < 3; i++) {
                DepositResult more = kiosk.deposit(session, "JT" + System.nanoTime(), i == 0 ? Size.M : Size.S,
                        "1380000567" + i, new Consent("app", "C-1", OffsetDateTime.now(), true), Declared.NONE);
                assertThat(more.ok()).as(more.toString()).isTrue();
                cabinet.putItem(more.compartment());
                cabinet.closeDoor(more.compartment());
            }
            browser.findElement(By.cssSelector("nav a[data-view='grid']")).click();
            wait.until(d -> d.findElement(By.id("view-grid")).isDisplayed()
                    && d.findElements(By.cssSelector(".cell[data-state='OCCUPIED']")).size() == 4);
            wait.until(d -> d.findElement(By.cssSelector(".group[data-group='g1'] .summary")).getText()
                    .contains("有件 4")); // the group's counts follow the live changes too
            Path shot = Path.of(System.getProperty("lockergate.docs", "../docs")).resolve("images/console.png");
            Files.createDirectories(shot.getParent());
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
                    StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(shot)).isPositive();

            // 6. English, remembered across a reload; the page fits a phone
            browser.findElement(By.id("lang-switch")).click();
            assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
            assertThat(browser.findElement(By.cssSelector("nav a[data-view='grid']")).getText()).isEqualTo("Compartments");
            assertThat(cell(browser, label).getText()).contains("Occupied");
            browser.manage().window().setSize(new Dimension(390, 844));
            assertThat((Boolean) js.executeScript("return document.documentElement.scrollWidth"
                    + " <= document.documentElement.clientWidth + 1;")).as("no sideways scrolling on a phone").isTrue();
            browser.navigate().refresh();
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
            assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
            assertThat(browser.getTitle()).isEqualTo("LockerGate console");
            // with the REST work's session cookie the reload resumes the session; with a bearer token only
            // (kept in memory) it asks to log in again: either way in English
            boolean resumed = browser.findElement(By.id("app")).isDisplayed();
            By visible = resumed ? By.cssSelector("nav a[data-view='grid']") : By.id("login-submit");
            assertThat(browser.findElement(visible).getText()).isEqualTo(resumed ? "Compartments" : "Sign in");
            browser.findElement(By.id("lang-switch")).click();
            assertThat(browser.findElement(visible).getText()).isEqualTo(resumed ? "格口" : "登录");
            assertThat(browser.getTitle()).isEqualTo("LockerGate 控制台");
            System.out.println("ConsoleIT: after the reload the session was " + (resumed ? "resumed" : "not kept"));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            if (kiosk != null) {
                kiosk.close();
            }
            if (cabinet != null) {
                cabinet.close();
            }
            gateway.close();
        }
    }

    private static WebElement cell(WebDriver browser, String label) {
        return browser.findElement(By.cssSelector(".cell[data-group='g1'][data-label='" + label + "']"));
    }

    /** Whether the gateway serves the alarm acknowledgement (its OpenAPI description lists every path). */
    private static boolean acknowledgeEndpoint(Gateway gateway) throws Exception {
        HttpResponse<String> answer = gateway.get("/api/v1/openapi.json", null);
        JsonNode paths = JSON.readTree(answer.body()).path("paths");
        return paths.has("/alarms/{alarmId}/ack") || paths.has("/alarms/{alarmId}/acknowledge");
    }

    /** Headless chromium that makes no connection of its own (the network here refuses them anyway). */
    private static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory("console-it-chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
