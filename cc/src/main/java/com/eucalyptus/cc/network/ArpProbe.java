package com.eucalyptus.cc.network;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Fills the neighbour table of the guests' interface: the kernel only records a guest's MAC and
 * address once it has exchanged packets with it, and in SYSTEM mode the guest talks to the site's
 * DHCP server, not to the CC. So, while an instance has no address yet, one small UDP datagram
 * (to the discard port) goes to every address of the interface's subnet; the kernel asks each by
 * ARP, and the guests' answers land in the table. The original ran populate_arp.pl before reading
 * /proc/net/arp for the same reason. Subnets larger than /20 are not swept.
 */
public final class ArpProbe {
  private static final Logger LOG = LogManager.getLogger(ArpProbe.class);
  private static final int DISCARD_PORT = 9;
  private static final int SMALLEST_PREFIX = 20;
  private final String device;
  private final Duration minInterval;
  private Instant last = Instant.EPOCH;

  /** @param device the guests' interface (no sweep without one: the CC never sprays every network) */
  public ArpProbe(String device, Duration minInterval) {
    this.device = device == null || device.isBlank() ? null : device.strip();
    this.minInterval = minInterval;
  }

  /** Sweeps the subnet unless it was swept less than {@code minInterval} ago. */
  public synchronized void maybeProbe() {
    if (device == null || Instant.now().isBefore(last.plus(minInterval))) {
      return;
    }
    last = Instant.now();
    try {
      int sent = probe(device);
      LOG.debug("asked {} address(es) on {} to show themselves", sent, device);
    } catch (IOException e) {
      LOG.warn("cannot sweep the guests' network on {}: {}", device, e.toString());
    }
  }

  /** Sends one datagram to every other address of the device's IPv4 subnets; returns how many. */
  static int probe(String device) throws IOException {
    NetworkInterface nif = NetworkInterface.getByName(device);
    if (nif == null) {
      throw new IOException("no interface " + device);
    }
    int sent = 0;
    try (DatagramSocket socket = new DatagramSocket()) {
      for (InterfaceAddress a : nif.getInterfaceAddresses()) {
        if (!(a.getAddress() instanceof Inet4Address own) || a.getNetworkPrefixLength() < SMALLEST_PREFIX) {
          continue;
        }
        for (InetAddress host : hosts(own, a.getNetworkPrefixLength())) {
          if (host.equals(own)) {
            continue;
          }
          try {
            socket.send(new DatagramPacket(new byte[1], 1, host, DISCARD_PORT));
            sent++;
          } catch (IOException e) {
            // an address the kernel already knows as unreachable: the next one
          }
        }
      }
    }
    return sent;
  }

  /** The host addresses of {@code addr}/{@code prefix} (network and broadcast left out). */
  static List<InetAddress> hosts(Inet4Address addr, int prefix) throws IOException {
    byte[] b = addr.getAddress();
    int ip = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    int network = ip & mask;
    int broadcast = network | ~mask;
    List<InetAddress> out = new ArrayList<>();
    for (long h = (network & 0xffffffffL) + 1; h < (broadcast & 0xffffffffL); h++) {
      out.add(InetAddress.getByAddress(new byte[] {(byte) (h >> 24), (byte) (h >> 16), (byte) (h >> 8), (byte) h}));
    }
    return out;
  }

  /** {@code ArpProbe <device>}: one sweep (the test runs it inside a network namespace of its own). */
  public static void main(String[] args) throws IOException {
    System.out.println(probe(args[0]));
  }
}
