package io.swarmshop.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.service.Environment;
import io.swarmshop.service.InvalidSetting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisSettingsTest {
  @ParameterizedTest(name = "{0} is shown as {1}")
  @CsvSource({
    "redis://localhost:6379, redis://localhost:6379",
    "redis://:s3cret@redis:6379, redis://***@redis:6379",
    "redis://user:s3cret@redis:6379/2, redis://***@redis:6379/2",
    "rediss://:p@ss@redis:6380, rediss://***@redis:6380"})
  void thePasswordOfTheUrlIsNeverShown(String url, String shown) {
    Environment env = new Environment(Map.of("REDIS_URL", url));
    RedisSettings settings = RedisSettings.from(env);
    assertEquals(url, settings.url(), "the client gets the URL as it is");
    assertEquals(shown, env.read().get("REDIS_URL"));
    assertFalse(settings.toString().contains("s3cret"), settings.toString());
  }

  @Test
  void sentinelsAreHostsAndPortsAndNeedTheNameOfThePrimary() {
    RedisSettings settings = RedisSettings.from(new Environment(Map.of(
      "REDIS_SENTINELS", "tasks.customers-sentinel:26379, 10.0.0.7:26380", "REDIS_MASTER", "customers")));
    assertEquals(List.of(new RedisSettings.Endpoint("tasks.customers-sentinel", 26379), new RedisSettings.Endpoint("10.0.0.7", 26380)),
      settings.sentinels());
    assertEquals(1, settings.minReplicas(), "with Sentinels, a write waits for one replica by default");
    assertEquals(0, RedisSettings.from(new Environment(Map.of())).minReplicas(), "a single Redis has none to wait for");

    assertThrows(InvalidSetting.class, () -> RedisSettings.from(new Environment(Map.of("REDIS_SENTINELS", "sentinel:26379"))));
    for (String bad : List.of("sentinel", "sentinel:", "sentinel:0", "sentinel:port", ":26379x")) {
      InvalidSetting refused = assertThrows(InvalidSetting.class, () -> RedisSettings.from(new Environment(Map.of(
        "REDIS_SENTINELS", bad, "REDIS_MASTER", "customers"))));
      assertTrue(refused.getMessage().contains("REDIS_SENTINELS"), refused.getMessage());
    }
  }
}
