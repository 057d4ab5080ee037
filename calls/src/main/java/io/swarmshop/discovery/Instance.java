package io.swarmshop.discovery;

import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;

/** One reachable replica of a service, as discovery published it. */
public record Instance(String id, String service, String host, int port) {
  public static Instance of(Record record) {
    JsonObject location = record.getLocation();
    return new Instance(record.getRegistration(), record.getName(), location.getString("host"), location.getInteger("port"));
  }

  public String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
