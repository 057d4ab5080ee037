package io.swarmshop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;

/**
 * The customers, products and orders the tests create, through the services themselves ({@code prefix}
 * empty) or through the gateway ({@code prefix} {@code /api}); each creation must be answered 201.
 */
public record Fixtures(Http customers, Http products, String prefix) {
  public static Fixtures direct(Http customers, Http products) {
    return new Fixtures(customers, products, "");
  }

  public static Fixtures throughGateway(Http gateway) {
    return new Fixtures(gateway, gateway, "/api");
  }

  public JsonObject customer(String name) {
    return created(customers.post(prefix + "/customers", new JsonObject().put("name", name)));
  }

  public JsonObject customer(String name, String address) {
    return created(customers.post(prefix + "/customers", new JsonObject().put("name", name).put("address", address)));
  }

  /** A product at an exact price, written as given ("19.99"). */
  public JsonObject product(String name, String price) {
    return created(products.post(prefix + "/products", new JsonObject().put("name", name).put("price", new BigDecimal(price))));
  }

  public static JsonObject order(JsonObject customer, JsonObject product, long quantity) {
    return new JsonObject().put("customerId", customer.getString("id")).put("productId", product.getString("id")).put("quantity", quantity);
  }

  public static JsonObject created(HttpResponse<Buffer> response) {
    assertEquals(201, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }
}
