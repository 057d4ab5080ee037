package io.swarmshop.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageRequestTest {
  @Test
  void noQueryIsTheNewestDefaultPage() {
    assertEquals(new PageRequest(PageRequest.DEFAULT_LIMIT, PageRequest.FROM_NEWEST), PageRequest.of(null, null));
    assertEquals(new PageRequest(PageRequest.DEFAULT_LIMIT, PageRequest.FROM_NEWEST), PageRequest.of(null, ""));
  }

  @ParameterizedTest(name = "position {0}")
  @CsvSource({"1", "42", "9223372036854775806"})
  void aCursorGivenOutLeadsBackToItsPosition(long position) {
    assertEquals(new PageRequest(500, position), PageRequest.of("500", PageRequest.cursorAfter(position)));
  }

  @ParameterizedTest(name = "limit {0}")
  @CsvSource({"0", "501", "-1", "ten", "1.5", "''"})
  void aLimitOutsideOneToFiveHundredIsA400NamingIt(String limit) {
    Problem refused = assertThrows(Problem.class, () -> PageRequest.of(limit, null));
    assertEquals(400, refused.status());
    assertEquals("limit", refused.errors().get(0).field());
  }

  @ParameterizedTest(name = "cursor {0}")
  @CsvSource({"forged", "bm90LWEtY3Vyc29y", "czow", "czotMQ", "%%%"})
  void aCursorThisServiceDidNotGiveOutIsA400NamingIt(String cursor) {
    Problem refused = assertThrows(Problem.class, () -> PageRequest.of(null, cursor));
    assertEquals("cursor", refused.errors().get(0).field());
  }
}
