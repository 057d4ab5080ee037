package io.swarmshop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.testing.Fixtures;
import io.swarmshop.testing.FreePorts;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.Started;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract, docs/openapi.yaml, against the running system: every operation gets good and bad
 * requests through the gateway, and through three more gateways whose instances break their answers
 * off, never answer, or are not there (502, 504, 503). Each answer's status must be one the document
 * lists for its operation, its media type and body must match what the document says of that status,
 * a request answered 2xx must match the request body's schema, and every status the document lists is
 * seen. docs/api.md sums the contract up: its tables may list no status the document does not, and
 * the routes they list outside the document (the webapp's pages, the 404 of unknown API paths) are
 * held to their rows.
 */
@ExtendWith(VertxExtension.class)
class ApiContractTest {
  private static final Pattern ROUTE = Pattern.compile("`(GET|POST|PUT|DELETE) (/[^`]*)`");
  private static final Pattern STATUS = Pattern.compile("\\b([1-5]\\d\\d)\\b");
  private static final Contract CONTRACT = ContractCheck.CONTRACT;
  /** Holds what the broken gateways answer to the contract, as the system's own check does for its gateway. */
  private static final ContractCheck BROKEN_ANSWERS = new ContractCheck();
  private static final Started STARTED = new Started();
  private static LocalSystem system;
  private static Http http;
  /** Gateways whose every instance breaks its answers off, never answers, or is not there. */
  private static final Map<String, Http> BROKEN = new LinkedHashMap<>();
  private static final List<HttpServer> INSTANCES = new ArrayList<>();

  /** One request the test sends: its method, a concrete path, and a body (null for none). */
  private record Probe(HttpMethod method, String path, String body, MultiMap headers) {
    static Probe of(HttpMethod method, String path, String body) {
      return new Probe(method, path, body, MultiMap.caseInsensitiveMultiMap());
    }
  }

  @BeforeAll
  static void start(Vertx vertx) {
    system = new LocalSystem();
    http = system.gateway(vertx);
    HttpServer breaking = Http.await(vertx.createHttpServer().requestHandler(request -> {
      request.response().putHeader("Content-Length", "100").write("{\"partial\":");
      request.connection().close();
    }).listen(FreePorts.find(), "127.0.0.1"));
    HttpServer silent = Http.await(vertx.createHttpServer().requestHandler(request -> { }).listen(FreePorts.find(), "127.0.0.1"));
    INSTANCES.add(breaking);
    INSTANCES.add(silent);
    BROKEN.put("breaking", brokenGateway(vertx, "http://127.0.0.1:" + breaking.actualPort()));
    BROKEN.put("silent", brokenGateway(vertx, "http://127.0.0.1:" + silent.actualPort()));
    BROKEN.put("gone", brokenGateway(vertx, "http://127.0.0.1:" + FreePorts.find()));
  }

  private static Http brokenGateway(Vertx vertx, String url) {
    Map<String, String> settings = new HashMap<>();
    for (String service : List.of("CUSTOMERS", "PRODUCTS", "INVOICES", "WEBAPP")) {
      settings.put(service + "_URLS", url);
      settings.put(service + "_TIMEOUT_MS", "300");
    }
    // Every answer must come from the instance itself, not from a circuit opened by the ones before.
    settings.put("INSTANCE_MAX_FAILURES", "1000");
    return new Http(vertx, STARTED.service("gateway", io.swarmshop.gateway.Main::application, settings).httpPort(), BROKEN_ANSWERS);
  }

  @AfterAll
  static void stop() {
    STARTED.close();
    INSTANCES.forEach(server -> Http.await(server.close()));
    if (system != null) {
      system.close();
    }
  }

  /** "METHOD /path" of each route docs/api.md lists, with the statuses its row lists. */
  private static Map<String, Set<Integer>> summarisedRoutes() throws IOException {
    Map<String, Set<Integer>> routes = new LinkedHashMap<>();
    String document = Files.readString(Path.of("..", "docs", "api.md"));
    String gatewayRoutes = document.substring(0, document.indexOf("## Every service, on its management port"));
    for (String row : gatewayRoutes.lines().filter(line -> line.startsWith("| `")).toList()) {
      String[] cells = row.split("\\|");
      Set<Integer> statuses = new TreeSet<>();
      Matcher status = STATUS.matcher(cells[cells.length - 1]);
      while (status.find()) {
        statuses.add(Integer.parseInt(status.group(1)));
      }
      Matcher route = ROUTE.matcher(cells[1]);
      while (route.find()) {
        routes.put(route.group(1) + " " + route.group(2), statuses);
      }
    }
    return routes;
  }

  /** The requests sent to each documented route: the ones that should work and the ones that should be refused. */
  private static Map<String, List<Probe>> probes() {
    Fixtures fixtures = Fixtures.throughGateway(http);
    JsonObject customer = fixtures.customer("Contract Ada", "London");
    JsonObject product = fixtures.product("Contract pen", "2.50");
    String invoice = Fixtures.created(http.post("/api/invoices", Fixtures.order(customer, product, 2))).getString("id");
    String doomedCustomer = fixtures.customer("Doomed").getString("id");
    String doomedProduct = fixtures.product("Doomed", "1").getString("id");
    String order = Fixtures.order(customer, product, 1).encode();
    String big = "{\"name\":\"" + "a".repeat(70 * 1024) + "\"}";
    MultiMap keyed = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "contract-1");
    MultiMap plainText = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain");
    Map<String, List<Probe>> probes = new LinkedHashMap<>();
    for (String resource : List.of("customers", "products")) {
      String body = resource.equals("customers") ? "{\"name\":\"Grace\"}" : "{\"name\":\"Ink\",\"price\":1.25}";
      String id = resource.equals("customers") ? customer.getString("id") : product.getString("id");
      String doomed = resource.equals("customers") ? doomedCustomer : doomedProduct;
      probes.put("POST /api/" + resource, List.of(Probe.of(HttpMethod.POST, "/api/" + resource, body),
        Probe.of(HttpMethod.POST, "/api/" + resource, "{\"name\":\"\"}"), Probe.of(HttpMethod.POST, "/api/" + resource, big),
        new Probe(HttpMethod.POST, "/api/" + resource, body, plainText)));
      probes.put("GET /api/" + resource, List.of(Probe.of(HttpMethod.GET, "/api/" + resource + "?limit=2", null),
        Probe.of(HttpMethod.GET, "/api/" + resource + "?limit=0", null), Probe.of(HttpMethod.GET, "/api/" + resource + "?cursor=forged", null)));
      probes.put("GET /api/" + resource + "/{id}", List.of(Probe.of(HttpMethod.GET, "/api/" + resource + "/" + id, null),
        Probe.of(HttpMethod.GET, "/api/" + resource + "/no-such-id", null), Probe.of(HttpMethod.GET, "/api/" + resource + "/a*b", null)));
      probes.put("PUT /api/" + resource + "/{id}", List.of(Probe.of(HttpMethod.PUT, "/api/" + resource + "/" + id, body),
        Probe.of(HttpMethod.PUT, "/api/" + resource + "/" + id, "{\"name\":7}"), Probe.of(HttpMethod.PUT, "/api/" + resource + "/no-such-id", body),
        Probe.of(HttpMethod.PUT, "/api/" + resource + "/" + id, big),
        new Probe(HttpMethod.PUT, "/api/" + resource + "/" + id, body, plainText)));
      probes.put("DELETE /api/" + resource + "/{id}", List.of(Probe.of(HttpMethod.DELETE, "/api/" + resource + "/" + doomed, null),
        Probe.of(HttpMethod.DELETE, "/api/" + resource + "/" + doomed, null)));
    }
    probes.put("POST /api/invoices", List.of(Probe.of(HttpMethod.POST, "/api/invoices", order),
      new Probe(HttpMethod.POST, "/api/invoices", order, keyed), new Probe(HttpMethod.POST, "/api/invoices", order, keyed),
      new Probe(HttpMethod.POST, "/api/invoices", Fixtures.order(customer, product, 9).encode(), keyed),
      Probe.of(HttpMethod.POST, "/api/invoices", order.replace(customer.getString("id"), "nobody")),
      Probe.of(HttpMethod.POST, "/api/invoices", "{\"quantity\":0}"), Probe.of(HttpMethod.POST, "/api/invoices", big),
      new Probe(HttpMethod.POST, "/api/invoices", order, plainText)));
    probes.put("GET /api/invoices", List.of(Probe.of(HttpMethod.GET, "/api/invoices?customerId=" + customer.getString("id"), null),
      Probe.of(HttpMethod.GET, "/api/invoices?customerId=a*b", null), Probe.of(HttpMethod.GET, "/api/invoices?limit=501", null)));
    probes.put("GET /api/invoices/{id}", List.of(Probe.of(HttpMethod.GET, "/api/invoices/" + invoice, null),
      Probe.of(HttpMethod.GET, "/api/invoices/no-such-invoice", null)));
    probes.put("PUT /api/invoices/{id}", List.of(Probe.of(HttpMethod.PUT, "/api/invoices/" + invoice, order)));
    probes.put("DELETE /api/invoices/{id}", List.of(Probe.of(HttpMethod.DELETE, "/api/invoices/" + invoice, null)));
    probes.put("GET /api/status", List.of(Probe.of(HttpMethod.GET, "/api/status", null)));
    for (String form : List.of("json", "yaml")) {
      String path = "/api/openapi." + form;
      MultiMap held = MultiMap.caseInsensitiveMultiMap().add("If-None-Match", http.get(path).getHeader("ETag"));
      probes.put("GET " + path, List.of(Probe.of(HttpMethod.GET, path, null), new Probe(HttpMethod.GET, path, null, held)));
    }
    probes.put("GET /docs", List.of(Probe.of(HttpMethod.GET, "/docs", null), Probe.of(HttpMethod.GET, "/docs/swagger-ui/swagger-ui.css", null)));
    probes.put("GET /api/{anything else}", List.of(Probe.of(HttpMethod.GET, "/api/nothing", null), Probe.of(HttpMethod.GET, "/api/nothing/else", null)));
    probes.put("GET /", List.of(Probe.of(HttpMethod.GET, "/", null), Probe.of(HttpMethod.GET, "/assets/app.js", null)));
    return probes;
  }

  @Test
  void theSummaryListsNoStatusTheContractDoesNot() throws IOException {
    Map<String, Set<Integer>> contract = CONTRACT.routes();
    Map<String, Set<Integer>> summary = summarisedRoutes();
    assertTrue(summary.keySet().containsAll(contract.keySet()), "docs/api.md lists every operation of the contract: " + contract.keySet());
    contract.forEach((route, statuses) -> assertTrue(statuses.containsAll(summary.get(route)),
      "docs/api.md lists " + summary.get(route) + " for " + route + ", the contract " + statuses));
  }

  @Test
  void everyRouteAnswersOnlyWhatTheContractSaysAndEveryStatusItListsIsSeen() throws IOException {
    Map<String, Set<Integer>> contract = CONTRACT.routes();
    Map<String, Set<Integer>> summary = summarisedRoutes();
    Map<String, List<Probe>> probes = probes();
    assertEquals(summary.keySet(), probes.keySet(), "the routes docs/api.md lists, and those this test sends requests to");
    Map<String, Set<Integer>> seen = new TreeMap<>();
    probes.forEach((route, requests) -> {
      for (Probe probe : requests) {
        seen.computeIfAbsent(route, r -> new TreeSet<>()).add(status(http, probe));
      }
      if (contract.containsKey(route) && contract.get(route).contains(502)) {
        BROKEN.values().forEach(gateway -> seen.get(route).add(status(gateway, requests.get(0))));
      }
    });
    assertEquals(List.of(), system.contractProblems());
    assertEquals(List.of(), BROKEN_ANSWERS.problems());
    contract.forEach((route, statuses) -> assertEquals(statuses, seen.get(route), route + ": the statuses the contract lists, and those seen"));
    summary.forEach((route, statuses) -> {
      if (!contract.containsKey(route)) {
        assertTrue(statuses.containsAll(seen.get(route)), route + " answered " + seen.get(route) + ", docs/api.md lists " + statuses);
        if (statuses.stream().anyMatch(status -> status < 300)) {
          assertTrue(seen.get(route).stream().anyMatch(status -> status < 300), route + ": at least one request succeeds, got " + seen.get(route));
        }
      }
    });
  }

  private static int status(Http gateway, Probe probe) {
    return gateway.send(probe.method(), probe.path(), probe.body(), probe.headers()).statusCode();
  }
}
