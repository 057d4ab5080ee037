package io.swarmshop.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An RFC 9457 problem answer. Thrown (or failed with) anywhere in a request; {@link Problems} renders it.
 */
public final class Problem extends RuntimeException {
  public record FieldError(String field, String message) {}

  private final int status;
  private final String title;
  private final List<FieldError> errors;
  private final Integer retryAfterSeconds;

  private Problem(int status, String title, String detail, List<FieldError> errors, Integer retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static Problem of(int status, String title, String detail) {
    return new Problem(status, title, detail, List.of(), null);
  }

  public static Problem invalid(List<FieldError> errors) {
    return new Problem(400, "Invalid request", "The request body has invalid fields.", errors, null);
  }

  public static Problem badRequest(String detail) {
    return of(400, "Bad request", detail);
  }

  public static Problem notFound(String detail) {
    return of(404, "Not found", detail);
  }

  public static Problem unprocessable(String detail, List<FieldError> errors) {
    return new Problem(422, "Unprocessable request", detail, errors, null);
  }

  public static Problem unavailable(String detail, int retryAfterSeconds) {
    return new Problem(503, "Service unavailable", detail, List.of(), retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("type", "about:blank")
      .put("title", title)
      .put("status", status)
      .put("detail", getMessage());
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
      json.put("errors", list);
    }
    return json;
  }
}
