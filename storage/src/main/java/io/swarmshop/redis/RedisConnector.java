package io.swarmshop.redis;

import io.swarmshop.http.Problem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.RedisSentinelConnectOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The service's Redis. Each event loop sends its commands on connections of its own, pipelined (many
 * in flight, answered in order): one for reads, one for writes, so that the wait for replicas that
 * confirms the writes never holds a read up. A connection that breaks, stops answering or finds itself
 * on a replica is given up and the next command takes another, so the service reconnects by itself
 * once Redis is back. With Sentinels, a {@link PrimaryWatch} tells when they name another primary:
 * every connection is then given up at its next command, as a primary demoted while it runs on keeps
 * its clients (and answers reads) until the Sentinels get round to reconfiguring it; and while they
 * hold the primary down or fail it over, no write is acknowledged. Every command has a time limit, so
 * that no request waits on a dead server.
 */
public final class RedisConnector {
  private static final Logger LOG = Logger.getLogger(RedisConnector.class.getName());
  private final Redis client;
  private final RedisSettings settings;
  /** By event-loop thread: each request runs on a context of its own, but on its loop's thread. */
  private final Map<Thread, Future<RedisConnection>> readers = new ConcurrentHashMap<>();
  private final Map<Thread, WriteLine> writers = new ConcurrentHashMap<>();
  /** With Sentinels: the run id of the server each open connection is to. */
  private final Map<RedisConnection, String> runIds = new ConcurrentHashMap<>();
  /** With Sentinels only. */
  private PrimaryWatch watch;
  private final AtomicLong unconfirmedLoggedNanos = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));

  private RedisConnector(Redis client, RedisSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  public static RedisConnector create(Vertx vertx, RedisSettings settings) {
    RedisOptions options = new RedisOptions()
      .setMaxPoolSize(settings.poolSize())
      .setMaxPoolWaiting(4096)
      .setMaxWaitingHandlers(4096)
      .setPoolRecycleTimeout(15_000)
      // A command is a span of the request it serves; one sent outside any request is not traced.
      .setTracingPolicy(TracingPolicy.PROPAGATE)
      .setNetClientOptions(new NetClientOptions()
        .setConnectTimeout(settings.timeoutMs())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    if (!settings.usesSentinels()) {
      return new RedisConnector(Redis.createClient(vertx, options.setConnectionString(settings.url())), settings);
    }
    // The client follows the primary itself: a connection that finds a replica is dropped, and the
    // next one asks the Sentinels again (their answer is cached for a second at most).
    RedisSentinelConnectOptions sentinel = new RedisSentinelConnectOptions(options)
      .setMasterName(settings.master())
      .setRole(RedisRole.MASTER)
      .setAutoFailover(false)
      .setTopologyCacheTTL(1000);
    options.setType(RedisClientType.SENTINEL);
    SentinelEndpoints endpoints = new SentinelEndpoints(vertx, settings.sentinels());
    RedisConnector connector = new RedisConnector(Redis.createSentinelClient(vertx, options, () -> endpoints.get()
      .map(found -> new RedisSentinelConnectOptions(sentinel).setEndpoints(found))), settings);
    connector.watch = new PrimaryWatch(vertx, settings.master(), settings.timeoutMs(), endpoints);
    return connector;
  }

  /**
   * Sends one read. A reply error (a Redis ErrorType) is passed on as it is; a connection that cannot
   * be made, breaks or does not answer in time becomes a 503, as the service cannot serve; so does any
   * read while most Sentinels do not answer.
   */
  public Future<Response> send(Request request) {
    if (watch != null && !watch.quorate()) {
      return Future.failedFuture(Problem.unavailable("The data store is cut off from most of its Sentinels; try again shortly.", 1));
    }
    if (!Context.isOnEventLoopThread()) {
      return limited(client.send(request), settings.timeoutMs(), () -> {});
    }
    Thread loop = Thread.currentThread();
    Future<RedisConnection> connection = readers.compute(loop, (key, current) -> {
      if (usable(current) && !stale(current)) {
        return current;
      }
      if (current != null) {
        close(current);
      }
      return connect();
    });
    return limited(connection.compose(open -> open.send(request)), settings.timeoutMs(), () -> drop(loop, connection));
  }

  /**
   * Sends one write and answers once {@code REDIS_MIN_REPLICAS} replicas have it too, so that a failover
   * cannot lose it; when they do not confirm within {@code REDIS_REPLICA_WAIT_MS}, a 503 (the write may
   * still be on the primary: a retry must be idempotent).
   */
  public Future<Response> write(Request request) {
    if (!Context.isOnEventLoopThread()) {
      return Future.failedFuture(new IllegalStateException("writes are sent from an event loop"));
    }
    if (!acknowledging()) {
      return Future.failedFuture(Problem.unavailable("The data store is failing over; try again shortly.", 1));
    }
    WriteLine line = writers.computeIfAbsent(Thread.currentThread(), loop -> new WriteLine());
    return line.send(request);
  }

  /** Whether the service can serve: Redis answers, and it is the primary. */
  public Future<Void> ready() {
    return send(Request.cmd(Command.ROLE)).compose(role -> "master".equals(role.get(0).toString())
      ? Future.succeededFuture()
      : Future.failedFuture(Problem.unavailable("Redis answers, but as a replica: no primary yet.", 1)));
  }

  /** Whether a connection is to another server than the one the Sentinels name the primary now. */
  private boolean stale(Future<RedisConnection> connection) {
    if (watch == null || !connection.succeeded()) {
      return false;
    }
    String runId = runIds.get(connection.result());
    return runId != null && !watch.isPrimary(runId);
  }

  private void close(Future<RedisConnection> connection) {
    connection.onSuccess(open -> {
      runIds.remove(open);
      open.close();
    });
  }

  /** Whether a write may be acknowledged now: no failover is under way. */
  private boolean acknowledging() {
    return watch == null || watch.trusted();
  }

  private static boolean usable(Future<RedisConnection> connection) {
    return connection != null && !connection.failed();
  }

  private Future<Response> limited(Future<Response> answer, long timeoutMs, Runnable dropConnection) {
    return answer
      .timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .recover(failure -> {
        if (failure instanceof ErrorType error) {
          return replyError(error, dropConnection);
        }
        dropConnection.run();
        return Future.failedFuture(unavailable());
      });
  }

  /**
   * Errors that say this server cannot take the command now become a 503: a closed connection, a
   * replica (after a failover, the connection is dropped so that the next finds the primary), a
   * primary without enough replicas, one still loading its data. Others are passed on.
   */
  private static Future<Response> replyError(ErrorType error, Runnable dropConnection) {
    String message = String.valueOf(error.getMessage());
    // CONNECTION_CLOSED is the client's own: the commands still waiting on a connection that closed.
    if (message.startsWith("CONNECTION_CLOSED") || message.contains("READONLY") || message.startsWith("LOADING")
      || message.startsWith("MASTERDOWN")) {
      dropConnection.run();
      return Future.failedFuture(unavailable());
    }
    if (message.contains("NOREPLICAS")) {
      return Future.failedFuture(Problem.unavailable("The data store cannot reach its replicas; try again shortly.", 1));
    }
    return Future.failedFuture(error);
  }

  private static Problem unavailable() {
    return Problem.unavailable("The data store is not answering; try again shortly.", 1);
  }

  /** A field of an {@code INFO} answer ({@code role:master}); null when it has none. */
  private static String infoField(String info, String name) {
    return info.lines().filter(line -> line.startsWith(name + ":")).map(line -> line.substring(name.length() + 1).strip())
      .findFirst().orElse(null);
  }

  /**
   * A new connection; with Sentinels, one that turns out not to be on a primary, or on another one than
   * the Sentinels name, is refused.
   */
  private Future<RedisConnection> connect() {
    Thread loop = Thread.currentThread();
    Future<RedisConnection> connecting = client.connect();
    if (settings.usesSentinels()) {
      connecting = connecting.compose(connection -> connection.send(Request.cmd(Command.INFO).arg("replication"))
        .compose(replication -> connection.send(Request.cmd(Command.INFO).arg("server")).map(server -> replication + "\n" + server))
        .timeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
        .transform(info -> {
          String runId = info.succeeded() ? infoField(info.result(), "run_id") : null;
          if (runId != null && "master".equals(infoField(info.result(), "role")) && watch.isPrimary(runId)) {
            runIds.put(connection, runId);
            return Future.succeededFuture(connection);
          }
          connection.close();
          return Future.failedFuture(unavailable());
        }));
    }
    Future<RedisConnection> connected = connecting;
    connected.onSuccess(connection -> connection
      .exceptionHandler(failure -> dropEverywhere(loop, connected))
      .endHandler(ended -> dropEverywhere(loop, connected)));
    return connected;
  }

  private void dropEverywhere(Thread loop, Future<RedisConnection> broken) {
    drop(loop, broken);
    WriteLine line = writers.get(loop);
    if (line != null) {
      line.drop(broken, "its connection broke");
    }
  }

  /** Gives a broken or stalled read connection up, so that the next read on this event loop connects again. */
  private void drop(Thread loop, Future<RedisConnection> broken) {
    if (readers.remove(loop, broken)) {
      close(broken);
    }
  }

  public void close() {
    if (watch != null) {
      watch.close();
    }
    readers.clear();
    writers.clear();
    client.close();
  }

  /**
   * One event loop's connection for writes, and the {@code WAIT}s that confirm them. A {@code WAIT}
   * confirms every write its connection sent before it, so the writes answered while one is on its way
   * share the next: two at most in flight, however many writes. Used only from its loop's thread.
   */
  private final class WriteLine {
    private Future<RedisConnection> connection;
    /** The writes on {@code connection} answered since its last {@code WAIT} was sent; null when none. */
    private Promise<Void> unconfirmed;
    /** Whether a {@code WAIT} on {@code connection} is on its way. */
    private boolean waiting;

    Future<Response> send(Request request) {
      if (connection != null && stale(connection)) {
        drop(connection, "the Sentinels name another primary");
      }
      if (!usable(connection)) {
        connection = connect();
      }
      Future<RedisConnection> used = connection;
      long sent = System.nanoTime();
      Future<Response> answer = limited(used.compose(open -> open.send(request)), settings.timeoutMs(),
        () -> drop(used, "a write got no answer in " + elapsedMs(sent) + " ms"));
      if (settings.minReplicas() == 0) {
        return answer;
      }
      return answer.compose(response -> confirmed(used).map(response));
    }

    private Future<Void> confirmed(Future<RedisConnection> used) {
      if (used != connection) {
        notConfirmed("its connection was given up before the write was answered");
        return Future.failedFuture(unconfirmed());
      }
      if (unconfirmed == null) {
        unconfirmed = Promise.promise();
      }
      Future<Void> confirmation = unconfirmed.future();
      if (!waiting) {
        sendWait();
      }
      return confirmation;
    }

    private void sendWait() {
      Future<RedisConnection> used = connection;
      Promise<Void> batch = unconfirmed;
      unconfirmed = null;
      waiting = true;
      Request wait = Request.cmd(Command.WAIT).arg(settings.minReplicas()).arg(settings.replicaWaitMs());
      long sent = System.nanoTime();
      limited(used.compose(open -> open.send(wait)), settings.replicaWaitMs() + settings.timeoutMs(),
        () -> drop(used, "a WAIT got no answer in " + elapsedMs(sent) + " ms"))
        .onComplete(replicas -> {
          // Confirmed by replicas of the server the Sentinels still name the primary, with no failover under way.
          if (replicas.succeeded() && replicas.result().toInteger() >= settings.minReplicas()
            && !stale(used) && acknowledging()) {
            batch.complete();
          } else {
            if (replicas.succeeded()) {
              notConfirmed(replicas.result().toInteger() < settings.minReplicas()
                ? "WAIT counted " + replicas.result().toInteger() + " replicas in " + elapsedMs(sent) + " ms"
                : stale(used) ? "the Sentinels name another primary" : "a failover is under way");
            }
            batch.fail(unconfirmed());
          }
          if (used == connection) {
            waiting = false;
            if (unconfirmed != null) {
              sendWait();
            }
          }
        });
    }

    /** The writes this connection sent and no {@code WAIT} confirmed yet cannot be confirmed any more. */
    void drop(Future<RedisConnection> broken, String reason) {
      if (connection != broken) {
        return;
      }
      connection = null;
      waiting = false;
      if (unconfirmed != null) {
        notConfirmed(reason);
        unconfirmed.fail(unconfirmed());
        unconfirmed = null;
      }
      close(broken);
    }
  }

  private static long elapsedMs(long sinceNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
  }

  /** Why writes went unconfirmed, once a second at most: a reason that repeats for every write would flood the log. */
  private void notConfirmed(String reason) {
    long now = System.nanoTime();
    long last = unconfirmedLoggedNanos.get();
    if (now - last >= TimeUnit.SECONDS.toNanos(1) && unconfirmedLoggedNanos.compareAndSet(last, now)) {
      LOG.info("writes to " + (settings.usesSentinels() ? settings.master() : "Redis") + " not confirmed: " + reason);
    }
  }

  private static Problem unconfirmed() {
    return Problem.unavailable("No replica confirmed the write in time; retry it (with the same Idempotency-Key).", 1);
  }
}
