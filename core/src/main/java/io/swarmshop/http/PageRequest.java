package io.swarmshop.http;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * {@code ?limit=} and {@code ?cursor=} of a list request. The cursor is opaque to clients: it wraps the
 * position (a sequence number) after which the next page starts.
 */
public record PageRequest(int limit, long after) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  public static final long FROM_NEWEST = Long.MAX_VALUE;

  public static PageRequest from(RoutingContext ctx) {
    return of(ctx.request().getParam("limit"), ctx.request().getParam("cursor"));
  }

  /** From the query's {@code limit} and {@code cursor}, each null when absent; a 400 problem for a bad one. */
  static PageRequest of(String limit, String cursor) {
    return new PageRequest(limit(limit), after(cursor));
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // answered below like any other out-of-range value
    }
    throw Problem.invalid(List.of(new Problem.FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT)));
  }

  private static long after(String value) {
    if (value == null || value.isEmpty()) {
      return FROM_NEWEST;
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
      if (decoded.startsWith("s:")) {
        long position = Long.parseLong(decoded.substring(2));
        if (position > 0) {
          return position;
        }
      }
    } catch (IllegalArgumentException ignored) {
      // a cursor we did not write: answered below
    }
    throw Problem.invalid(List.of(new Problem.FieldError("cursor", "is not a cursor this service gave out")));
  }

  public static String cursorAfter(long position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + position).getBytes(StandardCharsets.UTF_8));
  }
}
