package io.swarmshop.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/** A Lua script run atomically by Redis: sent by its SHA, and in full only when Redis does not know it yet. */
public final class RedisScript {
  private final String source;
  private final String sha;

  public RedisScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** Runs a script that only reads. */
  public Future<Response> run(RedisConnector redis, List<String> keys, List<String> args) {
    return run(redis::send, keys, args);
  }

  /** Runs a script that writes: answered once the replicas the service waits for have its effects. */
  public Future<Response> write(RedisConnector redis, List<String> keys, List<String> args) {
    return run(redis::write, keys, args);
  }

  private Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
    return send.apply(request(Command.EVALSHA, sha, keys, args))
      .recover(failure -> failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
        ? send.apply(request(Command.EVAL, source, keys, args))
        : Future.failedFuture(failure));
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
