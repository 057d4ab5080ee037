package io.swarmshop.webapp;

import io.swarmshop.common.ServiceRunner;

/** The webapp service: serves the browser front end, which talks to the API through the gateway. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("webapp", application());
  }

  public static WebappApplication application() {
    return new WebappApplication();
  }
}
