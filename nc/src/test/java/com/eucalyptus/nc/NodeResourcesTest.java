package com.eucalyptus.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.nc.hypervisor.HypervisorException;
import com.eucalyptus.nc.hypervisor.HypervisorType;
import com.eucalyptus.nc.hypervisor.libvirt.LibvirtHypervisor;
import com.eucalyptus.nc.resources.NodeResources;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resources from a real libvirt: its built-in test driver (test:///default, 8 CPUs, 8 GB) needs no daemon. */
class NodeResourcesTest {
  @TempDir
  Path instances;

  @Test
  void detectsMemoryAndCoresFromLibvirtAndDiskFromInstancePath() throws Exception {
    try (LibvirtHypervisor hv = LibvirtHypervisor.connect("test:///default")) {
      NodeResources.Snapshot s = new NodeResources(hv, instances, new NodeResources.Limits(0, 0, 0),
          NodeResources.InstanceUsage.NONE).describe();
      assertEquals(hv.hostInfo().memoryMb(), s.memoryMaxMb());
      assertEquals(hv.hostInfo().cores(), s.coresMax());
      long freeGb = instances.toFile().getUsableSpace() / (1024L * 1024 * 1024);
      assertTrue(Math.abs(freeGb - s.diskMaxGb()) <= 1, freeGb + " vs " + s.diskMaxGb());
      assertEquals(s.memoryMaxMb(), s.memoryAvailableMb(), "no instances: all available");
    }
  }

  @Test
  void maxSettingsOverrideUpAndDown() throws Exception {
    try (LibvirtHypervisor hv = LibvirtHypervisor.connect("test:///default")) {
      long realMem = hv.hostInfo().memoryMb();
      NodeResources.Snapshot up = new NodeResources(hv, instances, new NodeResources.Limits(realMem * 4, 64, 5000),
          NodeResources.InstanceUsage.NONE).describe();
      assertEquals(realMem * 4, up.memoryMaxMb());
      assertEquals(64, up.coresMax());
      assertEquals(5000, up.diskMaxGb());
      NodeResources.Snapshot down = new NodeResources(hv, instances, new NodeResources.Limits(256, 1, 3),
          NodeResources.InstanceUsage.NONE).describe();
      assertEquals(256, down.memoryMaxMb());
      assertEquals(1, down.coresMax());
      assertEquals(3, down.diskAvailableGb());
    }
  }

  @Test
  void availableIsMaxMinusWhatInstancesHold() throws Exception {
    try (LibvirtHypervisor hv = LibvirtHypervisor.connect("test:///default")) {
      NodeResources.Snapshot s = new NodeResources(hv, instances, new NodeResources.Limits(1024, 4, 40),
          () -> new NodeResources.Snapshot(512, 0, 10, 0, 3, 0, "")).describe();
      assertEquals(512, s.memoryAvailableMb());
      assertEquals(30, s.diskAvailableGb());
      assertEquals(1, s.coresAvailable());
    }
  }

  @Test
  void unreachableHypervisorIsTheGuidesMessage() {
    HypervisorException e = assertThrows(HypervisorException.class,
        () -> LibvirtHypervisor.connect("qemu+unix:///system?socket=/nonexistent/libvirt-sock"));
    assertTrue(e.getMessage().startsWith("Failed to connect to hypervisor"), e.getMessage());
  }

  @Test
  void hypervisorNames() {
    assertEquals("qemu:///system", HypervisorType.parse("kvm").defaultUri());
    assertEquals("qemu:///system", HypervisorType.parse("QEMU").defaultUri());
    assertEquals("xen:///", HypervisorType.parse("xen").defaultUri());
    assertThrows(IllegalArgumentException.class, () -> HypervisorType.parse("vmware"));
  }
}
