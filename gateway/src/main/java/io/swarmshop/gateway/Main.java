package io.swarmshop.gateway;

import io.swarmshop.service.Environment;
import io.swarmshop.service.ServiceRunner;

/** The gateway: the only public entry, forwarding /api/* to the services and the rest to the webapp. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("gateway", Main::application);
  }

  public static GatewayApplication application(Environment env) {
    return new GatewayApplication(GatewaySettings.from(env));
  }
}
