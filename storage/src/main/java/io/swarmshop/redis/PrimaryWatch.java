package io.swarmshop.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What every Sentinel says of the primary, asked four times a second. The answers of the newest
 * configuration (the highest config epoch) name the primary, by its run id: a connection to any other
 * server is stale, as a primary demoted while it runs on (a node cut off and back) still takes itself
 * for the primary and answers reads. While the Sentinels agree that the primary is down (one holds it
 * objectively down, or most subjectively) or one is failing it over, writes must not be acknowledged:
 * the old primary may still take writes that a replica confirms and the failover then throws away.
 * One Sentinel alone that cannot reach it (one cut off, and just back) says nothing of the others.
 */
final class PrimaryWatch {
  static final long EVERY_MS = 250;
  /**
   * How long most Sentinels may go unheard before the service takes itself for cut off: one round's
   * silence can be this JVM stalling (a new one on busy cores, in the lab), not the network. A primary
   * cut off with the service refuses writes by itself 3 s after its replicas stop answering.
   */
  static final long CUT_OFF_AFTER_MS = 1000;
  private static final Logger LOG = Logger.getLogger(PrimaryWatch.class.getName());

  private final Vertx vertx;
  private final String master;
  private final long timeoutMs;
  private final Supplier<Future<List<String>>> sentinels;
  private final Map<String, Redis> clients = new ConcurrentHashMap<>();
  private final long timer;
  private volatile String primaryRunId;
  /** The run id of the primary named before, which the Sentinels may not know the new one's from for a few seconds. */
  private volatile String formerRunId;
  private volatile boolean trusted = true;
  private volatile boolean quorate = true;
  private volatile long majorityHeardNanos = System.nanoTime();
  private String primary;

  PrimaryWatch(Vertx vertx, String master, long timeoutMs, Supplier<Future<List<String>>> sentinels) {
    this.vertx = vertx;
    this.master = master;
    this.timeoutMs = timeoutMs;
    this.sentinels = sentinels;
    this.timer = vertx.setPeriodic(EVERY_MS, tick -> ask());
  }

  /** Whether a connection to the server with this run id is to the primary, as far as the Sentinels know. */
  boolean isPrimary(String runId) {
    String primary = primaryRunId;
    return primary != null ? primary.equals(runId) : !runId.equals(formerRunId);
  }

  /** Whether most Sentinels answer, and the newest configuration has the primary up, with no failover under way. */
  boolean trusted() {
    return quorate && trusted;
  }

  /**
   * Whether most Sentinels answer, or did within {@link #CUT_OFF_AFTER_MS}. A service that hears from
   * fewer for longer is cut off from the rest (a node cut off from the others): the primary it still
   * reaches may have been replaced, so it serves nothing.
   */
  boolean quorate() {
    return quorate;
  }

  private void ask() {
    sentinels.get().onSuccess(endpoints -> {
      // A Sentinel task that is gone leaves its address behind: its client goes with it.
      clients.keySet().removeIf(endpoint -> !endpoints.contains(endpoint) && close(clients.get(endpoint)));
      List<Future<Answer>> asked = endpoints.stream().map(this::askOne).toList();
      Future.join(asked).onComplete(done -> {
        List<Answer> answers = asked.stream().filter(Future::succeeded).map(Future::result).toList();
        long answering = answers.stream().map(Answer::sentinelId).distinct().count();
        int known = answers.stream().mapToInt(Answer::knownSentinels).max().orElse(endpoints.size());
        boolean majority = 2 * answering > known;
        if (majority) {
          majorityHeardNanos = System.nanoTime();
        }
        boolean reached = majority || System.nanoTime() - majorityHeardNanos < TimeUnit.MILLISECONDS.toNanos(CUT_OFF_AFTER_MS);
        if (reached != quorate) {
          LOG.info(reached ? "most Sentinels of " + master + " answer again"
            : "only " + answering + " of " + known + " Sentinels of " + master + " answer, for over " + CUT_OFF_AFTER_MS
              + " ms: cut off, no reads or writes");
        }
        quorate = reached;
        update(answers.stream().map(Answer::master).toList());
      });
    });
  }

