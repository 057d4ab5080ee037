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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds the instances of the services a process calls, with the importer {@code DISCOVERY} names
 * (static, dns or docker), and keeps a local copy of them so that picking one costs no I/O.
 */
public final class Discovery {
  private static final long REFRESH_MS = 1000;

  private final Vertx vertx;
  private final ServiceDiscovery serviceDiscovery;
  private final List<String> services;
  private final Map<String, List<Instance>> instances = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> announcements;
  private long timer = -1;

  private Discovery(Vertx vertx, ServiceDiscovery serviceDiscovery, List<String> services) {
    this.vertx = vertx;
    this.serviceDiscovery = serviceDiscovery;
    this.services = List.copyOf(services);
    services.forEach(service -> {
      instances.put(service, List.of());
      turns.put(service, new AtomicInteger());
    });
  }

  public static Future<Discovery> start(Vertx vertx, DiscoverySettings settings) {
    String announceAddress = "swarmshop.discovery." + UUID.randomUUID();
    ServiceDiscovery serviceDiscovery = ServiceDiscovery.create(vertx,
      new ServiceDiscoveryOptions().setAnnounceAddress(announceAddress).setName("swarmshop"));
    Discovery discovery = new Discovery(vertx, serviceDiscovery, settings.services());
    ServiceImporter importer = switch (settings.mode()) {
      case "dns" -> new DnsServiceImporter();
      case "docker" -> new DockerServiceImporter();
      default -> new StaticServiceImporter();
    };
    discovery.announcements = vertx.eventBus().consumer(announceAddress, message -> discovery.refresh());
    return serviceDiscovery.registerServiceImporter(importer, settings.importerConfig())
      .compose(registered -> discovery.refresh())
      .map(refreshed -> {
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
        services.forEach(service -> instances.put(service, byService.getOrDefault(service, List.of())));
      })
      .mapEmpty();
  }

  public List<String> services() {
    return services;
  }

  public List<Instance> instances(String service) {
    return instances.getOrDefault(service, List.of());
  }

  /** The next instance in round-robin order among those {@code usable} accepts; null when there is none. */
  public Instance next(String service, Predicate<Instance> usable) {
    List<Instance> candidates = instances(service);
    int size = candidates.size();
    int start = Math.floorMod(turns.get(service).getAndIncrement(), Math.max(size, 1));
    for (int i = 0; i < size; i++) {
      Instance candidate = candidates.get((start + i) % size);
      if (usable.test(candidate)) {
        return candidate;
      }
    }
    return null;
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
