package io.swarmshop.products;

import static io.swarmshop.testing.ProblemAnswers.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmshop.testing.Http;
import io.swarmshop.testing.Started;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The products service: prices are exact money, validated to the cent. */
@ExtendWith(VertxExtension.class)
class ProductsApiTest {
  private static final Started started = new Started();
  private static Http http;

  @BeforeAll
  static void start(Vertx vertx) {
    http = new Http(vertx, started.serviceWithRedis("products", Main::application, Map.of()).httpPort());
  }

  @AfterAll
  static void stop() {
    started.close();
  }

  private static int count() {
    return http.get("/products?limit=500").bodyAsJsonObject().getJsonArray("items").size();
  }

  @ParameterizedTest(name = "price {0} is kept as {1}")
  @CsvSource({"19.99, 19.99", "0, 0.00", "1E+2, 100.00", "1000000, 1000000.00"})
  void keepsThePriceExactly(String written, String expected) {
    HttpResponse<Buffer> created = http.send(HttpMethod.POST, "/products", "{\"name\":\"Widget\",\"price\":" + written + "}",
      MultiMap.caseInsensitiveMultiMap());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("\"price\":" + expected, created.bodyAsString().replaceAll(".*(\"price\":[0-9.]+).*", "$1"));
    String id = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> read = http.get("/products/" + id);
    assertEquals("\"price\":" + expected, read.bodyAsString().replaceAll(".*(\"price\":[0-9.]+).*", "$1"));
    assertEquals("/products/" + id, created.getHeader("Location"));
  }

  @ParameterizedTest(name = "price {0} is refused")
  @CsvSource(delimiter = '|', value = {"1.005", "-0.01", "1000000.01", "\"3\""})
  void refusesABadPriceAndStoresNothing(String written) {
    int before = count();
    HttpResponse<Buffer> response = http.send(HttpMethod.POST, "/products", "{\"name\":\"Widget\",\"price\":" + written + "}",
      MultiMap.caseInsensitiveMultiMap());
    assertEquals("price", assertProblem(response, 400).getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals(before, count());
  }

  @Test
  void requiresAPrice() {
    HttpResponse<Buffer> response = http.post("/products", new JsonObject().put("name", "Free?"));
    assertEquals(400, response.statusCode());
    assertEquals("price", response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"));
  }

  @Test
  void replacesNameAndPrice() {
    String id = http.post("/products", new JsonObject().put("name", "Old").put("price", 1.5)).bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> replaced = http.put("/products/" + id, new JsonObject().put("name", "New").put("price", 2.25));
    assertEquals(200, replaced.statusCode());
    assertEquals("New", http.get("/products/" + id).bodyAsJsonObject().getString("name"));
    assertEquals(2.25, http.get("/products/" + id).bodyAsJsonObject().getDouble("price"));
    assertEquals(204, http.delete("/products/" + id).statusCode());
    assertEquals(404, http.get("/products/" + id).statusCode());
  }
}
