package io.swarmshop.testing;

import io.swarmshop.service.Environment;
import io.swarmshop.service.RunningService;
import io.swarmshop.service.ServiceApplication;
import io.swarmshop.service.ServiceRunner;
import io.swarmshop.service.ServiceSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Starts a service in this JVM, with its own Vert.x, on free ports, configured as its main would be. */
public final class Services {
  private Services() {
  }

  public static RunningService start(String name, Function<Environment, ServiceApplication> application, Map<String, String> settings) {
    Map<String, String> values = new HashMap<>();
    values.put("HTTP_PORT", String.valueOf(FreePorts.find()));
    values.put("MANAGEMENT_PORT", String.valueOf(FreePorts.find()));
    values.put("EVENT_LOOPS", "2");
    values.put("HOSTNAME", name + "-test");
    // A test counts the requests it sends: none of the warm-up's, but where it sets WARM_UP_ROUNDS.
    values.put("WARM_UP_ROUNDS", "0");
    values.putAll(settings);
    Environment env = new Environment(values);
    ServiceSettings serviceSettings = ServiceSettings.from(env);
    return Http.await(ServiceRunner.start(name, application.apply(env), serviceSettings));
  }
}
