package io.swarmshop.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The environment variables a process is configured by, read into typed values. Each read checks the
 * value and refuses a bad one with an {@link InvalidSetting} that names the variable and what it
 * accepts; each is remembered with the value it took (masked where secret), so that a service can
 * log its settings once at start and a test can hold them against README.
 */
public final class Environment {
  private final Map<String, String> values;
  private final Map<String, String> read = new TreeMap<>();

  public Environment(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  /** Whether the variable is set to something other than blanks. */
  public boolean isSet(String name) {
    return raw(name) != null;
  }

  public String text(String name, String defaultValue) {
    return remember(name, valueOr(name, defaultValue), UnaryOperator.identity());
  }

  /** A text whose secret parts {@code masked} hides when the settings are shown. */
  public String secret(String name, String defaultValue, UnaryOperator<String> masked) {
    return remember(name, valueOr(name, defaultValue), masked);
  }

  public int wholeNumber(String name, int defaultValue, int min, int max) {
    return number(name, defaultValue, min, max, "a whole number");
  }

  public int port(String name, int defaultValue) {
    return number(name, defaultValue, 0, 65_535, "a port number");
  }

  public int milliseconds(String name, int defaultValue, int min, int max) {
    return number(name, defaultValue, min, max, "a number of milliseconds");
  }

  /** A number from 0 to 1, such as a sampling ratio. */
  public double ratio(String name, double defaultValue) {
    String value = raw(name);
    double ratio;
    try {
      ratio = value == null ? defaultValue : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      ratio = Double.NaN;
    }
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new InvalidSetting(name + " must be a number from 0 to 1, got '" + value + "'");
    }
    remember(name, String.valueOf(ratio), UnaryOperator.identity());
    return ratio;
  }

  /** An absolute http or https URL without query or fragment, trailing slashes dropped; null when not set. */
  public URI httpUrl(String name) {
    String value = raw(name);
    remember(name, value == null ? "" : value, UnaryOperator.identity());
    if (value == null) {
      return null;
    }
    try {
      URI url = new URI(value.replaceAll("/+$", ""));
      if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null
        && url.getRawQuery() == null && url.getRawFragment() == null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // Refused below, with the value.
    }
    throw new InvalidSetting(name + " must be an http or https URL (no query), got '" + value + "'");
  }

  /** One of {@code allowed}, compared without case; answered as spelled in {@code allowed}. */
  public String oneOf(String name, String defaultValue, List<String> allowed) {
    String value = valueOr(name, defaultValue);
    String match = allowed.stream().filter(candidate -> candidate.equalsIgnoreCase(value)).findFirst()
      .orElseThrow(() -> new InvalidSetting(name + " must be " + choices(allowed) + ", got '" + value + "'"));
    return remember(name, match, UnaryOperator.identity());
  }

  /** Every variable read so far with the value it took, secrets masked, by name. */
  public Map<String, String> read() {
    return Collections.unmodifiableMap(read);
  }

  /** The settings read so far on one line: {@code HTTP_PORT=8080 MANAGEMENT_PORT=9000 ...}. */
  public String describe() {
    StringBuilder line = new StringBuilder();
    read.forEach((name, value) -> line.append(line.length() == 0 ? "" : " ").append(name).append('=').append(value));
    return line.toString();
  }

  /** The upper-case prefix of the settings about one service: {@code customers} gives {@code CUSTOMERS_}. */
  public static String prefixOf(String service) {
    return service.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
  }

  private int number(String name, int defaultValue, int min, int max, String what) {
    String value = raw(name);
    long number;
    try {
      number = value == null ? defaultValue : Long.parseLong(value);
    } catch (NumberFormatException e) {
      number = Long.MIN_VALUE;
    }
    if (number < min || number > max) {
      throw new InvalidSetting(name + " must be " + what + " from " + min + " to " + max + ", got '" + value + "'");
    }
    remember(name, String.valueOf(number), UnaryOperator.identity());
    return (int) number;
  }

  private String valueOr(String name, String defaultValue) {
    String value = raw(name);
    return value == null ? defaultValue : value;
  }

  private String raw(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private String remember(String name, String value, UnaryOperator<String> masked) {
    read.put(name, value == null ? "" : masked.apply(value));
    return value;
  }

  private static String choices(List<String> allowed) {
    if (allowed.size() == 1) {
      return allowed.get(0);
    }
    return String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
  }
}
