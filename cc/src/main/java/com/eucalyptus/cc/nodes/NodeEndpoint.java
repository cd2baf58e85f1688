package com.eucalyptus.cc.nodes;

import java.util.ArrayList;
import java.util.List;

/**
 * One NC as NODES names it: {@code host} or {@code host:port} (the port form is beyond 1.5.2, so
 * that several NCs can share a host). Its URL is the node's serviceTag.
 */
public record NodeEndpoint(String host, int port, String url) {

  /** Parses NODES ("h1 h2:8776 …"), defaulting ports to NC_PORT and the path to NC_SERVICE. */
  public static List<NodeEndpoint> parseNodes(String nodes, int defaultPort, String servicePath) {
    List<NodeEndpoint> out = new ArrayList<>();
    if (nodes == null) {
      return out;
    }
    String path = servicePath.startsWith("/") ? servicePath.substring(1) : servicePath;
    for (String entry : nodes.trim().split("\\s+")) {
      if (entry.isEmpty()) {
        continue;
      }
      String host = entry;
      int port = defaultPort;
      int colon = entry.lastIndexOf(':');
      if (colon > 0 && entry.indexOf(':') == colon) {
        host = entry.substring(0, colon);
        try {
          port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("NODES entry \"" + entry + "\" has a bad port");
        }
      }
      NodeEndpoint n = new NodeEndpoint(host, port, "http://" + host + ":" + port + "/" + path);
      if (out.stream().noneMatch(o -> o.url().equals(n.url()))) {
        out.add(n);
      }
    }
    return out;
  }
}
