package io.swarmshop.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.swarmshop.service.Environment;
import java.util.Map;
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
}
