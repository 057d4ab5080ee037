package io.swarmshop.gateway;

/**
 * A service the gateway forwards to: the public path prefix it owns, what replaces that prefix on
 * the way in, and how long an instance may stay silent before the call counts as timed out.
 */
record Upstream(String service, String publicPrefix, String upstreamPrefix, long timeoutMs) {
  /** The request's path and query as the service knows it. */
  String upstreamUri(String publicUri) {
    return upstreamPrefix + publicUri.substring(publicPrefix.length());
  }
}
