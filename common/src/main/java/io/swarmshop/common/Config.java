package io.swarmshop.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/** Settings read from environment variables (or a map in tests), each with a default. */
public final class Config {
  private final Map<String, String> values;

  public Config(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Config fromEnvironment() {
    return new Config(System.getenv());
  }

  public Config with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new Config(merged);
  }

  public String string(String name, String defaultValue) {
    String value = values.get(name);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  public int integer(String name, int defaultValue) {
    String value = string(name, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  public String hostname() {
    String name = string("HOSTNAME", null);
    if (name != null) {
      return name;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
