package com.eucalyptus.runtime.network.transport;

import com.eucalyptus.runtime.exec.CommandFailedException;
import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.transport.NetworkTransport.TransportException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's links as {@code ip -o -d link show} lists them, read once per change so that a
 * transport only adds what is missing (ensure is called again at every daemon start). Everything
 * goes through the command runner, so a daemon whose commands run elsewhere (a test's namespace)
 * reads the links of that place.
 */
final class IpLinks {
  /** One link: its name, whether it is administratively up, its MTU, its bridge and the rest of the line. */
  record Link(String name, boolean up, int mtu, String master, String details) {
    boolean isBridge() {
      return BRIDGE.matcher(details).find();
    }
  }

  private static final Pattern HEAD = Pattern.compile("^\\d+:\\s+([^:@\\s]+)(@\\S+)?:\\s+<([^>]*)>");
  private static final Pattern MTU = Pattern.compile("\\smtu (\\d+)");
  private static final Pattern MASTER = Pattern.compile("\\smaster (\\S+)");
  /** the kind's details of a bridge start "bridge forward_delay" (a port's are "bridge_slave") */
  private static final Pattern BRIDGE = Pattern.compile("\\\\\\s+bridge\\s");

  private IpLinks() {
  }

  /** Parses {@code ip -o -d link show} (one link per line, its parts joined by backslashes). */
  static Map<String, Link> parse(String out) {
    Map<String, Link> links = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      Matcher h = HEAD.matcher(line);
      if (!h.find()) {
        continue;
      }
      boolean up = List.of(h.group(3).split(",")).contains("UP");
      Matcher m = MTU.matcher(line);
      Matcher master = MASTER.matcher(line);
      links.put(h.group(1), new Link(h.group(1), up, m.find() ? Integer.parseInt(m.group(1)) : 0,
          master.find() ? master.group(1) : null, line));
    }
    return links;
  }

  /** The host's links now. */
  static Map<String, Link> read(CommandRunner runner) throws TransportException {
    return parse(run(runner, List.of("ip", "-o", "-d", "link", "show")).stdout());
  }

  /** Runs {@code command}; a failure is a TransportException naming the command and its output. */
  static CommandResult run(CommandRunner runner, List<String> command) throws TransportException {
    CommandResult r = runner.run(command);
    if (!r.succeeded()) {
      throw new TransportException(new CommandFailedException(r).getMessage());
    }
    return r;
  }

  /** The first IPv4 address of {@code iface} ({@code ip -o -4 addr show dev}), or null when it has none or does not exist. */
  static String firstAddress(CommandRunner runner, String iface) {
    CommandResult r = runner.run(List.of("ip", "-o", "-4", "addr", "show", "dev", iface));
    if (!r.succeeded()) {
      return null;
    }
    Matcher m = Pattern.compile("\\sinet (\\d+\\.\\d+\\.\\d+\\.\\d+)").matcher(r.stdout());
    return m.find() ? m.group(1) : null;
  }

  /** Whether {@code address} is one of this host's IPv4 addresses ({@code ip -o -4 addr show}). */
  static boolean isLocal(CommandRunner runner, String address) {
    CommandResult r = runner.run(List.of("ip", "-o", "-4", "addr", "show"));
    return r.succeeded() && Pattern.compile("\\sinet " + Pattern.quote(address) + "/").matcher(r.stdout()).find();
  }
}
