package io.swarmshop.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchReportTest {
  @ParameterizedTest(name = "median of {0} is {1}")
  @CsvSource(delimiter = '|', value = {"5 | 5", "3 1 2 | 2", "4 1 3 2 | 2.5", "10 10 1 | 10"})
  void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes(String values, double median) {
    assertEquals(median, BenchReport.median(List.of(values.split(" ")).stream().map(Double::parseDouble).toList()));
  }

  private static final List<String> RESULTS = List.of(
    "text\tMeasured by a test.",
    "run\tvia gateway\t1\t1000 1.0 4.0 0 0 0",
    "run\tvia nginx\t1\t1250 0.9 3.0 0 0 0",
    "run\tvia gateway\t2\t900 1.2 5.0 1 2 0",
    "run\tvia nginx\t2\t1000 1.0 3.5 0 0 0",
    "run\tvia gateway\t3\t1100 1.1 4.5 0 0 0",
    "run\tvia nginx\t3\t1300 0.8 3.2 0 0 0",
    "ratio\tgateway / nginx\tvia gateway\tvia nginx",
    "note\tlargest resident memory: gateway 100 MB");

  @Test
  void eachFigureIsTheMedianOfItsRunsAndFailuresAreSummed() {
    BenchReport report = BenchReport.read(RESULTS);
    assertEquals(new BenchReport.Run(1000, 1.1, 4.5, 1, 2, 0), report.medianOf("via gateway"));
  }

  @Test
  void aRatioIsTheMedianOfTheRoundsRatiosNotTheRatioOfTheMedians() {
    BenchReport report = BenchReport.read(RESULTS);
    assertEquals(List.of(0.8, 0.9, 1100 / 1300.0), report.roundRatios("via gateway", "via nginx"));
    String markdown = report.markdown();
    assertTrue(markdown.contains("- gateway / nginx: 0.85 (rounds 0.80, 0.90, 0.85); of the medians 0.80; p50 1.10 ms against 0.90 ms (+0.20 ms)"),
      markdown);
    assertTrue(markdown.startsWith("Measured by a test.\n| measurement |"), markdown);
    assertTrue(markdown.contains("| via gateway | 1000 | 1.10 | 4.50 | 1 | 2 | 0 |"), markdown);
    assertTrue(markdown.endsWith("- largest resident memory: gateway 100 MB\n"), markdown);
  }

  @Test
  void aLineOfAnUnknownKindIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BenchReport.read(List.of("runs\tx\t1\t1 1 1 0 0 0")));
  }
}
