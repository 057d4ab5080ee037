package io.swarmshop.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import io.vertx.servicediscovery.Status;
import io.vertx.servicediscovery.docker.DockerServiceImporter;
import io.vertx.servicediscovery.spi.ServiceImporter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds the instances of the services a process calls, with the importer {@code DISCOVERY} names
 * (static, dns or docker), and keeps a local copy of them so that picking one costs no I/O.
 *
 * <p>An instance that appears once the process runs (a replica scaled up, updated or restarted) starts
 * slowly: over {@code SLOW_START_MS} its turns are taken from a twentieth of its share up to all of
 * it, so that a JVM just started warms up on a few requests rather than on its full share of them,
 * which on busy cores it answers too slowly.
 */
public final class Discovery {
  private static final long REFRESH_MS = 1000;
  /** The share of its turns an instance takes as it appears. */
  static final double FIRST_SHARE = 0.05;

  /** A service's instances, each with when it was first seen; warming while one is in its slow start. */
  private record Pool(List<Instance> instances, long[] firstSeenNanos, boolean warming) {
    static final Pool EMPTY = new Pool(List.of(), new long[0], false);
  }

  private final Vertx vertx;
  private final ServiceDiscovery serviceDiscovery;
  private final List<String> services;
  private final long slowStartNanos;
  private final Map<String, Pool> pools = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> announcements;
  private long timer = -1;
  private volatile boolean started;

  private Discovery(Vertx vertx, ServiceDiscovery serviceDiscovery, List<String> services, long slowStartMs) {
    this.vertx = vertx;
    this.serviceDiscovery = serviceDiscovery;
    this.services = List.copyOf(services);
    this.slowStartNanos = TimeUnit.MILLISECONDS.toNanos(slowStartMs);
    services.forEach(service -> {
      pools.put(service, Pool.EMPTY);
      turns.put(service, new AtomicInteger());
    });
  }

  public static Future<Discovery> start(Vertx vertx, DiscoverySettings settings) {
    String announceAddress = "swarmshop.discovery." + UUID.randomUUID();
    ServiceDiscovery serviceDiscovery = ServiceDiscovery.create(vertx,
      new ServiceDiscoveryOptions().setAnnounceAddress(announceAddress).setName("swarmshop"));
    Discovery discovery = new Discovery(vertx, serviceDiscovery, settings.services(), settings.slowStartMs());
    ServiceImporter importer = switch (settings.mode()) {
      case "dns" -> new DnsServiceImporter();
      case "docker" -> new DockerServiceImporter();
      default -> new StaticServiceImporter();
    };
    discovery.announcements = vertx.eventBus().consumer(announceAddress, message -> discovery.refresh());
    return serviceDiscovery.registerServiceImporter(importer, settings.importerConfig())
      .compose(registered -> discovery.refresh())
      .map(refreshed -> {
        discovery.started = true;
        discovery.timer = vertx.setPeriodic(REFRESH_MS, tick -> discovery.refresh());
        return discovery;
      });
  }

  private Future<Void> refresh() {
    return serviceDiscovery.getRecords(record -> services.contains(record.getName()), false)
      .onSuccess(records -> {
        Map<String, List<Instance>> byService = records.stream()
          .filter(record -> record.getStatus() == Status.UP)
          .map(Instance::of)
          .sorted(Comparator.comparing(Instance::url))
          .collect(Collectors.groupingBy(Instance::service));
        // The instances there when the process starts (its importer's first look, which a refresh on
        // each of its announcements may see half of) are taken as warm: no slow start for them.
        long now = System.nanoTime();
        long seenNew = started ? now : now - slowStartNanos;
        services.forEach(service -> pools.put(service, pool(pools.get(service), byService.getOrDefault(service, List.of()), seenNew, now)));
      })
      .mapEmpty();
  }

  private Pool pool(Pool before, List<Instance> instances, long seenNew, long now) {
    long[] firstSeen = new long[instances.size()];
    boolean warming = false;
    for (int i = 0; i < firstSeen.length; i++) {
      int known = before.instances().indexOf(instances.get(i));
      firstSeen[i] = known >= 0 ? before.firstSeenNanos()[known] : seenNew;
      warming |= now - firstSeen[i] < slowStartNanos;
    }
    return new Pool(List.copyOf(instances), firstSeen, warming);
  }

  public List<String> services() {
    return services;
  }

  public List<Instance> instances(String service) {
    return pools.getOrDefault(service, Pool.EMPTY).instances();
  }

  /**
   * The next instance in round-robin order among those {@code usable} accepts, an instance in its slow
   * start letting its turn pass but for its share; null when there is none. {@code usable} is asked
   * only of an instance that takes its turn, but for the first usable one when all let theirs pass.
   */
  public Instance next(String service, Predicate<Instance> usable) {
    Pool pool = pools.getOrDefault(service, Pool.EMPTY);
    List<Instance> candidates = pool.instances();
    int size = candidates.size();
    int start = Math.floorMod(turns.get(service).getAndIncrement(), Math.max(size, 1));
    for (int i = 0; i < size; i++) {
      int at = (start + i) % size;
      Instance candidate = candidates.get(at);
      if ((!pool.warming() || takesTurn(pool.firstSeenNanos()[at])) && usable.test(candidate)) {
        return candidate;
      }
    }
    if (!pool.warming()) {
      return null;
    }
    for (int i = 0; i < size; i++) {
      Instance candidate = candidates.get((start + i) % size);
      if (usable.test(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private boolean takesTurn(long firstSeenNanos) {
    double warmed = (double) (System.nanoTime() - firstSeenNanos) / slowStartNanos;
    return warmed >= 1 || ThreadLocalRandom.current().nextDouble() < FIRST_SHARE + (1 - FIRST_SHARE) * warmed;
  }

  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (announcements != null) {
      announcements.unregister();
    }
    serviceDiscovery.close();
  }
}
