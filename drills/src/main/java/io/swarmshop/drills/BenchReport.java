package io.swarmshop.drills;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The statistics and the report of scripts/bench.sh and scripts/bench/compare.sh, which only run wrk
 * and write down what it printed. Reads a tab-separated results file and prints a Markdown report:
 *
 * <ul>
 *   <li>{@code text<TAB>line}: a line of the report, as it is, before the table;</li>
 *   <li>{@code run<TAB>name<TAB>round<TAB>requests/s p50 p99 errors non-2xx created}: one wrk run;</li>
 *   <li>{@code ratio<TAB>label<TAB>name A<TAB>name B}: A's throughput over B's, round by round;</li>
 *   <li>{@code note<TAB>line}: a line after the table and the ratios.</li>
 * </ul>
 *
 * Each figure of the table is the median of its runs (errors, non-2xx and 201s are summed); each ratio
 * is the median of the rounds' ratios, each of two runs that stood side by side, with the ratio of the
 * medians beside it.
 *
 * <pre>java -cp drills.jar io.swarmshop.drills.BenchReport RESULTS_FILE</pre>
 */
public final class BenchReport {
  /** What wrk's report script printed for one run. */
  record Run(double requestsPerSecond, double p50Ms, double p99Ms, long errors, long non2xx, long created) {
    static Run parse(String line) {
      String[] f = line.trim().split("\\s+");
      return new Run(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
        Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]));
    }
  }

  private record Ratio(String label, String a, String b) {}

  private final List<String> text = new ArrayList<>();
  private final Map<String, Map<Integer, Run>> runs = new LinkedHashMap<>();
  private final List<Ratio> ratios = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java -cp drills.jar io.swarmshop.drills.BenchReport RESULTS_FILE");
      System.exit(2);
    }
    System.out.print(read(Files.readAllLines(Path.of(args[0]))).markdown());
  }

  static BenchReport read(List<String> lines) {
    BenchReport report = new BenchReport();
    for (String line : lines) {
      String[] f = line.split("\t");
      switch (f[0]) {
        case "text" -> report.text.add(f.length > 1 ? f[1] : "");
        case "note" -> report.notes.add(f.length > 1 ? f[1] : "");
        case "run" -> report.runs.computeIfAbsent(f[1], name -> new LinkedHashMap<>()).put(Integer.parseInt(f[2]), Run.parse(f[3]));
        case "ratio" -> report.ratios.add(new Ratio(f[1], f[2], f[3]));
        case "" -> { }
        default -> throw new IllegalArgumentException("a results line of an unknown kind: " + line);
      }
    }
    return report;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The median of each figure over a measurement's runs; errors, non-2xx and 201s summed. */
  Run medianOf(String name) {
    List<Run> all = List.copyOf(runs.get(name).values());
    return new Run(median(all.stream().map(Run::requestsPerSecond).toList()), median(all.stream().map(Run::p50Ms).toList()),
      median(all.stream().map(Run::p99Ms).toList()), all.stream().mapToLong(Run::errors).sum(),
      all.stream().mapToLong(Run::non2xx).sum(), all.stream().mapToLong(Run::created).sum());
  }

  /** A's throughput over B's in every round both ran, in round order. */
  List<Double> roundRatios(String a, String b) {
    Map<Integer, Run> as = runs.get(a);
    Map<Integer, Run> bs = runs.get(b);
    return as.keySet().stream().sorted().filter(bs::containsKey)
      .map(round -> as.get(round).requestsPerSecond() / bs.get(round).requestsPerSecond()).toList();
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    text.forEach(line -> out.append(line).append('\n'));
    out.append("| measurement | requests/s | p50 ms | p99 ms | socket errors | non-2xx | 201s |\n");
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    runs.keySet().forEach(name -> {
      Run run = medianOf(name);
      out.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %d | %d | %d |%n", name, run.requestsPerSecond(), run.p50Ms(),
        run.p99Ms(), run.errors(), run.non2xx(), run.created()));
    });
    out.append('\n');
    for (Ratio ratio : ratios) {
      List<Double> rounds = roundRatios(ratio.a(), ratio.b());
      Run a = medianOf(ratio.a());
      Run b = medianOf(ratio.b());
      out.append(String.format(Locale.ROOT, "- %s: %.2f (rounds %s); of the medians %.2f; p50 %.2f ms against %.2f ms (%+.2f ms)%n",
        ratio.label(), median(rounds), String.join(", ", rounds.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()),
        a.requestsPerSecond() / b.requestsPerSecond(), a.p50Ms(), b.p50Ms(), a.p50Ms() - b.p50Ms()));
    }
    notes.forEach(line -> out.append("- ").append(line).append('\n'));
    return out.toString();
  }
}
