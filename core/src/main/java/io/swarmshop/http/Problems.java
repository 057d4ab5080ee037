package io.swarmshop.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Renders every failure as problem+json, so no stack trace or class name ever reaches a client. */
public final class Problems {
  private static final Logger LOG = Logger.getLogger(Problems.class.getName());
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {
  }

  public static void send(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    if (problem.retryAfterSeconds() != null) {
      response.putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()));
    }
    response.setStatusCode(problem.status())
      .putHeader("Content-Type", CONTENT_TYPE)
      .end(problem.toJson().encode());
  }

  /** Installs the failure handler and the router-level answers (404, 405, 413, 415...). */
  public static void install(Router router) {
    router.route().failureHandler(Problems::handleFailure);
    for (int status : new int[] {400, 404, 405, 406, 413, 414, 415, 431, 500}) {
      router.errorHandler(status, Problems::handleFailure);
    }
  }

  private static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Problem problem) {
      send(ctx, problem);
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status >= 500) {
      LOG.log(Level.SEVERE, "request " + RequestIds.of(ctx) + " failed: " + ctx.request().method() + " " + ctx.request().path(), failure);
    }
    send(ctx, Problem.of(status, titleFor(status), detailFor(status)));
  }

  private static String titleFor(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 406 -> "Not acceptable";
      case 413 -> "Payload too large";
      case 414 -> "URI too long";
      case 415 -> "Unsupported media type";
      case 431 -> "Request header fields too large";
      default -> "Internal error";
    };
  }

  private static String detailFor(int status) {
    return switch (status) {
      case 400 -> "The request could not be read.";
      case 404 -> "There is nothing at this address.";
      case 405 -> "This method is not allowed here.";
      case 413 -> "The request body is larger than " + JsonRequests.MAX_BODY_KIB + " KiB.";
      case 415 -> "The request body must be application/json.";
      default -> status >= 500 ? "Something went wrong on our side; it has been logged." : "The request was refused.";
    };
  }
}
