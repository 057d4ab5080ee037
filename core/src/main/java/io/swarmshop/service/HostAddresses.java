package io.swarmshop.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** Every address a host name stands for, such as the tasks behind Swarm's {@code tasks.NAME}. */
public final class HostAddresses {
  private HostAddresses() {}

  /** By the system resolver (Docker's embedded DNS in a container), off the event loop since it blocks; none when the name is unknown. */
  public static Future<Set<String>> of(Vertx vertx, String host) {
    return vertx.executeBlocking(() -> {
      try {
        Set<String> addresses = new TreeSet<>();
        Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress).forEach(addresses::add);
        return addresses;
      } catch (UnknownHostException e) {
        // no task is running: the name does not exist until one starts
        return Set.of();
      }
    }, false);
  }
}
