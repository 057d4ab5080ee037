package io.swarmshop.service;

import io.swarmshop.http.JsonBody;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Faults a service injects into its own API answers, for drills and for people learning how the
 * system copes: a share of requests answered with a 500, and a share held back before they are served.
 *
 * @param errorPercent requests answered with an injected 500 problem, 0 to 100
 * @param delayMs how long a delayed request is held before it is served
 * @param delayPercent requests delayed, 0 to 100
 */
public record FaultSettings(int errorPercent, int delayMs, int delayPercent) {
  public static final FaultSettings NONE = new FaultSettings(0, 0, 100);
  static final int MAX_DELAY_MS = 60_000;
  private static final Set<String> FIELDS = Set.of("errorPercent", "delayMs", "delayPercent");

  /** FAULT_ERROR_PERCENT, FAULT_DELAY_MS and FAULT_DELAY_PERCENT (100: every request, once a delay is set). */
  static FaultSettings from(Environment env) {
    return new FaultSettings(
      env.wholeNumber("FAULT_ERROR_PERCENT", 0, 0, 100),
      env.milliseconds("FAULT_DELAY_MS", 0, 0, MAX_DELAY_MS),
      env.wholeNumber("FAULT_DELAY_PERCENT", 100, 0, 100));
  }

  /** The faults a {@code PUT /faults} body asks for: a field left out is no fault of that kind; a bad one is a 400. */
  static FaultSettings parse(JsonBody body) {
    body.allowOnly(FIELDS);
    FaultSettings faults = new FaultSettings(
      body.has("errorPercent") ? (int) body.integer("errorPercent", 0, 100) : 0,
      body.has("delayMs") ? (int) body.integer("delayMs", 0, MAX_DELAY_MS) : 0,
      body.has("delayPercent") ? (int) body.integer("delayPercent", 0, 100) : 100);
    body.validate();
    return faults;
  }

  boolean any() {
    return errorPercent > 0 || delayMs > 0 && delayPercent > 0;
  }

  JsonObject toJson() {
    return new JsonObject().put("errorPercent", errorPercent).put("delayMs", delayMs).put("delayPercent", delayPercent);
  }
}
