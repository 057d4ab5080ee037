package io.swarmshop.calls;

/**
 * The request never left this process: no instance was healthy, no connection could be had, or the
 * instance's circuit refused it. Such a request may be sent to another instance whatever its method.
 */
public final class NotReached extends RuntimeException {
  public NotReached(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
