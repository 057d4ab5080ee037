package io.swarmshop.service;

/** A setting with a value it cannot take; the message names the variable and what it accepts. */
public final class InvalidSetting extends RuntimeException {
  public InvalidSetting(String message) {
    super(message, null, false, false);
  }
}
