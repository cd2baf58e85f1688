package com.eucalyptus.cc.instances;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.scheduling.NodePicker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * RunInstances: each instance gets a node from the scheduler (in the request's order, so that
 * ROUNDROBIN spreads a reservation), then the ncRunInstance calls go out in parallel. A node whose
 * ncRunInstance fails is marked down and the instance is tried on another node, as the original's
 * doRunInstances did. If fewer than the minimum start, those that did are terminated again and the
 * request fails.
 */
public final class InstanceLauncher implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(InstanceLauncher.class);
  private final NodeRegistry nodes;
  private final NodePicker picker;
  private final NodeInstanceClient client;
  private final InstanceTable table;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "nc-run");
    t.setDaemon(true);
    return t;
  });

  public InstanceLauncher(NodeRegistry nodes, NodePicker picker, NodeInstanceClient client, InstanceTable table) {
    this.nodes = nodes;
    this.picker = picker;
    this.client = client;
    this.table = table;
  }

  /** Starts the instances; returns those that run, as placed (serviceTag = their node's URL). */
  public List<Instance> launch(LaunchRequest req) throws InsufficientCapacityException {
    List<CompletableFuture<Instance>> runs = new ArrayList<>();
    for (Instance i : req.instances()) {
      NodePicker.Reservation r = picker.reserve(i.vmType(), Set.of());
      if (r == null) {
        LOG.warn("no node has room for {} ({}): {} of {} instance(s) scheduled", i.instanceId(),
            i.vmType().name(), runs.size(), req.instances().size());
        break;
      }
      runs.add(CompletableFuture.supplyAsync(() -> runWithRetries(i, r, req), pool));
    }
    List<Instance> running = new ArrayList<>();
    for (CompletableFuture<Instance> f : runs) {
      Instance placed = f.join();
      if (placed != null) {
        running.add(placed);
      }
    }
    int min = Math.max(1, req.minCount());
    if (running.size() < min) {
      for (Instance i : running) {
        terminateQuietly(i);
      }
      throw new InsufficientCapacityException("only " + running.size() + " of the minimum " + min
          + " instance(s) could be started on this cluster");
    }
    return running;
  }

  private Instance runWithRetries(Instance i, NodePicker.Reservation first, LaunchRequest req) {
    Set<String> failed = new HashSet<>();
    NodePicker.Reservation r = first;
    while (r != null) {
      NodeEndpoint node = r.node();
      LOG.info("instance {}: sending ncRunInstance to {}", i.instanceId(), node.url());
      try {
        Instance accepted = client.runInstance(node, i, req.imageUrl(), req.kernelUrl(), req.ramdiskUrl());
        r.ran();
        String state = accepted == null || accepted.stateName() == null ? "Pending" : accepted.stateName();
        Instance placed = i.withState(state).placedOn(node.url(), Instant.now());
        table.placed(placed);
        LOG.info("instance {} placed on {} ({})", i.instanceId(), node.url(), state);
        return placed;
      } catch (Exception e) {
        r.release();
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        LOG.warn("ncRunInstance of {} on {} failed: {}; trying another node", i.instanceId(), node.url(), why);
        nodes.markDown(node, "ncRunInstance failed: " + why);
        failed.add(node.url());
        // a node that was only slow may have accepted it after all: make sure it does not run twice
        pool.execute(() -> {
          try {
            client.terminateInstance(node, i.instanceId());
            LOG.info("instance {} was on {} after all: terminated there", i.instanceId(), node.url());
          } catch (Exception ignored) {
            // not there, or the node is really down
          }
        });
        r = picker.reserve(i.vmType(), failed);
      }
    }
    LOG.warn("instance {} could not be started on any node", i.instanceId());
    return null;
  }

  private void terminateQuietly(Instance i) {
    try {
      client.terminateInstance(nodes.find(i.serviceTag()).endpoint(), i.instanceId());
    } catch (Exception e) {
      LOG.warn("could not terminate {} after a failed RunInstances: {}", i.instanceId(), e.toString());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
