package io.swarmshop.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.http.Problem;
import io.swarmshop.service.Environment;
import io.swarmshop.testing.Http;
import io.swarmshop.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Commands pipelined on one connection per event loop, against a real Redis, a stalled Redis survived, and readiness on a primary only. */
@ExtendWith(VertxExtension.class)
class RedisConnectorTest {
  private RedisServer redis;
  private RedisConnector connector;

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    redis.close();
  }

  /** A connector with the given command time limit, closed after the test. */
  private RedisConnector connector(Vertx vertx, int timeoutMs) {
    connector = RedisConnector.create(vertx, RedisSettings.from(new Environment(Map.of("REDIS_URL", redis.url(), "REDIS_TIMEOUT_MS", String.valueOf(timeoutMs)))));
    return connector;
  }

  @Test
  void commandsFromOneEventLoopArePipelinedOnOneConnectionInOrder(Vertx vertx) {
    // The services' default limit: 500 commands on a cold connection in a cold JVM may take over 300 ms.
    RedisConnector connector = connector(vertx, 1000);
    int count = 500;
    List<Long> answers = onEventLoop(vertx, () -> {
      List<Future<Response>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        sent.add(connector.send(Request.cmd(Command.INCR).arg("counter")));
      }
      return Future.all(sent).map(all -> sent.stream().map(answer -> answer.result().toLong()).toList());
    });
    assertEquals(LongStream.rangeClosed(1, count).boxed().toList(), answers, "each command gets its own answer, in the order sent");

    String clients = onEventLoop(vertx, () -> connector.send(Request.cmd(Command.CLIENT).arg("LIST")).map(Response::toString));
    assertEquals(1, clients.lines().count(), "one connection served them all: " + clients);
  }

  @Test
  void aStalledRedisCostsA503WithinTheLimitAndLaterCommandsGetTheirOwnAnswers(Vertx vertx) {
    RedisConnector connector = connector(vertx, 300);
    assertEquals("PONG", onEventLoop(vertx, () -> connector.send(Request.cmd(Command.PING)).map(Response::toString)));

    redis.pause();
    try {
      long started = System.nanoTime();
      Throwable failure = onEventLoop(vertx, () -> connector.ready().transform(done -> Future.succeededFuture(done.cause())));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertTrue(failure instanceof Problem problem && problem.status() == 503, "a 503 problem, not " + failure);
      assertTrue(elapsedMs < 2000, "within the command time limit, took " + elapsedMs + " ms");
    } finally {
      redis.resume();
    }

    // The late answer to the stalled PING must not be taken for the answer to a later command.
    assertEquals(List.of(1L, 2L), onEventLoop(vertx, () -> connector.send(Request.cmd(Command.INCR).arg("after"))
      .compose(first -> connector.send(Request.cmd(Command.INCR).arg("after")).map(second -> List.of(first.toLong(), second.toLong())))));
    String clients = onEventLoop(vertx, () -> connector.send(Request.cmd(Command.CLIENT).arg("LIST")).map(Response::toString));
    assertEquals(1, clients.lines().count(), "one connection in use after the stall: " + clients);
  }

  @Test
  void aServiceIsReadyOnlyOnAPrimary(Vertx vertx) {
    assertEquals(null, onEventLoop(vertx, () -> connector(vertx, 1000).ready()));
    try (RedisServer replica = RedisServer.start(List.of("--replicaof", "127.0.0.1", String.valueOf(redis.port())))) {
      RedisConnector onReplica = RedisConnector.create(vertx,
        RedisSettings.from(new Environment(Map.of("REDIS_URL", replica.url()))));
      try {
        Throwable failure = onEventLoop(vertx, () -> onReplica.ready().transform(done -> Future.succeededFuture(done.cause())));
        assertTrue(failure instanceof Problem problem && problem.status() == 503, "a replica is not ready: " + failure);
      } finally {
        onReplica.close();
      }
    }
  }

  private static <T> T onEventLoop(Vertx vertx, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(started -> work.get().onComplete(done));
    return Http.await(done.future());
  }
}
