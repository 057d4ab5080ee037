package io.swarmshop.discovery;

import static io.swarmshop.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.Environment;
import io.swarmshop.service.InvalidSetting;
import io.swarmshop.testing.Http;
import io.vertx.core.Vertx;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.types.HttpEndpoint;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The static and DNS importers, through the real vertx-service-discovery, and round-robin picking. */
@ExtendWith(VertxExtension.class)
class DiscoveryTest {
  @Test
  void staticUrlsGiveOneInstanceEachPickedInTurn(Vertx vertx) {
    Discovery discovery = Http.await(Discovery.start(vertx, settings(Map.of("CUSTOMERS_URLS", "http://10.0.0.1:8080, http://10.0.0.2:8080"),
      "customers", "products")));
    try {
      assertEquals(List.of("http://10.0.0.1:8080", "http://10.0.0.2:8080"), discovery.instances("customers").stream().map(Instance::url).toList());
      assertEquals("http://localhost:8082", discovery.instances("products").get(0).url(), "the local default");
      List<String> picks = IntStream.range(0, 4).mapToObj(i -> discovery.next("customers", any -> true).url()).toList();
      assertEquals(2, picks.stream().distinct().count());
      assertFalse(picks.get(0).equals(picks.get(1)), "round robin: " + picks);
      assertEquals("http://10.0.0.2:8080", discovery.next("customers", instance -> instance.host().equals("10.0.0.2")).url());
      assertNull(discovery.next("customers", instance -> false));
    } finally {
      discovery.close();
    }
  }

  @Test
  void anInstanceThatAppearsOnceRunningStartsSlowlyAndThenTakesItsFullShare(Vertx vertx) throws InterruptedException {
    Discovery discovery = Http.await(Discovery.start(vertx, settings(Map.of("CUSTOMERS_URLS", "http://10.0.0.1:8080", "SLOW_START_MS", "3000"),
      "customers")));
    // Another publisher into the same registry, as an importer is: a replica that appears.
    ServiceDiscovery registry = ServiceDiscovery.create(vertx);
    try {
      Http.await(registry.publish(HttpEndpoint.createRecord("customers", "10.0.0.2", 8080, "/")));
      eventually(Duration.ofSeconds(5), "the new instance to be discovered", () -> discovery.instances("customers").size(), size -> size == 2);
      long seen = System.nanoTime();
      long early = picksOf(discovery, "10.0.0.2", 1000);
      // Within a tenth of its slow start its share is under 8 % of its turns, against 50 % when warm.
      assertTrue(System.nanoTime() - seen < TimeUnit.MILLISECONDS.toNanos(300), "picked within the first tenth of the slow start");
      assertTrue(early >= 5 && early < 150, early + " of 1000 turns to the new instance");

      Thread.sleep(3000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - seen) + 100);
      assertEquals(500, picksOf(discovery, "10.0.0.2", 1000), "warm: round robin again");
    } finally {
      registry.close();
      discovery.close();
    }
  }

  private static long picksOf(Discovery discovery, String host, int turns) {
    return IntStream.range(0, turns).mapToObj(i -> discovery.next("customers", any -> true)).filter(picked -> picked.host().equals(host)).count();
  }

  @Test
  void dnsPublishesOneInstancePerAddressOfTheName(Vertx vertx) {
    Discovery discovery = Http.await(Discovery.start(vertx,
      settings(Map.of("DISCOVERY", "dns", "CUSTOMERS_DNS", "localhost", "CUSTOMERS_PORT", "9999", "DNS_REFRESH_MS", "200"), "customers")));
    try {
      List<Instance> instances = discovery.instances("customers");
      assertFalse(instances.isEmpty());
      assertTrue(instances.stream().allMatch(instance -> instance.port() == 9999));
      assertTrue(instances.stream().anyMatch(instance -> instance.host().equals("127.0.0.1")), instances.toString());
    } finally {
      discovery.close();
    }
  }

  @Test
  void anUnknownModeIsRefusedByName() {
    InvalidSetting refused = assertThrows(InvalidSetting.class, () -> settings(Map.of("DISCOVERY", "consul"), "customers"));
    assertEquals("DISCOVERY must be static, dns or docker, got 'consul'", refused.getMessage());
  }

  private static DiscoverySettings settings(Map<String, String> values, String... services) {
    return DiscoverySettings.from(new Environment(values), List.of(services));
  }
}
