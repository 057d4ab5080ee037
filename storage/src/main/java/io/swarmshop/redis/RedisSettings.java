package io.swarmshop.redis;

import io.swarmshop.service.Environment;

/** How a data service reaches its Redis: where it is, how long one command may take, how many connections. */
public record RedisSettings(String url, int timeoutMs, int poolSize) {
  public static RedisSettings from(Environment env) {
    return new RedisSettings(
      env.secret("REDIS_URL", "redis://localhost:6379", RedisSettings::withoutPassword),
      env.milliseconds("REDIS_TIMEOUT_MS", 1000, 1, 60_000),
      env.wholeNumber("REDIS_POOL_SIZE", 16, 1, 1024));
  }

  /** The URL as it may be logged: {@code redis://:secret@host:6379} shows as {@code redis://:***@host:6379}. */
  static String withoutPassword(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return scheme < 0 || at < scheme ? url : url.substring(0, scheme + 3) + "***" + url.substring(at);
  }

  @Override
  public String toString() {
    return "RedisSettings[url=" + withoutPassword(url) + ", timeoutMs=" + timeoutMs + ", poolSize=" + poolSize + "]";
  }
}
