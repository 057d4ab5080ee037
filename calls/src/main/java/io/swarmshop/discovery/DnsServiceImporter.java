package io.swarmshop.discovery;

import io.swarmshop.service.HostAddresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.spi.ServiceImporter;
import io.vertx.servicediscovery.spi.ServicePublisher;
import io.vertx.servicediscovery.types.HttpEndpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Resolves a DNS name per service every few seconds and publishes one record per address. Behind a
 * Swarm service with {@code endpoint_mode: dnsrr}, {@code tasks.NAME} lists every task, so every replica
 * is seen, and one that goes away is withdrawn at the next refresh. Configuration:
 * {@code {"services": {"customers": {"host": "tasks.customers", "port": 8080}}, "refresh-ms": 2000}}.
 */
public final class DnsServiceImporter implements ServiceImporter {
  private static final Logger LOG = Logger.getLogger(DnsServiceImporter.class.getName());

  private static final String PENDING = "";
  static final long FIRST_LOOKUP_LIMIT_MS = 10_000;
  /** Per service, the registration of each address published. */
  private final Map<String, Map<String, String>> registrations = new HashMap<>();
  private Vertx vertx;
  private HostAddresses addresses;
  private long timer = -1;

  @Override
  public void start(Vertx vertx, ServicePublisher publisher, JsonObject configuration, Promise<Void> done) {
    this.vertx = vertx;
    this.addresses = new HostAddresses(vertx);
    JsonObject services = configuration.getJsonObject("services", new JsonObject());
    long refreshMs = configuration.getLong("refresh-ms", 2000L);
    // The process starts serving once the first look is done: it waits longer for the names it needs
    // (a new gateway on a busy node that served before its first answers had no instance to send to),
    // and not for the optional ones (a canary not started, which Docker's DNS may leave unanswered).
    refresh(publisher, services, FIRST_LOOKUP_LIMIT_MS).onComplete(first -> {
      timer = vertx.setPeriodic(refreshMs, tick -> refresh(publisher, services, HostAddresses.LOOKUP_LIMIT_MS));
      done.complete();
    });
  }

  /** Completes when the names that are not optional are looked up (or not answered in time). */
  private Future<Void> refresh(ServicePublisher publisher, JsonObject services, long limitMs) {
    List<Future<?>> needed = new ArrayList<>();
    for (String service : services.fieldNames()) {
      JsonObject target = services.getJsonObject(service);
      String host = target.getString("host");
      int port = target.getInteger("port");
      // A name not answered in time keeps the instances it had.
      Future<Void> looked = addresses.of(host, limitMs).compose(found -> reconcile(publisher, service, port, found));
      if (!target.getBoolean("optional", false)) {
        needed.add(looked);
      }
    }
    return Future.join(needed).mapEmpty();
  }

  private Future<Void> reconcile(ServicePublisher publisher, String service, int port, Set<String> addresses) {
    Map<String, String> known = registrations.computeIfAbsent(service, name -> new HashMap<>());
    List<Future<?>> changes = new ArrayList<>();
    for (String address : addresses) {
      if (!known.containsKey(address)) {
        known.put(address, PENDING);
        LOG.info("discovered " + service + " at " + address + ":" + port);
        changes.add(publisher.publish(HttpEndpoint.createRecord(service, address, port, "/"))
          .onSuccess(record -> known.put(address, record.getRegistration()))
          .onFailure(e -> known.remove(address)));
      }
    }
    for (String address : List.copyOf(known.keySet())) {
      if (!addresses.contains(address) && !PENDING.equals(known.get(address))) {
        LOG.info("withdrawn " + service + " at " + address + ":" + port);
        changes.add(publisher.unpublish(known.remove(address)));
      }
    }
    return Future.join(changes).mapEmpty();
  }

  @Override
  public void close(Handler<Void> closed) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    closed.handle(null);
  }
}
