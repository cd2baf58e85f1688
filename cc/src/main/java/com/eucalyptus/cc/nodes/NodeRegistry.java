package com.eucalyptus.cc.nodes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The CC's nodes and what each last reported. {@link #refresh()} asks every NC at once, as the
 * original refreshed its resources before answering DescribeResources; a node that does not
 * answer is marked down and left out of the counts.
 */
public final class NodeRegistry {
  private static final Logger LOG = LogManager.getLogger(NodeRegistry.class);
  private final NodeClient client;
  private final Map<String, NodeState> states = new LinkedHashMap<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "nc-poll");
    t.setDaemon(true);
    return t;
  });

  public NodeRegistry(List<NodeEndpoint> nodes, NodeClient client) {
    this.client = client;
    for (NodeEndpoint n : nodes) {
      states.put(n.url(), new NodeState(n, false, null, null, null, "not polled yet"));
    }
  }

  /** Polls every node in parallel and returns the new states. */
  public List<NodeState> refresh() {
    List<NodeEndpoint> endpoints;
    synchronized (states) {
      endpoints = states.values().stream().map(NodeState::endpoint).toList();
    }
    List<CompletableFuture<NodeState>> polls = new ArrayList<>();
    for (NodeEndpoint n : endpoints) {
      polls.add(CompletableFuture.supplyAsync(() -> poll(n), pool));
    }
    for (CompletableFuture<NodeState> p : polls) {
      NodeState s = p.join();
      synchronized (states) {
        states.put(s.endpoint().url(), s);
      }
    }
    return snapshot();
  }

  private NodeState poll(NodeEndpoint n) {
    NodeState previous;
    synchronized (states) {
      previous = states.get(n.url());
    }
    try {
      NodeClient.Answer a = client.describeResource(n);
      if (previous != null && !previous.up()) {
        LOG.info("node {} is up", n.url());
      }
      return new NodeState(n, true, a.capacity(), Instant.now(), a.signer(), null);
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (previous == null || previous.up() || !why.equals(previous.lastError())) {
        LOG.warn("node {} did not answer ncDescribeResource: {}", n.url(), why);
      }
      return new NodeState(n, false, null, previous == null ? null : previous.lastSeen(),
          previous == null ? null : previous.replySigner(), why);
    }
  }

  public List<NodeState> snapshot() {
    synchronized (states) {
      return List.copyOf(states.values());
    }
  }

  public NodeState find(String serviceTag) {
    synchronized (states) {
      return states.get(serviceTag);
    }
  }
}
