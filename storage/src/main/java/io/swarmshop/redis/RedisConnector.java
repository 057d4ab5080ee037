package io.swarmshop.redis;

import io.swarmshop.http.Problem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service's Redis. Each event loop sends its commands on a connection of its own, pipelined (many
 * in flight, answered in order): no pool hand-off per command, and Redis reads many commands per wake-up.
 * A connection that breaks or stops answering is given up and the next command takes another from the
 * pool, which opens new ones, so the service reconnects by itself once Redis is back; every command has
 * a time limit, so that no request waits on a dead server.
 */
public final class RedisConnector {
  private final Redis client;
  private final long commandTimeoutMs;
  /** By event-loop thread: each request runs on a context of its own, but on its loop's thread. */
  private final Map<Thread, Future<RedisConnection>> connections = new ConcurrentHashMap<>();

  private RedisConnector(Redis client, long commandTimeoutMs) {
    this.client = client;
    this.commandTimeoutMs = commandTimeoutMs;
  }

  public static RedisConnector create(Vertx vertx, RedisSettings settings) {
    int timeoutMs = settings.timeoutMs();
    RedisOptions options = new RedisOptions()
      .setConnectionString(settings.url())
      .setMaxPoolSize(settings.poolSize())
      .setMaxPoolWaiting(4096)
      .setMaxWaitingHandlers(4096)
      .setPoolRecycleTimeout(15_000)
      .setNetClientOptions(new NetClientOptions()
        .setConnectTimeout(timeoutMs)
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    return new RedisConnector(Redis.createClient(vertx, options), timeoutMs);
  }

  /**
   * Sends one command. A reply error (a Redis ErrorType) is passed on as it is; a connection that
   * cannot be made, breaks or does not answer in time becomes a 503, as the service cannot serve.
   */
  public Future<Response> send(Request request) {
    if (!Context.isOnEventLoopThread()) {
      return limited(client.send(request), () -> {});
    }
    Thread loop = Thread.currentThread();
    Future<RedisConnection> connection = connection(loop);
    return limited(connection.compose(open -> open.send(request)), () -> drop(loop, connection));
  }

  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  private Future<Response> limited(Future<Response> answer, Runnable dropConnection) {
    return answer
      .timeout(commandTimeoutMs, TimeUnit.MILLISECONDS)
      .recover(failure -> {
        if (failure instanceof ErrorType) {
          return Future.failedFuture(failure);
        }
        dropConnection.run();
        return Future.failedFuture(Problem.unavailable("The data store is not answering; try again shortly.", 1));
      });
  }

  private Future<RedisConnection> connection(Thread loop) {
    return connections.compute(loop, (key, current) -> current != null && !current.failed() ? current : connect(loop));
  }

  private Future<RedisConnection> connect(Thread loop) {
    Future<RedisConnection> connecting = client.connect();
    connecting.onSuccess(connection -> connection
      .exceptionHandler(failure -> drop(loop, connecting))
      .endHandler(ended -> drop(loop, connecting)));
    return connecting;
  }

  /** Gives a broken or stalled connection up, so that the next command on this event loop asks the pool again. */
  private void drop(Thread loop, Future<RedisConnection> broken) {
    if (connections.remove(loop, broken)) {
      broken.onSuccess(RedisConnection::close);
    }
  }

  public void close() {
    connections.clear();
    client.close();
  }
}
