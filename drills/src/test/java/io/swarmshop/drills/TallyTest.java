package io.swarmshop.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TallyTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aWriteOutageRunsFromTheFaultToTheFirstWriteAcknowledgedAfterAFailedOneAndSaysWhenItsFirstFailureCame() {
    Tally tally = new Tally(0, 0);
    tally.fault(10 * SECOND);
    tally.answered(Kind.POST_CUSTOMER, "http://a", 10 * SECOND, 11 * SECOND, 201, null, "c1", null);
    tally.answered(Kind.POST_CUSTOMER, "http://a", 12 * SECOND, 13 * SECOND, 503, null, null, "failing over");
    tally.answered(Kind.POST_CUSTOMER, "http://a", 14 * SECOND, 15 * SECOND, 503, null, null, "failing over");
    tally.answered(Kind.POST_CUSTOMER, "http://a", 16 * SECOND, 17 * SECOND, 201, null, "c2", null);
    tally.answered(Kind.POST_CUSTOMER, "http://a", 18 * SECOND, 19 * SECOND, 503, null, null, "failing over");
    tally.answered(Kind.POST_PRODUCT, "http://a", 18 * SECOND, 19 * SECOND, 201, null, "p1", null);

    assertEquals(7.0, tally.failoverWindows().get("customers"), "from the fault to the ack after the first failed write");
    assertEquals(0.0, tally.failoverWindows().get("products"), "no write failed");
    assertEquals(Map.of("customers", 3.0), tally.firstFailedWrites());
  }
}
