package io.swarmshop.products;

import io.swarmshop.crud.CrudRoutes;
import io.swarmshop.http.JsonBody;
import io.swarmshop.http.Responses;
import io.swarmshop.redis.EntityStore;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A product: a name and a unit price, stored in integer cents. */
final class ProductResource implements CrudRoutes.Resource {
  static final long MAX_PRICE = 1_000_000;

  @Override
  public String singular() {
    return "product";
  }

  @Override
  public Set<String> bodyFields() {
    return Set.of("name", "price");
  }

  @Override
  public Map<String, String> read(JsonBody body) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", body.string("name", 1, 200, true));
    fields.put("priceCents", String.valueOf(body.cents("price", MAX_PRICE)));
    return fields;
  }

  @Override
  public void render(EntityStore.Entity entity, JsonObject answer) {
    answer.put("name", entity.field("name")).put("price", Responses.money(Long.parseLong(entity.field("priceCents"))));
  }
}
