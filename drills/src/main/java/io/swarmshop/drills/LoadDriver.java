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
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Steady, open-loop traffic through the gateway's entries: requests are sent at the drill's rate
 * whether or not earlier ones have answered, so a stall shows as failures and latency, not as a
 * slower load. Each cycle reads a customer and a product, issues two invoices (each with an
 * Idempotency-Key), reads an invoice back, lists a page, and creates a customer and a product. A
 * request that gets no answer is sent to the next entry when that is safe ({@link Kind#resendable}),
 * as a client behind round-robin DNS would. Everything runs on this verticle's event loop, so the
 * tally needs no locks.
 */
final class LoadDriver extends VerticleBase {
  private static final int SEED_COUNT = 4;
  private static final long SEED_DEADLINE_MS = 120_000;
  private static final long TICK_MS = 10;
  private static final Kind[] CYCLE = {Kind.GET_CUSTOMER, Kind.POST_INVOICE, Kind.GET_PRODUCT, Kind.GET_INVOICE,
    Kind.POST_INVOICE, Kind.LIST_INVOICES, Kind.POST_CUSTOMER, Kind.POST_PRODUCT};

  private final DrillOptions options;
  private final Entries entries;
  private final Promise<Tally> finished = Promise.promise();
  private final List<String> customerIds = new ArrayList<>();
  private final List<String> productIds = new ArrayList<>();
  private WebClient client;
  private Tally tally;
  private long sent;
  private int inFlight;
  private boolean stopping;

  LoadDriver(DrillOptions options) {
    this.options = options;
    this.entries = new Entries(options.entries());
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
        .compose(v -> seed("/api/customers", customer(n), deadline))
        .map(id -> customerIds.add(id))
        .compose(v -> seed("/api/products", product(n), deadline))
        .map(id -> productIds.add(id))
        .mapEmpty();
    }
    return seeded.onSuccess(v -> run());
  }

  private JsonObject customer(long n) {
    return new JsonObject().put("name", options.name() + " customer " + n).put("address", n + " Drill Street");
  }

  private JsonObject product(long n) {
    return new JsonObject().put("name", options.name() + " product " + n).put("price", 1.25 + n % 10);
  }

  /** Creates one entity, retrying (on the next entry) while the system is still coming up. */
  private Future<String> seed(String path, JsonObject body, long deadline) {
    int entry = entries.pick(System.nanoTime(), -1);
    return request(HttpMethod.POST, entry, path).sendJsonObject(body).compose(response -> response.statusCode() == 201
        ? Future.succeededFuture(response.bodyAsJsonObject().getString("id"))
        : Future.failedFuture("POST " + path + " answered " + response.statusCode()))
      .recover(failure -> {
        entries.refused(entry, System.nanoTime());
        if (System.currentTimeMillis() > deadline) {
          return Future.failedFuture("could not seed through " + options.entries() + ": " + failure.getMessage());
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
      if (!tally.faultSeen() && Files.exists(Path.of(options.faultFile()))) {
        tally.fault(System.nanoTime());
      }
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
    String path;
    JsonObject body = null;
    switch (kind) {
      case GET_CUSTOMER -> path = "/api/customers/" + pick(customerIds, sequence);
      case GET_PRODUCT -> path = "/api/products/" + pick(productIds, sequence);
      case GET_INVOICE -> {
        List<String> invoices = tally.acknowledged(Kind.POST_INVOICE);
        path = invoices.isEmpty() ? "/api/invoices?limit=1" : "/api/invoices/" + invoices.get(invoices.size() - 1);
      }
      case LIST_INVOICES -> path = "/api/invoices?limit=20";
      case POST_CUSTOMER -> {
        path = kind.path();
        body = customer(sequence);
      }
      case POST_PRODUCT -> {
        path = kind.path();
        body = product(sequence);
      }
      default -> {
        path = kind.path();
        body = new JsonObject().put("customerId", pick(customerIds, sequence))
          .put("productId", pick(productIds, sequence / 2)).put("quantity", 1 + (int) (sequence % 7));
      }
    }
    inFlight++;
    attempt(kind, path, body, kind == Kind.POST_INVOICE ? UUID.randomUUID().toString() : null, System.nanoTime(), 1, -1);
  }

  /** One attempt at a request; one that got no answer goes to the next entry while that is safe and entries remain. */
  private void attempt(Kind kind, String path, JsonObject body, String idempotencyKey, long started, int attempt, int failedEntry) {
    int entry = entries.pick(System.nanoTime(), failedEntry);
    HttpRequest<Buffer> request = request(kind.write ? HttpMethod.POST : HttpMethod.GET, entry, path);
    if (idempotencyKey != null) {
      request.putHeader("Idempotency-Key", idempotencyKey);
    }
    Future<HttpResponse<Buffer>> response = body == null ? request.send() : request.sendJsonObject(body);
    response.onComplete(result -> {
      long now = System.nanoTime();
      String url = entries.url(entry);
      if (result.succeeded()) {
        HttpResponse<Buffer> answer = result.result();
        entries.answered(entry, answer.statusCode(), now);
        if ("close".equalsIgnoreCase(answer.getHeader("Connection"))) {
          entries.draining(entry, now);
        }
        String createdId = kind.write && answer.statusCode() == 201 ? answer.bodyAsJsonObject().getString("id") : null;
        tally.answered(kind, url, started, now, answer.statusCode(), answer.getHeader("X-Served-By"), createdId,
          answer.statusCode() >= 500 ? problemDetail(answer) : null);
        inFlight--;
        return;
      }
      boolean neverSent = result.cause() instanceof ConnectException;
      if (neverSent) {
        entries.refused(entry, now);
      } else {
        entries.unanswered(entry, now);
      }
      if (attempt < entries.size() && kind.resendable(neverSent) && !stopping) {
        tally.resent();
        attempt(kind, path, body, idempotencyKey, started, attempt + 1, entry);
        return;
      }
      tally.failed(kind, url, started, now, Tally.label(result.cause()));
      inFlight--;
    });
  }

  /** What a failing answer says went wrong, when it is a problem document; which dependency failed, and how. */
  private static String problemDetail(HttpResponse<Buffer> answer) {
    String type = answer.getHeader("Content-Type");
    if (type == null || !type.startsWith("application/problem+json")) {
      return null;
    }
    try {
      return answer.bodyAsJsonObject().getString("detail");
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private HttpRequest<Buffer> request(HttpMethod method, int entry, String path) {
    return client.requestAbs(method, entries.url(entry) + path).timeout(options.timeoutMs());
  }

  private static String pick(List<String> ids, long sequence) {
    return ids.get((int) (sequence % ids.size()));
  }
}
