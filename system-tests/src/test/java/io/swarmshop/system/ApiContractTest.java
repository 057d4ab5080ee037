package io.swarmshop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.testing.Fixtures;
import io.swarmshop.testing.Http;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/api.md against the running system: every route its tables list gets good and bad requests
 * through the gateway, and each answer's status must be one the document lists for that route.
 */
@ExtendWith(VertxExtension.class)
class ApiContractTest {
  private static final Pattern ROUTE = Pattern.compile("`(GET|POST|PUT|DELETE) (/[^`]*)`");
  private static final Pattern STATUS = Pattern.compile("\\b([1-5]\\d\\d)\\b");
  private static LocalSystem system;
  private static Http http;

  /** One request the test sends: its method, a concrete path, and a body (null for none). */
  private record Probe(HttpMethod method, String path, String body, MultiMap headers) {
    static Probe of(HttpMethod method, String path, String body) {
      return new Probe(method, path, body, MultiMap.caseInsensitiveMultiMap());
    }
  }

  @BeforeAll
  static void start(Vertx vertx) {
    system = new LocalSystem();
    http = new Http(vertx, system.gatewayPort());
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  /** "METHOD /path" of each documented route, with the statuses its row lists. */
  private static Map<String, Set<Integer>> documentedRoutes() throws IOException {
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
    probes.put("GET /api/openapi.json", List.of(Probe.of(HttpMethod.GET, "/api/openapi.json", null)));
    probes.put("GET /api/openapi.yaml", List.of(Probe.of(HttpMethod.GET, "/api/openapi.yaml", null)));
    probes.put("GET /docs", List.of(Probe.of(HttpMethod.GET, "/docs", null), Probe.of(HttpMethod.GET, "/docs/swagger-ui/swagger-ui.css", null)));
    probes.put("GET /api/{anything else}", List.of(Probe.of(HttpMethod.GET, "/api/nothing", null), Probe.of(HttpMethod.GET, "/api/nothing/else", null)));
    probes.put("GET /", List.of(Probe.of(HttpMethod.GET, "/", null), Probe.of(HttpMethod.GET, "/assets/app.js", null)));
    return probes;
  }

  @Test
  void everyDocumentedRouteAnswersOnlyWhatTheDocumentLists() throws IOException {
    Map<String, Set<Integer>> documented = documentedRoutes();
    Map<String, List<Probe>> probes = probes();
    assertEquals(documented.keySet(), probes.keySet(), "the routes docs/api.md lists, and those this test sends requests to");
    probes.forEach((route, requests) -> {
      Set<Integer> seen = new TreeSet<>();
      for (Probe probe : requests) {
        HttpResponse<Buffer> answer = http.send(probe.method(), probe.path(), probe.body(), probe.headers());
        seen.add(answer.statusCode());
        assertTrue(documented.get(route).contains(answer.statusCode()), probe.method() + " " + probe.path() + " answered "
          + answer.statusCode() + ", which docs/api.md does not list for " + route + " " + documented.get(route) + ": " + answer.bodyAsString());
      }
      if (documented.get(route).stream().anyMatch(status -> status < 300)) {
        assertTrue(seen.stream().anyMatch(status -> status < 300), route + ": at least one request succeeds, got " + seen);
      }
    });
  }
}
