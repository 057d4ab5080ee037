package io.swarmshop.gateway;

import io.swarmshop.calls.InstanceCircuits;
import io.swarmshop.http.Problem;
import io.swarmshop.service.DurationHistogram;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two tracks of one upstream: stable, and its canary, which gets {@code canaryPercent} of the
 * requests while it has a healthy instance (without one its share goes to stable). The split is
 * counted, not drawn: of any 100 requests in a row a gateway sends exactly the canary's share to it.
 * A tester picks the track with {@code X-Canary: always} or {@code never}. What each track answered
 * is timed by outcome ({@code swarmshop_track_requests_seconds}), for the canary's release to compare.
 */
final class Tracks {
  static final CharSequence HEADER = HttpHeaders.createOptimized("X-Canary");
  static final CharSequence ANSWER_HEADER = HttpHeaders.createOptimized("X-Track");
  static final String STABLE = "stable";
  static final String CANARY = "canary";

  private final Upstream upstream;
  private final InstanceCircuits circuits;
  private final AtomicLong turns = new AtomicLong();
  private final DurationHistogram.Series stableAnswered;
  private final DurationHistogram.Series stableFailed;
  private final DurationHistogram.Series canaryAnswered;
  private final DurationHistogram.Series canaryFailed;

  Tracks(Upstream upstream, InstanceCircuits circuits, DurationHistogram requests) {
    this.upstream = upstream;
    this.circuits = circuits;
    String service = upstream.service();
    this.stableAnswered = requests.series("dependency", service, "track", STABLE, "outcome", "answered");
    this.stableFailed = requests.series("dependency", service, "track", STABLE, "outcome", "failed");
    this.canaryAnswered = requests.series("dependency", service, "track", CANARY, "outcome", "answered");
    this.canaryFailed = requests.series("dependency", service, "track", CANARY, "outcome", "failed");
  }

  Upstream upstream() {
    return upstream;
  }

  /** Whether this request goes to the canary; a 400 problem for an {@code X-Canary} that is neither choice. */
  boolean toCanary(HttpServerRequest request) {
    String asked = request.getHeader(HEADER);
    if (asked != null) {
      if (asked.equalsIgnoreCase("never")) {
        return false;
      }
      if (!asked.equalsIgnoreCase("always")) {
        throw Problem.badRequest("X-Canary must be 'always' or 'never'.");
      }
      return canaryServes();
    }
    int percent = upstream.canaryPercent();
    if (percent == 0) {
      return false;
    }
    long turn = turns.getAndIncrement();
    // The canary's turns are spread evenly: request n goes to it when the share's running total crosses a whole number.
    boolean canaryTurn = (turn + 1) * percent / 100 > turn * percent / 100;
    return canaryTurn && canaryServes();
  }

  /** Whether the canary has an instance whose circuit is closed. */
  boolean canaryServes() {
    return circuits.discovery().instances(upstream.canary()).stream().anyMatch(circuits::healthy);
  }

  /** A request's outcome on its track: answered (with any status but a 5xx), or failed (a 5xx, or no answer). */
  void record(boolean canary, boolean failed, long nanos) {
    (canary ? failed ? canaryFailed : canaryAnswered : failed ? stableFailed : stableAnswered).record(nanos);
  }
}
