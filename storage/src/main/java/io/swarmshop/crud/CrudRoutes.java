package io.swarmshop.crud;

import io.swarmshop.http.Ids;
import io.swarmshop.http.JsonBody;
import io.swarmshop.http.JsonRequests;
import io.swarmshop.http.PageRequest;
import io.swarmshop.http.Responses;
import io.swarmshop.redis.EntityStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Create, list, read, replace and delete for a simple resource (customers, products), which differs
 * only in its fields: how a body is read into stored fields, and how stored fields are shown.
 */
public final class CrudRoutes {
  /** One kind of simple resource. */
  public interface Resource {
    /** The singular name, used in paths' messages ("customer"). */
    String singular();

    Set<String> bodyFields();

    /** Reads a validated body into the fields to store (all strings); records errors on {@code body}. */
    Map<String, String> read(JsonBody body);

    /** Puts the resource's own fields of a stored entity into its answer, between its id and its time stamps. */
    void render(EntityStore.Entity entity, JsonObject answer);
  }

  private final String path;
  private final Resource resource;
  private final EntityStore store;

  private CrudRoutes(String path, Resource resource, EntityStore store) {
    this.path = path;
    this.resource = resource;
    this.store = store;
  }

  public static void mount(Router router, String path, Resource resource, EntityStore store) {
    CrudRoutes routes = new CrudRoutes(path, resource, store);
    JsonRequests.accepting(router.post(path)).handler(routes::create);
    router.get(path).handler(routes::list);
    router.get(path + "/:id").handler(routes::get);
    JsonRequests.accepting(router.put(path + "/:id")).handler(routes::replace);
    router.delete(path + "/:id").handler(routes::delete);
  }

  private Map<String, String> readBody(RoutingContext ctx) {
    JsonBody body = JsonBody.parse(ctx.body().buffer()).allowOnly(resource.bodyFields());
    Map<String, String> fields = resource.read(body);
    body.validate();
    return fields;
  }

  private void create(RoutingContext ctx) {
    Map<String, String> fields = new LinkedHashMap<>();
    String id = Ids.random();
    String now = Responses.now();
    fields.put("id", id);
    fields.putAll(readBody(ctx));
    fields.put("createdAt", now);
    fields.put("updatedAt", now);
    store.create(new EntityStore.NewEntity(id, fields, List.of()))
      .onSuccess(entity -> Responses.created(ctx, path + "/" + id, render(entity)))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    PageRequest request = PageRequest.from(ctx);
    store.page(store.indexKey(), request)
      .onSuccess(page -> Responses.json(ctx, 200, Responses.page(page.items(), page.nextPosition(), this::render)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String id = Responses.pathId(ctx, resource.singular());
    store.get(id)
      .onSuccess(entity -> Responses.entityOrNotFound(ctx, entity, resource.singular(), this::render))
      .onFailure(ctx::fail);
  }

  private void replace(RoutingContext ctx) {
    String id = Responses.pathId(ctx, resource.singular());
    Map<String, String> fields = new LinkedHashMap<>(readBody(ctx));
    fields.put("updatedAt", Responses.now());
    store.update(id, fields)
      .onSuccess(entity -> Responses.entityOrNotFound(ctx, entity, resource.singular(), this::render))
      .onFailure(ctx::fail);
  }

  private JsonObject render(EntityStore.Entity entity) {
    JsonObject answer = new JsonObject().put("id", entity.id());
    resource.render(entity, answer);
    return answer.put("createdAt", entity.field("createdAt")).put("updatedAt", entity.field("updatedAt"));
  }

  private void delete(RoutingContext ctx) {
    String id = Responses.pathId(ctx, resource.singular());
    store.delete(id, List.of())
      .onSuccess(deleted -> {
        if (deleted) {
          ctx.response().setStatusCode(204).end();
        } else {
          ctx.fail(Responses.noSuch(resource.singular()));
        }
      })
      .onFailure(ctx::fail);
  }
}
