package io.swarmshop.drills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The drill's verdict: what the load saw (by service and by entry), how long each service's writes
 * failed after the fault, what the audit found, and whether the load kept to the failure budget and
 * nothing acknowledged was lost. The drills check their other budgets on the report's figures.
 */
final class Summary {
  private final DrillOptions options;
  private final Tally tally;
  private final Map<String, Audit.Result> audit;

  Summary(DrillOptions options, Tally tally, Map<String, Audit.Result> audit) {
    this.options = options;
    this.tally = tally;
    this.audit = audit;
  }

  boolean passed() {
    return tally.failedSinceAct() <= options.maxFailures()
      && audit.values().stream().allMatch(result -> result.lost().isEmpty() && result.unverified().isEmpty());
  }

  String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "drill %s: %d requests in %.1f s (%.0f/s) through %d entries%n", options.name(),
      tally.requests(), tally.seconds(), tally.requests() / Math.max(tally.seconds(), 0.001), options.entries().size()));
    out.append(String.format(Locale.ROOT, "  answered 2xx %d, failed %d%s; sent again to another entry after no answer: %d%n",
      tally.ok(), tally.failed(), failures(tally.failures()), tally.resentCount()));
    tally.byService().forEach((service, outcomes) -> out.append(String.format(Locale.ROOT,
      "    %-9s %6d ok, %4d failed (%.2f%% ok)%s%n", service, outcomes.ok, outcomes.failed(), percentOk(outcomes),
      failures(outcomes.failures))));
    tally.byEntry().forEach((entry, outcomes) -> out.append(String.format(Locale.ROOT,
      "    entry %s: %d answered 2xx, %d failed%s%n", entry, outcomes.ok, outcomes.failed(), failures(outcomes.failures))));
    out.append(String.format(Locale.ROOT, "  latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", tally.percentileMs(0.5),
      tally.percentileMs(0.99), tally.percentileMs(1.0)));
    if (tally.faultSeen()) {
      Map<String, Double> firstFailed = tally.firstFailedWrites();
      out.append("  writes failing after the fault, until the first acknowledged one: ").append(tally.failoverWindows().entrySet()
        .stream().map(e -> e.getKey() + " " + window(e.getValue()) + lateStart(firstFailed.get(e.getKey())))
        .collect(Collectors.joining(", "))).append('\n');
    }
    audit.forEach((path, result) -> out.append(String.format(Locale.ROOT,
      "  %s acknowledged (201) %d, read back afterwards %d, lost %d, unverified %d%n", path, result.checked(), result.found(),
      result.lost().size(), result.unverified().size())));
    if (tally.failed() > 0) {
      out.append(String.format(Locale.ROOT, "  failures from %.1f s after the drill acted, recovered %.1f s later%n",
        tally.firstFailureSeconds(), tally.disturbedSeconds()));
      out.append("  failures by second after the drill acted (second: count): ").append(tally.failuresBySecond().entrySet()
        .stream().map(e -> e.getKey() + ":" + e.getValue().values().stream().mapToInt(Integer::intValue).sum())
        .collect(Collectors.joining(" "))).append('\n');
    } else {
      out.append("  no failed request: nothing to recover from\n");
    }
    out.append("  served by: ").append(tally.servedBy().entrySet().stream()
      .map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", "))).append('\n');
    out.append(String.format(Locale.ROOT, "  budget: at most %d failed requests once the drill acted (%d; %d more in the warm-up)"
      + " and nothing acknowledged lost: %s", options.maxFailures(), tally.failedSinceAct(), tally.failedInWarmUp(),
      passed() ? "PASSED" : "FAILED"));
    audit.forEach((path, result) -> {
      if (!result.lost().isEmpty()) {
        out.append("\n  lost from ").append(path).append(": ").append(String.join(" ", result.lost()));
      }
    });
    return out.toString();
  }

  private static double percentOk(Tally.Outcomes outcomes) {
    return 100.0 * outcomes.ok / Math.max(1, outcomes.ok + outcomes.failed());
  }

  private static String window(double seconds) {
    return seconds < 0 ? "never recovered" : String.format(Locale.ROOT, "%.1f s", seconds);
  }

  /** A window whose first failure came well after the fault is not a failover's: say when it began. */
  private static String lateStart(Double firstFailedSeconds) {
    return firstFailedSeconds == null || firstFailedSeconds < 1 ? ""
      : String.format(Locale.ROOT, " (the first failed %.1f s after it)", firstFailedSeconds);
  }

  private static String failures(Map<String, Integer> failures) {
    return failures.isEmpty() ? "" : " (" + failures.entrySet().stream()
      .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")) + ")";
  }

  private static JsonObject json(Tally.Outcomes outcomes) {
    return new JsonObject().put("ok", outcomes.ok).put("failed", outcomes.failed())
      .put("percentOk", percentOk(outcomes)).put("failures", new JsonObject(Map.copyOf(outcomes.failures)));
  }

  JsonObject json() {
    JsonObject servedBy = new JsonObject();
    for (Map.Entry<String, Set<String>> entry : tally.servedBy().entrySet()) {
      servedBy.put(entry.getKey(), new JsonArray(entry.getValue().stream().toList()));
    }
    JsonObject byService = new JsonObject();
    tally.byService().forEach((service, outcomes) -> byService.put(service, json(outcomes)));
    JsonObject byEntry = new JsonObject();
    tally.byEntry().forEach((entry, outcomes) -> byEntry.put(entry, json(outcomes)));
    JsonObject byEntryAndService = new JsonObject();
    tally.byEntryAndService().forEach((entry, services) -> {
      JsonObject outcomes = new JsonObject();
      services.forEach((service, counted) -> outcomes.put(service, json(counted)));
      byEntryAndService.put(entry, outcomes);
    });
    JsonObject audited = new JsonObject();
    audit.forEach((path, result) -> audited.put(path, new JsonObject().put("acknowledged", result.checked())
      .put("found", result.found()).put("lost", new JsonArray(result.lost())).put("unverified", new JsonArray(result.unverified()))));
    JsonObject bySecond = new JsonObject();
    tally.failuresBySecond().forEach((second, counted) -> bySecond.put(String.valueOf(second), new JsonObject(Map.copyOf(counted))));
    JsonObject windows = new JsonObject();
    tally.failoverWindows().forEach(windows::put);
    return new JsonObject()
      .put("drill", options.name())
      .put("seconds", tally.seconds())
      .put("requests", tally.requests())
      .put("ok", tally.ok())
      .put("failed", tally.failed())
      .put("failedInWarmUp", tally.failedInWarmUp())
      .put("resent", tally.resentCount())
      .put("failures", new JsonObject(Map.copyOf(tally.failures())))
      .put("byService", byService)
      .put("byEntry", byEntry)
      .put("byEntryAndService", byEntryAndService)
      .put("failoverWindowSeconds", tally.faultSeen() ? windows : null)
      .put("p50Ms", tally.percentileMs(0.5))
      .put("p99Ms", tally.percentileMs(0.99))
      .put("maxMs", tally.percentileMs(1.0))
      .put("audit", audited)
      .put("firstFailureSeconds", tally.firstFailureSeconds())
      .put("disturbedSeconds", tally.disturbedSeconds())
      .put("failuresBySecond", bySecond)
      .put("servedBy", servedBy)
      .put("maxFailures", options.maxFailures())
      .put("passed", passed());
  }
}
