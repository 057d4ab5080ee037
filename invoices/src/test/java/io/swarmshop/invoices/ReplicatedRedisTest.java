package io.swarmshop.invoices;

import static io.swarmshop.testing.Eventually.eventually;
import static io.swarmshop.testing.ProblemAnswers.assertUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.http.Idempotency;
import io.swarmshop.service.RunningService;
import io.swarmshop.testing.Fixtures;
import io.swarmshop.testing.FreePorts;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.RedisServer;
import io.swarmshop.testing.ReplicatedRedis;
import io.swarmshop.testing.Started;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invoices on a primary, two replicas and three Sentinels, all real processes: a killed or demoted
 * primary is followed without a restart and without losing an acknowledged invoice, and a write no replica
 * confirms is a 503 that an idempotent retry completes without a duplicate.
 */
@ExtendWith(VertxExtension.class)
class ReplicatedRedisTest {
  private static final int REPLICA_WAIT_MS = 300;
  /** How long a primary goes on taking writes after its replicas went silent. */
  private static final int MAX_LAG_SECONDS = 2;
  /** The budget of the whole system for a failover: from the primary's loss to the next acknowledged write. */
  private static final long FAILOVER_BUDGET_MS = 10_000;
  /** Far below any wait the service has: an answer this fast did not wait on a replica. */
  private static final long WITHOUT_WAITING_MS = 250;

  private final Started started = new Started();
  private ReplicatedRedis redis;
  private Http invoices;
  private JsonObject order;
  private Map<String, String> settings;

  @BeforeEach
  void start(Vertx vertx) {
    redis = started.replicatedRedis("invoices", MAX_LAG_SECONDS);
    RunningService customers = started.serviceWithRedis("customers", io.swarmshop.customers.Main::application, Map.of());
    RunningService products = started.serviceWithRedis("products", io.swarmshop.products.Main::application, Map.of());
    Fixtures fixtures = Fixtures.direct(new Http(vertx, customers.httpPort()), new Http(vertx, products.httpPort()));
    order = Fixtures.order(fixtures.customer("Ada"), fixtures.product("Pen", "2.00"), 1);
    settings = new HashMap<>(redis.settings());
    settings.put("REDIS_REPLICA_WAIT_MS", String.valueOf(REPLICA_WAIT_MS));
    settings.put("CUSTOMERS_URLS", "http://127.0.0.1:" + customers.httpPort());
    settings.put("PRODUCTS_URLS", "http://127.0.0.1:" + products.httpPort());
    invoices = new Http(vertx, started.service("invoices", Main::application, settings).httpPort());
  }

  @AfterEach
  void stop() {
    started.close();
  }

  private HttpResponse<Buffer> post(String idempotencyKey) {
    return invoices.send(HttpMethod.POST, "/invoices", order.encode(),
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add(Idempotency.KEY_HEADER, idempotencyKey));
  }

  private int invoicesStored() {
    return invoices.all("/invoices", "").size();
  }

  /**
   * How the primary is lost: killed, or frozen past the Sentinels' patience and then woken, as a node
   * cut off and back would be: it still takes its clients for the primary until the Sentinels turn it
   * into a replica.
   */
  enum Loss { KILLED, FROZEN }

  @ParameterizedTest(name = "primary {0}")
  @EnumSource(Loss.class)
  void aLostPrimaryIsFollowedWithinTheBudgetAndNoAcknowledgedInvoiceIsLost(Loss loss) {
    RedisServer first = redis.primary();
    List<String> acknowledged = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    long lostAt = 0;
    long firstFailedAfterLoss = 0;
    long recoveredAt = 0;
    boolean woken = false;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    // A steady stream of writes: one second before the loss, then on until three seconds after the
    // first write acknowledged after one failed (as the drills measure a failover window).
    for (long startedAt = System.nanoTime(); System.nanoTime() < deadline; ) {
      if (lostAt == 0 && System.nanoTime() - startedAt > 1_000_000_000L) {
        if (loss == Loss.KILLED) {
          first.kill();
        } else {
          first.pause();
        }
        lostAt = System.nanoTime();
      }
      if (loss == Loss.FROZEN && !woken && lostAt != 0 && System.nanoTime() - lostAt > 3L * ReplicatedRedis.DOWN_AFTER_MS * 1_000_000) {
        first.resume();
        woken = true;
      }
      HttpResponse<Buffer> response = post(UUID.randomUUID().toString());
      statuses.merge(response.statusCode(), 1, Integer::sum);
      if (response.statusCode() == 201) {
        String id = response.bodyAsJsonObject().getString("id");
        acknowledged.add(id);
        // Read your own writes: what was just acknowledged is there, or the store says it cannot answer yet.
        HttpResponse<Buffer> readBack = invoices.get("/invoices/" + id);
        assertNotEquals(404, readBack.statusCode(), "invoice " + id + " read back at once after its 201");
        if (firstFailedAfterLoss != 0 && recoveredAt == 0) {
          recoveredAt = System.nanoTime();
        }
      } else {
        assertUnavailable(response);
        if (lostAt != 0 && firstFailedAfterLoss == 0) {
          firstFailedAfterLoss = System.nanoTime();
        }
      }
      if (recoveredAt != 0 && System.nanoTime() - recoveredAt > 3_000_000_000L) {
        break;
      }
    }
    assertTrue(firstFailedAfterLoss != 0, "no write failed after the primary was " + loss + ": the loss was not felt");
    assertTrue(recoveredAt != 0, "writes never resumed after the primary was " + loss + "; answers by status: " + statuses);
    long windowMs = (recoveredAt - lostAt) / 1_000_000;
    System.out.printf("failover (primary %s): writes failed until %d ms after; answers by status %s%n", loss, windowMs, statuses);
    assertTrue(windowMs <= FAILOVER_BUDGET_MS, "writes resumed " + windowMs + " ms after the primary was " + loss);
    assertNotEquals(first.port(), redis.primary().port(), "a replica was promoted");

    List<String> stored = invoices.all("/invoices", "").stream().map(invoice -> invoice.getString("id")).toList();
    List<String> lost = acknowledged.stream().filter(id -> !stored.contains(id)).toList();
    assertEquals(0, lost.size(), "of " + acknowledged.size() + " acknowledged invoices, " + lost.size() + " are gone ("
      + stored.size() + " stored), e.g. " + lost.stream().limit(3).toList());
    for (String id : List.of(acknowledged.get(0), acknowledged.get(acknowledged.size() - 1))) {
      assertEquals(200, invoices.get("/invoices/" + id).statusCode(), "invoice " + id + " reads back");
    }
  }

