package io.swarmshop.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

class ServiceRunnerTest {
  @Test
  void theConfiguredTransportIsUsedWhereTheMachineAllowsIt() {
    assumeTrue(Transport.IO_URING.available() && Transport.EPOLL.available(), "needs Linux with io_uring and epoll");
    assertEquals(Transport.IO_URING, ServiceRunner.transport("io_uring"));
    assertEquals(Transport.EPOLL, ServiceRunner.transport("epoll"));
    assertEquals(Transport.NIO, ServiceRunner.transport("nio"));
  }
}
