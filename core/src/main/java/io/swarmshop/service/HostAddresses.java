package io.swarmshop.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every address a host name stands for, such as the tasks behind Swarm's {@code tasks.NAME}, by the
 * system resolver (Docker's embedded DNS in a container), off the event loop since it blocks.
 *
 * <p>One lookup of a name at a time, however often it is asked for, and an answer within
 * {@link #LOOKUP_LIMIT_MS} or a failure: Docker's DNS forwards a name it does not know (a service
 * with no task, a canary not started) to the node's own resolvers, which in the lab and on a network
 * without them leave it unanswered for 20 s. Lookups asked for every second then held every worker
 * thread, and the lookups of every other name waited behind them, until callers saw no task and no
 * Sentinel at all.
 */
public final class HostAddresses {
  public static final long LOOKUP_LIMIT_MS = 2000;

  private final Vertx vertx;
  private final Map<String, Future<Set<String>>> underWay = new ConcurrentHashMap<>();

  public HostAddresses(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The addresses of {@code host}; none when the name is unknown; a failure when it is not answered in time. */
  public Future<Set<String>> of(String host) {
    return of(host, LOOKUP_LIMIT_MS);
  }

  /** As {@link #of(String)}, waiting {@code limitMs} at most. */
  public Future<Set<String>> of(String host, long limitMs) {
    Future<Set<String>> lookup = underWay.get(host);
    if (lookup == null) {
      Future<Set<String>> started = vertx.executeBlocking(() -> resolve(host), false);
      underWay.put(host, started);
      started.onComplete(done -> underWay.remove(host, started));
      lookup = started;
    }
    return lookup.timeout(limitMs, TimeUnit.MILLISECONDS);
  }

  private static Set<String> resolve(String host) {
    try {
      Set<String> addresses = new TreeSet<>();
      Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress).forEach(addresses::add);
      return addresses;
    } catch (UnknownHostException e) {
      // no task is running: the name does not exist until one starts
      return Set.of();
    }
  }
}
