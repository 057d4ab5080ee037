package io.swarmshop.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Bodies of POST and PUT: application/json only (else 415), at most {@link #MAX_BODY_KIB} KiB (else 413). */
public final class JsonRequests {
  public static final int MAX_BODY_KIB = 64;
  public static final int MAX_BODY_BYTES = MAX_BODY_KIB * 1024;
  private static final BodyHandler BODY = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);

  private JsonRequests() {
  }

  /** Makes a route take a JSON body before its own handler runs. */
  public static Route accepting(Route route) {
    return route.handler(BODY).handler(JsonRequests::requireJson);
  }

  private static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
    if (!mediaType.equalsIgnoreCase("application/json")) {
      throw Problem.of(415, "Unsupported media type", "The request body must be application/json.");
    }
    ctx.next();
  }
}
