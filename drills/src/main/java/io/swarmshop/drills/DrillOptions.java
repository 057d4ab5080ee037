package io.swarmshop.drills;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a drill asks of the load driver, from `--name value` arguments. {@code entries} are the gateway's
 * base URLs (one per node); {@code faultFile} is the file the drill creates when it acts.
 */
record DrillOptions(String name, List<String> entries, int rate, String stopFile, String faultFile, int maxSeconds,
                    int timeoutMs, int maxFailures, String reportFile, int warmupSeconds) {

  static final String USAGE = "usage: java -jar drills.jar --entries URL[,URL...] --stop-file FILE [--fault-file FILE]"
    + " [--name NAME] [--rate 100] [--max-seconds 900] [--timeout-ms 3000] [--max-failures 0] [--report FILE]"
    + " [--warmup-seconds 0]";
  private static final Set<String> KNOWN = Set.of("name", "entries", "rate", "stop-file", "fault-file", "max-seconds",
    "timeout-ms", "max-failures", "report", "warmup-seconds");

  static DrillOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String key = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!KNOWN.contains(key) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
      values.put(key, args[i + 1]);
    }
    List<String> entries = Arrays.stream(required(values, "entries").split(","))
      .map(entry -> entry.strip().replaceAll("/+$", "")).filter(entry -> !entry.isEmpty()).toList();
    String stopFile = required(values, "stop-file");
    return new DrillOptions(values.getOrDefault("name", "drill"), entries, positive(values, "rate", 100),
      stopFile, values.getOrDefault("fault-file", stopFile + ".fault"), positive(values, "max-seconds", 900),
      positive(values, "timeout-ms", 3000), whole(values, "max-failures", 0), values.get("report"),
      whole(values, "warmup-seconds", 0));
  }

  private static String required(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    return value;
  }

  private static int positive(Map<String, String> values, String key, int defaultValue) {
    int value = whole(values, key, defaultValue);
    if (value < 1) {
      throw new IllegalArgumentException("--" + key + " must be at least 1");
    }
    return value;
  }

  private static int whole(Map<String, String> values, String key, int defaultValue) {
    String value = values.get(key);
    try {
      int number = value == null ? defaultValue : Integer.parseInt(value);
      if (number < 0) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " must be a whole number, got '" + value + "'");
    }
  }
}
