package com.eucalyptus.itests.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, reported as p50 / p99 / max in milliseconds. */
final class Percentiles {
  private final long[] samples;
  private int n;

  Percentiles(int capacity) {
    samples = new long[capacity];
  }

  void add(long nanos) {
    samples[n++] = nanos;
  }

  String report(String name) {
    long[] s = Arrays.copyOf(samples, n);
    Arrays.sort(s);
    return String.format("%-48s n=%4d  p50=%7.2f ms  p99=%7.2f ms  max=%7.2f ms", name, n, ms(s, 0.50), ms(s, 0.99),
        s[n - 1] / 1e6);
  }

  private static double ms(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e6;
  }
}
