package io.swarmshop.webapp;

import io.swarmshop.service.Api;
import io.swarmshop.service.ServiceApplication;
import io.swarmshop.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the pages and their assets from the classpath: a page is revalidated on every load, the
 * assets are cached for a while, and every answer carries a Content-Security-Policy that allows no
 * inline script and nothing from other origins. The API page ({@code /docs}) is Swagger UI, from its
 * webjar, rendering the gateway's contract.
 */
public final class WebappApplication implements ServiceApplication {
  /** The API page runs under it too: Swagger UI sets styles through the DOM, which the policy allows. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final String SWAGGER_UI_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  private static final int ASSET_MAX_AGE_SECONDS = 300;

  @Override
  public Future<Api> start(ServiceContext context) {
    // The webjar's files sit under its version: read it from the jar rather than repeat it here.
    return context.vertx().fileSystem().readFile(SWAGGER_UI_PROPERTIES).map(properties -> {
      String version = properties.toString().lines().filter(line -> line.startsWith("version="))
        .map(line -> line.substring("version=".length()).trim()).findFirst()
        .orElseThrow(() -> new IllegalStateException(SWAGGER_UI_PROPERTIES + " names no version"));
      return router -> routes(router, "META-INF/resources/webjars/swagger-ui/" + version);
    });
  }

  private static void routes(Router router, String swaggerUi) {
    router.route().handler(WebappApplication::securityHeaders);
    router.get("/").handler(ctx -> page(ctx, "webroot/index.html"));
    router.get("/docs").handler(ctx -> page(ctx, "webroot/docs.html"));
    router.get("/assets/*").handler(assets("webroot/assets"));
    router.get("/docs/swagger-ui/*").handler(assets(swaggerUi));
  }

  private static void page(RoutingContext ctx, String file) {
    ctx.response()
      .putHeader("Content-Type", "text/html; charset=utf-8")
      .putHeader("Cache-Control", "no-cache")
      .sendFile(file);
  }

  private static StaticHandler assets(String root) {
    return StaticHandler.create(root)
      .setCachingEnabled(true)
      .setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS)
      .setDirectoryListing(false)
      .setIncludeHidden(false);
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
