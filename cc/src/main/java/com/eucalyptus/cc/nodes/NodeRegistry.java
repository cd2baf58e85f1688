package com.eucalyptus.cc.nodes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The CC's nodes and what each last reported. Every node is polled (ncDescribeResource, then the
 * {@link PollListener}s: ncDescribeInstances) every few seconds, and again on demand before
 * DescribeResources, DescribeInstances and RunInstances are answered, as the original refreshed its
 * resources first; a node that does not answer is marked down and left out of the counts and of
 * scheduling. At most one poll per node is in flight. A refresh must see what the node says after
 * the refresh was asked for (a guest that started a moment ago must show at once, issue 5's latency
 * target): it joins a poll not yet sent, and queues one behind a poll already under way, since
 * that poll's answer may predate the question.
 */
public final class NodeRegistry implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(NodeRegistry.class);
  private final NodeClient client;
  private final Map<String, NodeState> states = new LinkedHashMap<>();
  /** Per node: the latest poll asked for, queued behind the one in flight or under way itself. */
  private final Map<String, NodePoll> latest = new HashMap<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(daemon("nc-poll"));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("nc-poll-timer"));
  private final List<PollListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Told of every node that answered ncDescribeResource, in the poll's own thread and before the
   * node counts as up again; a listener that throws makes the poll fail (the node is down).
   */
  public interface PollListener {
    void nodeAnswered(NodeEndpoint node, Instant pollStarted) throws Exception;
  }

  public void addPollListener(PollListener l) {
    listeners.add(l);
  }

  public NodeRegistry(List<NodeEndpoint> nodes, NodeClient client) {
    this.client = client;
    for (NodeEndpoint n : nodes) {
      states.put(n.url(), new NodeState(n, false, null, null, null, "not polled yet"));
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Polls every node now and then every {@code interval}. */
  public void startPolling(Duration interval) {
    long ms = Math.max(100, interval.toMillis());
    timer.scheduleWithFixedDelay(() -> {
      try {
        refresh(Duration.ofDays(1));
      } catch (RuntimeException e) {
        LOG.error("polling the nodes failed: {}", e.toString());
      }
    }, 0, ms, TimeUnit.MILLISECONDS);
  }

  /** Polls every node in parallel and waits for all answers. */
  public List<NodeState> refresh() {
    return refresh(Duration.ofDays(1));
  }

  /**
   * Polls every node in parallel and returns the states once all answered or {@code maxWait}
   * passed; a node still silent then is reported as it last was (its poll goes on and records the
   * outcome when it ends).
   */
  public List<NodeState> refresh(Duration maxWait) {
    List<CompletableFuture<NodeState>> polls = new ArrayList<>();
    synchronized (states) {
      for (NodeState s : states.values()) {
        polls.add(pollAfterNow(s.endpoint()).result());
      }
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
    for (CompletableFuture<NodeState> p : polls) {
      try {
        p.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        // poll() catches everything: nothing to do
      }
    }
    return snapshot();
  }

  /** A poll of one node; {@code sent} once its requests went out (its answer is then no longer news). */
  private record NodePoll(CompletableFuture<NodeState> result, java.util.concurrent.atomic.AtomicBoolean sent) {
  }

  /** A poll of {@code n} sent after this call: the one still queued, or a new one (behind any under way). */
  private NodePoll pollAfterNow(NodeEndpoint n) {
    NodePoll last = latest.get(n.url());
    if (last != null && !last.result().isDone() && !last.sent().get()) {
      return last;
    }
    java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.function.Supplier<NodeState> send = () -> {
      sent.set(true);
      return poll(n);
    };
    CompletableFuture<NodeState> result = last == null || last.result().isDone()
        ? CompletableFuture.supplyAsync(send, pool)
        : last.result().handleAsync((r, e) -> send.get(), pool);
    NodePoll mine = new NodePoll(result, sent);
    latest.put(n.url(), mine);
    result.whenComplete((r, e) -> {
      synchronized (states) {
        latest.remove(n.url(), mine);
      }
    });
    return mine;
  }

  private NodeState poll(NodeEndpoint n) {
    NodeState previous;
    synchronized (states) {
      previous = states.get(n.url());
    }
    NodeState next;
    Instant started = Instant.now();
    try {
      NodeClient.Answer a = client.describeResource(n);
      for (PollListener l : listeners) {
        l.nodeAnswered(n, started);
      }
      if (previous != null && !previous.up()) {
        LOG.info("node {} is up", n.url());
      }
      next = new NodeState(n, true, a.capacity(), Instant.now(), a.signer(), null, started);
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (previous == null || previous.up() || !why.equals(previous.lastError())) {
        LOG.warn("node {} did not answer the poll (ncDescribeResource, ncDescribeInstances): {}", n.url(), why);
      }
      next = new NodeState(n, false, null, previous == null ? null : previous.lastSeen(),
          previous == null ? null : previous.replySigner(), why, started);
    }
    synchronized (states) {
      states.put(n.url(), next);
    }
    return next;
  }

  /**
   * A call to the node failed (ncRunInstance, for instance): it is down, and left out of scheduling,
   * until a poll hears from it again.
   */
  public void markDown(NodeEndpoint n, String why) {
    synchronized (states) {
      NodeState p = states.get(n.url());
      if (p == null) {
        return;
      }
      if (p.up()) {
        LOG.warn("node {} marked down: {}", n.url(), why);
      }
      states.put(n.url(), new NodeState(n, false, null, p.lastSeen(), p.replySigner(), why, p.pollStarted()));
    }
  }

  public List<NodeState> snapshot() {
    synchronized (states) {
      return List.copyOf(states.values());
    }
  }

  /** The node whose serviceTag (URL) is {@code serviceTag}, or null. */
  public NodeState find(String serviceTag) {
    synchronized (states) {
      return states.get(serviceTag);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    pool.shutdownNow();
  }
}
