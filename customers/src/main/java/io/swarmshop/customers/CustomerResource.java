package io.swarmshop.customers;

import io.swarmshop.crud.CrudRoutes;
import io.swarmshop.http.JsonBody;
import io.swarmshop.redis.EntityStore;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A customer: a name and a postal address. */
final class CustomerResource implements CrudRoutes.Resource {
  @Override
  public String singular() {
    return "customer";
  }

  @Override
  public Set<String> bodyFields() {
    return Set.of("name", "address");
  }

  @Override
  public Map<String, String> read(JsonBody body) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", body.string("name", 1, 200, true));
    fields.put("address", body.string("address", 0, 500, false));
    return fields;
  }

  @Override
  public void render(EntityStore.Entity entity, JsonObject answer) {
    answer.put("name", entity.field("name")).put("address", entity.field("address"));
  }
}
