package io.swarmshop.webapp;

import io.swarmshop.service.Environment;
import io.swarmshop.service.ServiceRunner;

/** The webapp service: serves the browser front end, which talks to the API through the gateway. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("webapp", Main::application);
  }

  public static WebappApplication application(Environment env) {
    return new WebappApplication();
  }
}