  /**
   * One Sentinel's view of the primary, and who it is. The majority is counted as Sentinels count it,
   * of the Sentinels they know by identity: the addresses DNS lists may still hold a replaced task's
   * or lack one not started yet, and two addresses may lead to one Sentinel.
   */
  private record Answer(String sentinelId, Map<String, String> master) {
    int knownSentinels() {
      try {
        return Integer.parseInt(master.getOrDefault("num-other-sentinels", "0")) + 1;
      } catch (NumberFormatException notANumber) {
        return 1;
      }
    }
  }

  /**
   * Only the Sentinels of the newest configuration count. The leader of a failover names the old
   * primary until it is done (it waits for every replica it can reach to follow the new one), the
   * others the new one already: the address is taken from one that is not failing over, and writes
   * are acknowledged only when none of them holds that primary objectively down or is failing it
   * over, and fewer than half hold it subjectively down.
   */
  private void update(List<Map<String, String>> answers) {
    long newest = answers.stream().mapToLong(PrimaryWatch::epoch).max().orElse(-1);
    List<Map<String, String>> current = answers.stream().filter(state -> epoch(state) == newest).toList();
    if (current.isEmpty()) {
      return;
    }
    Map<String, String> settled = current.stream().filter(state -> !flags(state).contains("failover")).findFirst()
      .orElse(current.get(0));
    String named = settled.get("ip") + ":" + settled.get("port");
    if (primary != null && !primary.equals(named)) {
      LOG.info("the Sentinels name a new primary of " + master + ": " + named + ", was " + primary);
      if (primaryRunId != null) {
        formerRunId = primaryRunId;
      }
    }
    primary = named;
    String runId = settled.get("runid");
    primaryRunId = runId == null || runId.isBlank() ? null : runId;
    List<String> flagsOfNamed = current.stream().filter(state -> named.equals(state.get("ip") + ":" + state.get("port")))
      .map(PrimaryWatch::flags).toList();
    long holdingDown = flagsOfNamed.stream().filter(flags -> flags.contains("s_down")).count();
    String trouble = flagsOfNamed.stream().filter(flags -> flags.contains("o_down") || flags.contains("failover")).findFirst()
      .orElse(2 * holdingDown > current.size() ? "s_down for most Sentinels" : null);
    boolean healthy = trouble == null;
    if (healthy != trusted) {
      LOG.info(healthy ? "the Sentinels hold the primary of " + master + " at " + named + " up again: writes are acknowledged"
        : "a Sentinel reports the primary of " + master + " as " + trouble + ": writes are not acknowledged");
    }
    trusted = healthy;
  }

  private static String flags(Map<String, String> state) {
    return state.getOrDefault("flags", "");
  }

  private Future<Answer> askOne(String endpoint) {
    Redis client = clients.computeIfAbsent(endpoint, address -> Redis.createClient(vertx, new RedisOptions()
      .setConnectionString(address)
      .setMaxPoolSize(1)
      .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) timeoutMs))));
    return client.batch(List.of(Request.cmd(Command.SENTINEL).arg("MYID"), Request.cmd(Command.SENTINEL).arg("MASTER").arg(master)))
      .timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .map(replies -> new Answer(replies.get(0).toString(), fields(replies.get(1))));
  }

  /** A Sentinel's map of fields, which RESP3 answers as a map and RESP2 as a flat list of pairs. */
  private static Map<String, String> fields(Response answer) {
    Map<String, String> fields = new HashMap<>();
    if (answer.isMap()) {
      answer.getKeys().forEach(key -> fields.put(key, answer.get(key).toString()));
    } else {
      for (int i = 0; i + 1 < answer.size(); i += 2) {
        fields.put(answer.get(i).toString(), answer.get(i + 1).toString());
      }
    }
    return fields;
  }

  private static long epoch(Map<String, String> state) {
    try {
      return Long.parseLong(state.getOrDefault("config-epoch", "0"));
    } catch (NumberFormatException notANumber) {
      return 0;
    }
  }

  private static boolean close(Redis client) {
    if (client != null) {
      client.close();
    }
    return true;
  }

  void close() {
    vertx.cancelTimer(timer);
    clients.values().forEach(Redis::close);
    clients.clear();
  }
}
