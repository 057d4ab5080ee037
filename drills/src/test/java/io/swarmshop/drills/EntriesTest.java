package io.swarmshop.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntriesTest {
  private final Entries entries = new Entries(List.of("http://a", "http://b", "http://c"));

  @Test
  void oneEntryIsUsedUntilItStopsAnsweringThenTheNext() {
    long now = 0;
    assertEquals(0, entries.pick(now, -1));
    entries.answered(0, 200);
    assertEquals(0, entries.pick(now, -1), "an entry that answers is kept");

    entries.unanswered(0, now);
    assertEquals(1, entries.pick(now, 0), "the request that got no answer goes to the next entry");
    assertEquals(1, entries.pick(now, -1), "and so do the requests after it");

    entries.unanswered(1, now);
    assertEquals(2, entries.pick(now, 1));
    entries.unanswered(2, now);
    assertEquals(0, entries.pick(now + 1, 2), "with every entry set aside, the one free soonest");
    assertEquals(2, entries.pick(now + Entries.SET_ASIDE_NANOS, -1), "once their time is up, the entry last moved to is used again");
  }

  @Test
  void anEntryThatKeepsAnswering5xxIsSetAsideButNotOneThatFailsOnce() {
    long now = System.nanoTime();
    entries.answered(0, 503);
    entries.answered(0, 200);
    entries.answered(0, 503);
    assertEquals(0, entries.pick(now, -1), "a 5xx now and then is the system's, not the entry's");
    for (int i = 0; i < Entries.SERVER_ERRORS_IN_A_ROW; i++) {
      entries.answered(0, 503);
    }
    assertEquals(1, entries.pick(now, -1), "5xx in a row: as a load balancer's health check would, the next entry");
  }
}
