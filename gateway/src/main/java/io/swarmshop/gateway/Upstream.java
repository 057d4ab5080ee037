package io.swarmshop.gateway;

/**
 * A service the gateway forwards to: the public path prefix it owns, what replaces that prefix on
 * the way in, how long an instance may stay silent before the call counts as timed out, and its
 * canary: the service of that name (found as the stable one is) gets {@code canaryPercent} of its requests.
 */
record Upstream(String service, String publicPrefix, String upstreamPrefix, long timeoutMs, int canaryPercent) {
  static final String CANARY_SUFFIX = "-canary";

  /** The request's path and query as the service knows it. */
  String upstreamUri(String publicUri) {
    return upstreamPrefix + publicUri.substring(publicPrefix.length());
  }

  String canary() {
    return service + CANARY_SUFFIX;
  }
}
