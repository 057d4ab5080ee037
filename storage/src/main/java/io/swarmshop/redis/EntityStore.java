package io.swarmshop.redis;

import io.swarmshop.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entities of one kind in Redis. Each is a hash {@code kind:id} holding its fields and its position
 * {@code seq}, a number drawn from {@code kind:seq} that orders entities newest first. Sorted sets
 * (the index of all, and any extra index such as invoices by customer) map ids to positions.
 * Every write is one Lua script, so an entity never exists without its index entries or the other way
 * round, and is answered once the replicas the service waits for have it; every read, a page included,
 * is one round trip.
 */
public final class EntityStore {
  public static final String POSITION = "seq";

  public record Entity(String id, long position, Map<String, String> fields) {
    public String field(String name) {
      return fields.get(name);
    }
  }

  public record Page(List<Entity> items, Long nextPosition) {}

  /** An entity to create: its id, its fields, and the indexes besides the index of all it goes into. */
  public record NewEntity(String id, Map<String, String> fields, List<String> extraIndexes) {}

  /**
   * A key set in the same step as a create, which stops a second create while it lives. A create it
   * stops touches it, so that the answer waits for the replicas to have the entity it stands for.
   */
  public record Guard(String key, String value, long ttlSeconds) {}

  /** The answer to a guarded create: the new entity, or else the value the guard already held. */
  public record Created(Entity entity, String existingGuard) {}

  private static final RedisScript CREATE = new RedisScript("""
    if ARGV[2] ~= '' then
      local existing = redis.call('GET', KEYS[3])
      if existing then
        local ttl = redis.call('PTTL', KEYS[3])
        if ttl > 0 then redis.call('PEXPIRE', KEYS[3], ttl) end
        return {0, existing}
      end
    end
    local seq = redis.call('INCR', KEYS[2])
    redis.call('HSET', KEYS[1], 'seq', seq, unpack(ARGV, 4))
    for i = 4, #KEYS do redis.call('ZADD', KEYS[i], seq, ARGV[1]) end
    if ARGV[2] ~= '' then redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3]) end
    return {1, seq}
    """);

  private static final RedisScript UPDATE = new RedisScript("""
    if redis.call('EXISTS', KEYS[1]) == 0 then return false end
    redis.call('HSET', KEYS[1], unpack(ARGV))
    return redis.call('HGETALL', KEYS[1])
    """);

  private static final RedisScript DELETE = new RedisScript("""
    if redis.call('DEL', KEYS[1]) == 0 then return 0 end
    for i = 2, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
    return 1
    """);

  /** Sets a guard's time to live again as it was: a write, which the replicas confirm with all that came before it. */
  private static final RedisScript TOUCH = new RedisScript("""
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
    return ttl
    """);

  private static final RedisScript PAGE = new RedisScript("""
    local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'LIMIT', 0, tonumber(ARGV[2]))
    local out = {}
    for i, id in ipairs(ids) do out[i] = redis.call('HGETALL', ARGV[3] .. id) end
    return out
    """);

  private final RedisConnector redis;
  private final String kind;

  public EntityStore(RedisConnector redis, String kind) {
    this.redis = redis;
    this.kind = kind;
  }

  public String indexKey() {
    return kind + ":index";
  }

  public String indexKey(String name, String value) {
    return kind + ":index:" + name + ":" + value;
  }

  public Future<Entity> get(String id) {
    return redis.send(Request.cmd(Command.HGETALL).arg(key(id))).map(response -> toEntity(id, response));
  }

  public Future<Entity> create(NewEntity entity) {
    return createGuarded(entity, new Guard(kind + ":no-guard", "", 0)).map(Created::entity);
  }

  /** Creates the entity unless the guard's key exists; when it does not, sets the guard in the same atomic step. */
  public Future<Created> createGuarded(NewEntity entity, Guard guard) {
    List<String> keys = new ArrayList<>(List.of(key(entity.id()), kind + ":seq", guard.key(), indexKey()));
    keys.addAll(entity.extraIndexes());
    List<String> args = new ArrayList<>(List.of(entity.id(), guard.value(), String.valueOf(guard.ttlSeconds())));
    entity.fields().forEach((name, value) -> {
      args.add(name);
      args.add(value);
    });
    return CREATE.write(redis, keys, args).map(response -> response.get(0).toInteger() == 1
      ? new Created(new Entity(entity.id(), response.get(1).toLong(), entity.fields()), null)
      : new Created(null, response.get(1).toString()));
  }

  /**
   * The value a guarded create left under {@code guardKey}; null when there is none (or it expired).
   * Answered once the replicas have the guard and whatever was written before it, so that what a
   * guard stands for may be answered as acknowledged: it may come from a create whose answer was a 503.
   */
  public Future<String> guard(String guardKey) {
    return redis.send(Request.cmd(Command.GET).arg(guardKey)).compose(value -> value == null
      ? Future.succeededFuture(null)
      : TOUCH.write(redis, List.of(guardKey), List.of()).map(value.toString()));
  }

  /** Sets the given fields of an existing entity; null when there is none. */
  public Future<Entity> update(String id, Map<String, String> fields) {
    List<String> args = new ArrayList<>();
    fields.forEach((name, value) -> {
      args.add(name);
      args.add(value);
    });
    return UPDATE.write(redis, List.of(key(id)), args).map(response -> toEntity(id, response));
  }

  public Future<Boolean> delete(String id, List<String> extraIndexes) {
    List<String> keys = new ArrayList<>(List.of(key(id), indexKey()));
    keys.addAll(extraIndexes);
    return DELETE.write(redis, keys, List.of(id)).map(response -> response.toInteger() == 1);
  }

  /** One page of an index, newest first, in one round trip whatever the index's size. */
  public Future<Page> page(String indexKey, PageRequest request) {
    String max = request.after() == PageRequest.FROM_NEWEST ? "+inf" : "(" + request.after();
    return PAGE.run(redis, List.of(indexKey), List.of(max, String.valueOf(request.limit() + 1), kind + ":"))
      .map(response -> {
        List<Entity> items = new ArrayList<>();
        for (Response hash : response) {
          Entity entity = toEntity(null, hash);
          if (entity != null) {
            items.add(entity);
          }
        }
        if (items.size() <= request.limit()) {
          return new Page(items, null);
        }
        List<Entity> page = items.subList(0, request.limit());
        return new Page(List.copyOf(page), page.get(page.size() - 1).position());
      });
  }

  private String key(String id) {
    return kind + ":" + id;
  }

  /** Reads a hash answer, which is a map under RESP3 and a flat list of pairs under RESP2 or from Lua. */
  private static Entity toEntity(String id, Response hash) {
    if (hash == null || hash.size() == 0) {
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    if (hash.isMap()) {
      for (String name : hash.getKeys()) {
        fields.put(name, hash.get(name).toString());
      }
    } else {
      for (int i = 0; i + 1 < hash.size(); i += 2) {
        fields.put(hash.get(i).toString(), hash.get(i + 1).toString());
      }
    }
    String position = fields.remove(POSITION);
    return new Entity(id != null ? id : fields.get("id"), position == null ? 0 : Long.parseLong(position), fields);
  }
}
