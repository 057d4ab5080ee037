package io.swarmshop.common.testing;

import io.swarmshop.common.Config;
import io.swarmshop.common.RunningService;
import io.swarmshop.common.ServiceApplication;
import io.swarmshop.common.ServiceRunner;
import java.util.HashMap;
import java.util.Map;

/** Starts a service in this JVM, with its own Vert.x, on free ports, as its main would. */
public final class Services {
  private Services() {
  }

  public static RunningService start(String name, ServiceApplication application, Map<String, String> settings) {
    Map<String, String> values = new HashMap<>();
    values.put("HTTP_PORT", String.valueOf(FreePorts.find()));
    values.put("MANAGEMENT_PORT", String.valueOf(FreePorts.find()));
    values.put("EVENT_LOOPS", "2");
    values.put("HOSTNAME", name + "-test");
    values.putAll(settings);
    return Http.await(ServiceRunner.start(name, application, new Config(values)));
  }
}
