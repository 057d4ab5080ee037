package io.swarmshop.webapp;

import io.swarmshop.service.Api;
import io.swarmshop.service.ServiceApplication;
import io.swarmshop.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the page and its assets from the classpath: the page is revalidated on every load, the
 * assets are cached for a while, and every answer carries a Content-Security-Policy that allows no
 * inline script and nothing from other origins.
 */
public final class WebappApplication implements ServiceApplication {
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final int ASSET_MAX_AGE_SECONDS = 300;

  @Override
  public Future<Api> start(ServiceContext context) {
    return Future.succeededFuture(WebappApplication::routes);
  }

  private static void routes(Router router) {
    router.route().handler(WebappApplication::securityHeaders);
    router.get("/").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "text/html; charset=utf-8")
      .putHeader("Cache-Control", "no-cache")
      .sendFile("webroot/index.html"));
    router.get("/assets/*").handler(StaticHandler.create("webroot/assets")
      .setCachingEnabled(true)
      .setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS)
      .setDirectoryListing(false)
      .setIncludeHidden(false));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
      .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer")
      .putHeader("X-Frame-Options", "DENY");
    ctx.next();
  }
}