  @Test
  void aServiceThatHearsFromOneSentinelOfThreeServesNothingUntilTheOthersAnswer() {
    HttpResponse<Buffer> created = post(UUID.randomUUID().toString());
    assertEquals(201, created.statusCode());
    String path = "/invoices/" + created.bodyAsJsonObject().getString("id");
    List<RedisServer> cutOff = redis.sentinels().subList(0, 2);
    cutOff.forEach(RedisServer::pause);
    try {
      // As on a node cut off from the two others: its primary may have been replaced there.
      eventually(Duration.ofSeconds(5), "reads to be refused", () -> invoices.get(path).statusCode() == 503);
      assertUnavailable(invoices.get(path));
      assertUnavailable(post(UUID.randomUUID().toString()));
    } finally {
      cutOff.forEach(RedisServer::resume);
    }
    eventually(Duration.ofSeconds(5), "reads to be served again", () -> invoices.get(path).statusCode() == 200);
  }

  @Test
  void theMajorityIsOfTheSentinelsKnownNotOfTheAddressesListed(Vertx vertx) {
    // As DNS may answer while a task is replaced: two Sentinels, and two addresses of tasks that are gone.
    List<RedisServer> listed = redis.sentinels().subList(0, 2);
    String sentinels = listed.stream().map(sentinel -> "127.0.0.1:" + sentinel.port()).collect(Collectors.joining(","))
      + ",127.0.0.1:" + FreePorts.find() + ",127.0.0.1:" + FreePorts.find();
    Map<String, String> withGoneTasks = new HashMap<>(settings);
    withGoneTasks.put("REDIS_SENTINELS", sentinels);
    Http served = new Http(vertx, started.service("invoices", Main::application, withGoneTasks).httpPort());
    HttpResponse<Buffer> created = served.send(HttpMethod.POST, "/invoices", order.encode(),
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add(Idempotency.KEY_HEADER, UUID.randomUUID().toString()));
    assertEquals(201, created.statusCode(), "two of the three Sentinels answer: " + created.bodyAsString());
    String path = "/invoices/" + created.bodyAsJsonObject().getString("id");
    listed.get(1).pause();
    try {
      eventually(Duration.ofSeconds(5), "one Sentinel of three to be too few", () -> served.get(path).statusCode() == 503);
    } finally {
      listed.get(1).resume();
    }
    eventually(Duration.ofSeconds(5), "reads to be served again", () -> served.get(path).statusCode() == 200);
  }

  @Test
  void aPrimaryWithoutReplicasRefusesWritesWithA503AtOnceAndStoresNothing() {
    assertEquals(201, post(UUID.randomUUID().toString()).statusCode());
    redis.replicas().forEach(RedisServer::kill);

    // Within the lag the primary still takes writes, but no replica confirms them; past it, it refuses them.
    eventually(Duration.ofSeconds(MAX_LAG_SECONDS + 5), "the primary to refuse writes without waiting", () -> {
      long startedAt = System.nanoTime();
      HttpResponse<Buffer> response = post(UUID.randomUUID().toString());
      assertUnavailable(response);
      return (System.nanoTime() - startedAt) / 1_000_000 < WITHOUT_WAITING_MS;
    });
    int afterLag = invoicesStored();
    for (int i = 0; i < 5; i++) {
      long startedAt = System.nanoTime();
      assertUnavailable(post(UUID.randomUUID().toString()));
      long elapsedMs = (System.nanoTime() - startedAt) / 1_000_000;
      assertTrue(elapsedMs < WITHOUT_WAITING_MS, "a refused write is answered at once, took " + elapsedMs + " ms");
    }
    assertEquals(afterLag, invoicesStored(), "a refused write stores nothing");
  }

  @Test
  void aWriteNoReplicaConfirmsInTimeIsA503AndItsRetryWithTheSameKeyMakesNoDuplicate() {
    String key = UUID.randomUUID().toString();
    List<RedisServer> replicas = redis.replicas();
    replicas.forEach(RedisServer::pause);
    try {
      long startedAt = System.nanoTime();
      assertUnavailable(post(key));
      long elapsedMs = (System.nanoTime() - startedAt) / 1_000_000;
      assertTrue(elapsedMs >= REPLICA_WAIT_MS, "the service waited for a replica first, answered after " + elapsedMs + " ms");
    } finally {
      replicas.forEach(RedisServer::resume);
    }
    int stored = invoicesStored();
    assertEquals(1, stored, "the unconfirmed write is on the primary");

    HttpResponse<Buffer> retry = eventually(Duration.ofSeconds(5), "the retry to be acknowledged", () -> post(key),
      response -> response.statusCode() != 503);
    assertEquals(201, retry.statusCode(), retry.bodyAsString());
    assertEquals("true", retry.getHeader(Idempotency.REPLAYED_HEADER), "the retry answers the first write");
    assertEquals(1, invoicesStored(), "no duplicate");
  }
}
