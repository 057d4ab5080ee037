package io.swarmshop.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntriesTest {
  private final Entries entries = new Entries(List.of("http://a", "http://b", "http://c"));

  @Test
  void oneEntryIsUsedUntilItRefusesConnectionsThenTheNext() {
    long now = 0;
    assertEquals(0, entries.pick(now, -1));
    entries.answered(0, 200, now);
    assertEquals(0, entries.pick(now, -1), "an entry that answers is kept");

    entries.refused(0, now);
    assertEquals(1, entries.pick(now, 0), "the request that got no answer goes to the next entry");
    assertEquals(1, entries.pick(now, -1), "and so do the requests after it");

    entries.refused(1, now);
    assertEquals(2, entries.pick(now, 1));
    entries.refused(2, now);
    assertEquals(0, entries.pick(now + 1, 2), "with every entry set aside, the one free soonest");
    assertEquals(2, entries.pick(now + Entries.SET_ASIDE_NANOS, -1), "once their time is up, the entry last moved to is used again");
  }

  @Test
  void anEntryThatSaysItIsDrainingIsLeftBeforeItStops() {
    Entries two = new Entries(List.of("http://a", "http://b"));
    long now = 0;
    two.answered(0, 200, now);
    two.draining(0, now);
    assertEquals(1, two.pick(now, -1), "the next request goes to the other entry");
    two.answered(1, 200, now + Entries.SET_ASIDE_NANOS);
    assertEquals(1, two.pick(now + Entries.SET_ASIDE_NANOS, -1), "and stays there while the draining one stops");
    two.refused(1, now + Entries.DRAINING_ASIDE_NANOS);
    assertEquals(0, two.pick(now + Entries.DRAINING_ASIDE_NANOS, 1), "back once its replacement had the time to start");
  }

  @Test
  void anEntryThatKeepsRefusingIsSetAsideTwiceAsLongEachTime() {
    long second = 1_000_000_000L;
    entries.refused(1, 0);
    entries.refused(1, 5 * second);
    entries.refused(0, 5 * second);
    entries.refused(2, 5 * second);
    assertEquals(0, entries.pick(10 * second, 2), "set aside once, entries 0 and 2 are free again after 5 s");
    assertEquals(2, entries.pick(12 * second, 0), "set aside twice in a row, entry 1 waits 10 s");
    entries.answered(1, 200, 15 * second);
    entries.refused(1, 50 * second);
    assertEquals(1, entries.pick(55 * second, 0), "an answer starts the count again: 5 s");
  }

  @Test
  void anEntryThatAnswersNothingBut5xxIsSetAsideButNotOneThatFailsSomeRequests() {
    long now = 0;
    for (int i = 0; i < 3 * Entries.FAILURES_IN_A_ROW; i++) {
      entries.answered(0, i % 4 == 0 ? 200 : 503, now);
    }
    assertEquals(0, entries.pick(now, -1), "a failover elsewhere fails some requests on every entry alike");
    for (int i = 0; i < Entries.FAILURES_IN_A_ROW; i++) {
      entries.answered(0, 503, now);
    }
    assertEquals(1, entries.pick(now, -1), "5xx in a row: as a load balancer's health check would, the next entry");
    for (int i = 0; i < 2 * Entries.UNANSWERED_IN_A_ROW; i++) {
      entries.unanswered(1, now);
      entries.answered(1, 200, now);
    }
    assertEquals(1, entries.pick(now, -1), "requests that time out now and then do not set an entry aside");
    for (int i = 0; i < Entries.UNANSWERED_IN_A_ROW; i++) {
      entries.unanswered(1, now);
    }
    assertEquals(2, entries.pick(now, -1), "but one that answers nothing in a row is");
  }
}
