package io.swarmshop.gateway;

import io.swarmshop.common.ServiceRunner;

/** The gateway: the only public entry, forwarding /api/* to the services and the rest to the webapp. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("gateway", application());
  }

  public static GatewayApplication application() {
    return new GatewayApplication();
  }
}
