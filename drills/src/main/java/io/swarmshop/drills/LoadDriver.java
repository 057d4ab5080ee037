package io.swarmshop.drills;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Steady, open-loop traffic through the gateway: requests are sent at the drill's rate whether or not
 * earlier ones have answered, so a stall shows as failures and latency, not as a slower load. Each
 * cycle reads a customer and a product, issues two invoices, reads an invoice back and lists a page.
 * Everything runs on this verticle's event loop, so the tally needs no locks.
 */
final class LoadDriver extends VerticleBase {
  private static final int SEED_COUNT = 4;
  private static final long SEED_DEADLINE_MS = 120_000;
  private static final long TICK_MS = 10;
  private static final Kind[] CYCLE = {Kind.GET_CUSTOMER, Kind.POST_INVOICE, Kind.GET_PRODUCT, Kind.GET_INVOICE,
    Kind.POST_INVOICE, Kind.LIST_INVOICES};

  private final DrillOptions options;
  private final Promise<Tally> finished = Promise.promise();
  private final List<String> customerIds = new ArrayList<>();
  private final List<String> productIds = new ArrayList<>();
  private WebClient client;
  private Tally tally;
  private long sent;
  private int inFlight;
  private boolean stopping;

  enum Kind { GET_CUSTOMER, GET_PRODUCT, POST_INVOICE, GET_INVOICE, LIST_INVOICES }

  LoadDriver(DrillOptions options) {
    this.options = options;
  }

  /** Completes with the tally once the drill has said stop and every request sent has answered. */
  Future<Tally> finished() {
    return finished.future();
  }

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(64));
    long deadline = System.currentTimeMillis() + SEED_DEADLINE_MS;
    Future<Void> seeded = Future.succeededFuture();
    for (int i = 0; i < SEED_COUNT; i++) {
      int n = i;
      seeded = seeded
        .compose(v -> seed("/api/customers", new JsonObject().put("name", options.name() + " customer " + n)
          .put("address", n + " Drill Street"), deadline))
        .map(id -> customerIds.add(id))
        .compose(v -> seed("/api/products", new JsonObject().put("name", options.name() + " product " + n)
          .put("price", 1.25 + n), deadline))
        .map(id -> productIds.add(id))
        .mapEmpty();
    }
    return seeded.onSuccess(v -> run());
  }

  /** Creates one entity, retrying while the system is still coming up. */
  private Future<String> seed(String path, JsonObject body, long deadline) {
    return request(HttpMethod.POST, path).sendJsonObject(body).compose(response -> response.statusCode() == 201
        ? Future.succeededFuture(response.bodyAsJsonObject().getString("id"))
        : Future.failedFuture("POST " + path + " answered " + response.statusCode()))
      .recover(failure -> {
        if (System.currentTimeMillis() > deadline) {
          return Future.failedFuture("could not seed through " + options.gateway() + ": " + failure.getMessage());
        }
        Promise<Void> pause = Promise.promise();
        vertx.setTimer(1000, t -> pause.complete());
        return pause.future().compose(v -> seed(path, body, deadline));
      });
  }

  /** Starts the load, and tells the drill so with a file beside its stop file. */
  private void run() {
    long now = System.nanoTime();
    tally = new Tally(now, now + options.warmupSeconds() * 1_000_000_000L);
    vertx.fileSystem().writeFile(options.stopFile() + ".started", Buffer.buffer());
    long startedMs = System.currentTimeMillis();
    vertx.setPeriodic(TICK_MS, timer -> {
      if (!stopping && (Files.exists(Path.of(options.stopFile()))
        || System.currentTimeMillis() - startedMs > options.maxSeconds() * 1000L)) {
        stopping = true;
      }
      if (stopping) {
        if (inFlight == 0) {
          vertx.cancelTimer(timer);
          tally.end(System.nanoTime());
          finished.complete(tally);
        }
        return;
      }
      long due = (System.nanoTime() - now) * options.rate() / 1_000_000_000L;
      while (sent < due) {
        send(CYCLE[(int) (sent % CYCLE.length)], sent);
        sent++;
      }
    });
  }

  private void send(Kind kind, long sequence) {
    HttpRequest<Buffer> request;
    JsonObject body = null;
    switch (kind) {
      case GET_CUSTOMER -> request = request(HttpMethod.GET, "/api/customers/" + pick(customerIds, sequence));
      case GET_PRODUCT -> request = request(HttpMethod.GET, "/api/products/" + pick(productIds, sequence));
      case GET_INVOICE -> request = tally.acknowledged().isEmpty()
        ? request(HttpMethod.GET, "/api/invoices?limit=1")
        : request(HttpMethod.GET, "/api/invoices/" + tally.acknowledged().get(tally.acknowledged().size() - 1));
      case LIST_INVOICES -> request = request(HttpMethod.GET, "/api/invoices?limit=20");
      default -> {
        request = request(HttpMethod.POST, "/api/invoices");
        body = new JsonObject().put("customerId", pick(customerIds, sequence))
          .put("productId", pick(productIds, sequence / 2)).put("quantity", 1 + (int) (sequence % 7));
      }
    }
    long started = System.nanoTime();
    inFlight++;
    Future<HttpResponse<Buffer>> response = body == null ? request.send() : request.sendJsonObject(body);
    response.onComplete(result -> {
      inFlight--;
      long now = System.nanoTime();
      if (result.succeeded()) {
        HttpResponse<Buffer> answer = result.result();
        String createdId = kind == Kind.POST_INVOICE && answer.statusCode() == 201
          ? answer.bodyAsJsonObject().getString("id") : null;
        tally.answered(started, now, answer.statusCode(), answer.getHeader("X-Served-By"), createdId);
      } else {
        tally.failed(started, now, Tally.label(result.cause()));
      }
    });
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.requestAbs(method, options.gateway() + path).timeout(options.timeoutMs());
  }

  private static String pick(List<String> ids, long sequence) {
    return ids.get((int) (sequence % ids.size()));
  }
}
