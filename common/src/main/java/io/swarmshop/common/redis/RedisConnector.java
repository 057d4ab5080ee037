package io.swarmshop.common.redis;

import io.swarmshop.common.Config;
import io.swarmshop.common.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.concurrent.TimeUnit;

/**
 * The service's Redis: a pooled client that opens connections on demand, so it reconnects by itself
 * once Redis is back, and a time limit on every command so that no request waits on a dead server.
 */
public final class RedisConnector {
  private final Redis client;
  private final long commandTimeoutMs;

  private RedisConnector(Redis client, long commandTimeoutMs) {
    this.client = client;
    this.commandTimeoutMs = commandTimeoutMs;
  }

  public static RedisConnector create(Vertx vertx, Config config) {
    int timeoutMs = config.integer("REDIS_TIMEOUT_MS", 1000);
    RedisOptions options = new RedisOptions()
      .setConnectionString(config.string("REDIS_URL", "redis://localhost:6379"))
      .setMaxPoolSize(config.integer("REDIS_POOL_SIZE", 16))
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
    return client.send(request)
      .timeout(commandTimeoutMs, TimeUnit.MILLISECONDS)
      .recover(failure -> Future.failedFuture(failure instanceof ErrorType
        ? failure
        : Problem.unavailable("The data store is not answering; try again shortly.", 1)));
  }

  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  public void close() {
    client.close();
  }
}
