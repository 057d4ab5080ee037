package io.swarmshop.drills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The drill's verdict: what the load saw, what the audit found, and whether both kept to the budget. */
final class Summary {
  private final DrillOptions options;
  private final Tally tally;
  private final InvoiceAudit.Result audit;

  Summary(DrillOptions options, Tally tally, InvoiceAudit.Result audit) {
    this.options = options;
    this.tally = tally;
    this.audit = audit;
  }

  boolean passed() {
    return withinBudget() && audit.lost().isEmpty() && audit.unverified().isEmpty();
  }

  private boolean withinBudget() {
    return tally.failed() <= options.maxFailures();
  }

  String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "drill %s: %d requests in %.1f s (%.0f/s) through %s%n", options.name(),
      tally.requests(), tally.seconds(), tally.requests() / Math.max(tally.seconds(), 0.001), options.gateway()));
    out.append(String.format(Locale.ROOT, "  answered 2xx %d, failed %d%s%n", tally.ok(), tally.failed(),
      tally.failures().isEmpty() ? "" : " (" + tally.failures().entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")) + ")"));
    out.append(String.format(Locale.ROOT, "  latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", tally.percentileMs(0.5),
      tally.percentileMs(0.99), tally.percentileMs(1.0)));
    out.append(String.format(Locale.ROOT, "  invoices acknowledged (201) %d, found afterwards %d, lost %d, unverified %d%n",
      audit.checked(), audit.found(), audit.lost().size(), audit.unverified().size()));
    if (tally.failed() > 0) {
      out.append(String.format(Locale.ROOT, "  failures from %.1f s after the drill acted, recovered %.1f s later%n",
        tally.firstFailureSeconds(), tally.disturbedSeconds()));
    } else {
      out.append("  no failed request: nothing to recover from\n");
    }
    out.append("  served by: ").append(tally.servedBy().entrySet().stream()
      .map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", "))).append('\n');
    out.append(String.format(Locale.ROOT, "  budget: at most %d failed requests and no lost invoice: %s",
      options.maxFailures(), passed() ? "PASSED" : "FAILED"));
    if (!audit.lost().isEmpty()) {
      out.append("\n  lost invoices: ").append(String.join(" ", audit.lost()));
    }
    return out.toString();
  }

  JsonObject json() {
    JsonObject servedBy = new JsonObject();
    for (Map.Entry<String, Set<String>> entry : tally.servedBy().entrySet()) {
      servedBy.put(entry.getKey(), new JsonArray(entry.getValue().stream().toList()));
    }
    return new JsonObject()
      .put("drill", options.name())
      .put("seconds", tally.seconds())
      .put("requests", tally.requests())
      .put("ok", tally.ok())
      .put("failed", tally.failed())
      .put("failures", new JsonObject(Map.copyOf(tally.failures())))
      .put("p50Ms", tally.percentileMs(0.5))
      .put("p99Ms", tally.percentileMs(0.99))
      .put("maxMs", tally.percentileMs(1.0))
      .put("invoicesAcknowledged", audit.checked())
      .put("invoicesFound", audit.found())
      .put("invoicesLost", new JsonArray(audit.lost()))
      .put("invoicesUnverified", new JsonArray(audit.unverified()))
      .put("firstFailureSeconds", tally.firstFailureSeconds())
      .put("disturbedSeconds", tally.disturbedSeconds())
      .put("servedBy", servedBy)
      .put("maxFailures", options.maxFailures())
      .put("passed", passed());
  }
}
