package com.eucalyptus.clc.compute.instances;

import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.cluster.ClusterClient.ReportedInstance;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keeps the instances' state: asks every registered cluster's CC for its instances
 * (DescribeInstances, which makes the CC ask its NCs first) and applies {@link Reconciler} to each
 * instance of that cluster. Polls fast while an instance is pending or shutting-down (so
 * {@code running} shows within a second of the guest starting), slowly otherwise; RunInstances
 * and TerminateInstances wake it at once. See docs/instances.md.
 */
public final class InstancePoller implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(InstancePoller.class);
  /** a terminate the CC has not carried out yet is sent again at most this often */
  private static final long TERMINATE_RETRY_MILLIS = 5000;

  /** How often to poll: fast while something is changing, slow otherwise. */
  public record Periods(Duration fast, Duration slow) {
  }

  private final Instances store;
  private final Clusters clusters;
  private final ClusterClient client;
  private final Supplier<Reconciler.Settings> settings;
  private final Supplier<Periods> periods;
  private final LongSupplier clock;
  private final Map<String, Long> terminateSent = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "instance-poller");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean stopped;
  /** Guards {@link #next} and {@link #wakes}; not the poller's own lock, which a poll holds for long. */
  private final Object scheduling = new Object();
  /** The next poll on the timer; replaced when {@link #wake()} polls early (so fast polling starts then). */
  private ScheduledFuture<?> next;
  private long wakes;
  /** told after each round which instances have just ended (their addresses and networks go back) */
  private volatile Consumer<List<String>> onEnded = ids -> { };

  public InstancePoller(Instances store, Clusters clusters, ClusterClient client, Supplier<Reconciler.Settings> settings,
      Supplier<Periods> periods, LongSupplier clock) {
    this.store = store;
    this.clusters = clusters;
    this.client = client;
    this.settings = settings;
    this.periods = periods;
    this.clock = clock;
  }

  /** The CLC's public address assignments, which win over the CC's reports (see {@link PublicAddressBook}). */
  private volatile Supplier<PublicAddressBook> addressBook = () -> PublicAddressBook.NONE;

  public void addressBook(Supplier<PublicAddressBook> book) {
    this.addressBook = book;
  }

  /** Who is told, after each poll round, of the instances that became terminated in it. */
  public void onEnded(Consumer<List<String>> listener) {
    this.onEnded = listener;
  }

  public void start() {
    synchronized (scheduling) {
      scheduleNext(Duration.ofSeconds(1));
    }
  }

  /**
   * Polls as soon as possible (after a RunInstances or TerminateInstances) and goes on from there:
   * the instance just asked for is pending, so the polls after it come at the fast period instead of
   * the slow one already on the timer.
   */
  public void wake() {
    synchronized (scheduling) {
      wakes++;
      scheduleNext(Duration.ZERO);
    }
  }

  /** Called holding {@link #scheduling}. */
  private void scheduleNext(Duration delay) {
    if (stopped) {
      return;
    }
    if (next != null) {
      next.cancel(false);
    }
    next = timer.schedule(this::pollAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pollAndReschedule() {
    long wakesBefore;
    synchronized (scheduling) {
      wakesBefore = wakes;
    }
    boolean busy = safePoll();
    Periods p = periods.get();
    synchronized (scheduling) {
      // a wake during this poll has put the next poll on the timer already (a run asked for
      // meanwhile may not have been seen by this poll)
      if (wakes == wakesBefore) {
        scheduleNext(busy ? p.fast() : p.slow());
      }
    }
  }

  private boolean safePoll() {
    try {
      return pollOnce();
    } catch (RuntimeException e) {
      LOG.error("instance poll failed", e);
      return true;
    }
  }

  /**
   * One round over every cluster that has instances; public for tests.
   *
   * @return whether an instance is pending or shutting-down afterwards
   */
  public synchronized boolean pollOnce() {
    List<InstanceEntity> rows = store.all();
    if (rows.isEmpty()) {
      return false;
    }
    Reconciler.Settings s = settings.get();
    Map<String, ClusterEntity> registered = new HashMap<>();
    clusters.registered().forEach(c -> registered.put(c.name, c));
    Map<String, List<InstanceEntity>> byCluster = rows.stream().collect(Collectors.groupingBy(r -> r.cluster == null
        ? "" : r.cluster));
    boolean busy = false;
    List<String> ended = new ArrayList<>();
    PublicAddressBook book = addressBook.get();
    for (Map.Entry<String, List<InstanceEntity>> e : byCluster.entrySet()) {
      ClusterEntity c = registered.get(e.getKey());
      Map<String, ReportedInstance> reports = new HashMap<>();
      boolean answered = false;
      if (c != null) {
        try {
          client.describeInstances(c.host, c.port, List.of()).forEach(r -> reports.put(r.instanceId(), r));
          answered = true;
        } catch (Exception ex) {
          LOG.debug("DescribeInstances of cluster {} failed: {}", c.name, ex.toString());
        }
      }
      List<String> toTerminate = new ArrayList<>();
      for (InstanceEntity row : e.getValue()) {
        boolean clusterAnswered = answered;
        ReportedInstance report = reports.get(row.instanceId);
        long now = clock.getAsLong();
        Reconciler.Result result = store.change(row.instanceId, live -> {
          String before = live.state;
          Reconciler.Result r = Reconciler.apply(live, report, clusterAnswered, now, s);
          live.publicIp = book.publicIpOf(live.instanceId, live.publicIp, live.privateIp);
          if (!before.equals(live.state)) {
            LOG.info("instance {} of {}: {} → {}", live.instanceId, live.owner, before, live.state);
            if (InstanceState.of(live.state) == InstanceState.TERMINATED) {
              ended.add(live.instanceId);
            }
          }
          return r;
        });
        if (result == null) {
          continue; // removed meanwhile
        }
        switch (result.action()) {
          case FORGET -> {
            store.remove(List.of(row.instanceId));
            terminateSent.remove(row.instanceId);
            LOG.info("instance {} forgotten (terminated long enough ago)", row.instanceId);
          }
          case TERMINATE -> {
            Long last = terminateSent.get(row.instanceId);
            if (last == null || now - last > TERMINATE_RETRY_MILLIS) {
              terminateSent.put(row.instanceId, now);
              toTerminate.add(row.instanceId);
            }
            busy = true;
          }
          case NONE -> {
          }
        }
      }
      if (!toTerminate.isEmpty() && c != null) {
        try {
          LOG.info("asking cluster {} to terminate {}", c.name, toTerminate);
          client.terminateInstances(c.host, c.port, toTerminate);
        } catch (Exception ex) {
          LOG.warn("TerminateInstances {} on cluster {} failed: {}", toTerminate, c.name, ex.toString());
        }
      }
    }
    if (!ended.isEmpty()) {
      try {
        onEnded.accept(ended);
      } catch (RuntimeException ex) {
        LOG.error("releasing what the ended instances {} held failed", ended, ex);
      }
    }
    Set<String> states = store.all().stream().map(r -> r.state).collect(Collectors.toSet());
    return busy || states.contains(InstanceState.PENDING.label()) || states.contains(InstanceState.SHUTTING_DOWN.label());
  }

  @Override
  public void close() {
    stopped = true;
    timer.shutdownNow();
  }
}
