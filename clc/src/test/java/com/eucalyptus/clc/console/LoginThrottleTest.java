package com.eucalyptus.clc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.MutableClock;
import com.eucalyptus.clc.console.web.LoginThrottle;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  @Test
  void delaysGrowPerUserAndPerAddressAndEnd() {
    MutableClock clock = new MutableClock();
    LoginThrottle t = new LoginThrottle(clock, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, t.secondsToWait("alice", "10.0.0.1"));
      t.failed("alice", "10.0.0.1");
    }
    assertEquals(2, t.secondsToWait("alice", "10.0.0.1"));
    assertEquals(2, t.secondsToWait("alice", "10.0.0.2"), "per user, from any address");
    assertEquals(2, t.secondsToWait("bob", "10.0.0.1"), "per address, for any user");
    assertEquals(0, t.secondsToWait("bob", "10.0.0.2"));
    clock.advance(Duration.ofSeconds(2));
    assertEquals(0, t.secondsToWait("alice", "10.0.0.1"));
    t.failed("alice", "10.0.0.1");
    assertEquals(4, t.secondsToWait("alice", "10.0.0.9"), "doubles");
    for (int i = 0; i < 30; i++) {
      t.failed("alice", "10.0.0.1");
    }
    assertTrue(t.secondsToWait("alice", "10.0.0.9") <= 300, "at most five minutes");
    assertEquals(300, t.secondsToWait("alice", "10.0.0.9"));
    t.succeeded("alice");
    assertEquals(0, t.secondsToWait("alice", "10.0.0.9"));
    clock.advance(Duration.ofMinutes(16));
    assertEquals(0, t.secondsToWait("carol", "10.0.0.1"), "the window ends");
  }
}
