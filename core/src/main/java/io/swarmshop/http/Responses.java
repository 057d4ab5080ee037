package io.swarmshop.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/** The small pieces every REST route uses: JSON answers, path ids, time stamps, money, pages. */
public final class Responses {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Responses() {
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  public static void created(RoutingContext ctx, String location, JsonObject body) {
    ctx.response().putHeader("Location", location);
    json(ctx, 201, body);
  }

  /** The {@code :id} path parameter; an id that cannot exist is simply not found. */
  public static String pathId(RoutingContext ctx, String what) {
    String id = ctx.pathParam("id");
    if (!Tokens.isId(id)) {
      throw noSuch(what);
    }
    return id;
  }

  public static Problem noSuch(String what) {
    return Problem.notFound("No " + what + " has this id.");
  }

  /** Answers 200 with the rendered entity, or the 404 problem when there is none. */
  public static <T> void entityOrNotFound(RoutingContext ctx, T entity, String what, Function<T, JsonObject> render) {
    if (entity == null) {
      ctx.fail(noSuch(what));
    } else {
      json(ctx, 200, render.apply(entity));
    }
  }

  public static String now() {
    return TIMESTAMP.format(Instant.now());
  }

  /** Cents as a JSON number with two decimals, exact. */
  public static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  /** A page of a list: its items, and the cursor of the next page (null on the last). */
  public static <T> JsonObject page(List<T> items, Long nextPosition, Function<T, JsonObject> render) {
    JsonArray rendered = new JsonArray();
    items.forEach(item -> rendered.add(render.apply(item)));
    return new JsonObject()
      .put("items", rendered)
      .put("nextCursor", nextPosition == null ? null : PageRequest.cursorAfter(nextPosition));
  }
}
