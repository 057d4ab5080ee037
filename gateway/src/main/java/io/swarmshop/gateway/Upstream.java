package io.swarmshop.gateway;

import io.swarmshop.common.Config;

/**
 * A service the gateway forwards to: the public path prefix it owns, what replaces that prefix on
 * the way in, and how long an instance may stay silent before the call counts as timed out.
 */
record Upstream(String service, String publicPrefix, String upstreamPrefix, long timeoutMs) {
  static Upstream api(String service, Config config, int defaultTimeoutMs) {
    return new Upstream(service, "/api/" + service, "/" + service,
      config.integer(service.toUpperCase() + "_TIMEOUT_MS", defaultTimeoutMs));
  }

  static Upstream webapp(Config config) {
    return new Upstream("webapp", "", "", config.integer("WEBAPP_TIMEOUT_MS", 5000));
  }

  /** The request's path and query as the service knows it. */
  String upstreamUri(String publicUri) {
    return upstreamPrefix + publicUri.substring(publicPrefix.length());
  }
}
