package com.eucalyptus.nc.hypervisor.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.nc.hypervisor.GuestDefinition;
import com.eucalyptus.nc.hypervisor.HypervisorType;
import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Domain XML per HYPERVISOR, read back with XPath and checked against libvirt's own schema (virt-xml-validate). */
class DomainXmlTest {
  @TempDir
  Path tmp;

  GuestDefinition guest(HypervisorType type, boolean xen) {
    Path d = Path.of("/var/lib/eucalyptus/instances/admin/i-12AB34CD");
    List<GuestDefinition.GuestDisk> disks = xen
        ? List.of(new GuestDefinition.GuestDisk(d.resolve("root"), "sda1"), new GuestDefinition.GuestDisk(d.resolve("ephemeral"), "sda2"),
            new GuestDefinition.GuestDisk(d.resolve("swap"), "sda3"))
        : List.of(new GuestDefinition.GuestDisk(d.resolve("disk"), "vda"), new GuestDefinition.GuestDisk(d.resolve("ephemeral"), "vdb"),
            new GuestDefinition.GuestDisk(d.resolve("swap"), "vdc"));
    return new GuestDefinition("i-12AB34CD", "nc:/var/lib/eucalyptus/instances", type, 256, 2, d.resolve("kernel"),
        d.resolve("ramdisk"), disks, "br0", "d0:0d:12:AB:34:CD", d.resolve("console.log"));
  }

  Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  String x(Document d, String path) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(path, d);
  }

  List<String> all(Document d, String path) throws Exception {
    XPath xp = XPathFactory.newInstance().newXPath();
    NodeList n = (NodeList) xp.evaluate(path, d, XPathConstants.NODESET);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.getLength(); i++) {
      out.add(n.item(i).getTextContent());
    }
    return out;
  }

  void validates(String xml) throws Exception {
    Path f = tmp.resolve("domain.xml");
    Files.writeString(f, xml);
    CommandResult r = new CommandRunner().run("virt-xml-validate", f.toString(), "domain");
    assertEquals(0, r.exitCode(), "libvirt's schema accepts it: " + r.stdout() + r.stderr() + "\n" + xml);
  }

  @Test
  void kvmAndQemuBootTheKernelWithRootOnTheFirstPartitionOfAVirtioDisk() throws Exception {
    for (HypervisorType t : new HypervisorType[] {HypervisorType.KVM, HypervisorType.QEMU}) {
      String xml = DomainXml.of(guest(t, false));
      validates(xml);
      Document d = parse(xml);
      assertEquals(t == HypervisorType.KVM ? "kvm" : "qemu", x(d, "/domain/@type"));
      assertEquals("i-12AB34CD", x(d, "/domain/name"));
      assertEquals("hvm", x(d, "/domain/os/type"));
      assertEquals("root=/dev/vda1 console=ttyS0", x(d, "/domain/os/cmdline"));
      assertEquals("/var/lib/eucalyptus/instances/admin/i-12AB34CD/kernel", x(d, "/domain/os/kernel"));
      assertEquals("/var/lib/eucalyptus/instances/admin/i-12AB34CD/ramdisk", x(d, "/domain/os/initrd"));
      assertEquals("256", x(d, "/domain/memory"));
      assertEquals("MiB", x(d, "/domain/memory/@unit"));
      assertEquals("2", x(d, "/domain/vcpu"));
      assertEquals(List.of("vda", "vdb", "vdc"), all(d, "/domain/devices/disk/target/@dev"));
      assertEquals(List.of("virtio", "virtio", "virtio"), all(d, "/domain/devices/disk/target/@bus"));
      assertEquals("/var/lib/eucalyptus/instances/admin/i-12AB34CD/disk", x(d, "/domain/devices/disk[1]/source/@file"));
      assertEquals("bridge", x(d, "/domain/devices/interface/@type"));
      assertEquals("br0", x(d, "/domain/devices/interface/source/@bridge"));
      assertEquals("d0:0d:12:AB:34:CD", x(d, "/domain/devices/interface/mac/@address"));
      assertEquals("virtio", x(d, "/domain/devices/interface/model/@type"));
      assertEquals("file", x(d, "/domain/devices/serial/@type"));
      assertEquals("/var/lib/eucalyptus/instances/admin/i-12AB34CD/console.log", x(d, "/domain/devices/serial/source/@path"));
      assertEquals("nc:/var/lib/eucalyptus/instances",
          XPathFactory.newInstance().newXPath().evaluate("/domain/metadata/*[local-name()='node']/@owner", d));
      assertEquals(DomainXml.METADATA_NS, d.getElementsByTagNameNS(DomainXml.METADATA_NS, "node").item(0).getNamespaceURI());
    }
  }

  @Test
  void xenIsParavirtualWithThePartitionsAsSda1To3() throws Exception {
    String xml = DomainXml.of(guest(HypervisorType.XEN, true));
    validates(xml);
    Document d = parse(xml);
    assertEquals("xen", x(d, "/domain/@type"));
    assertEquals("linux", x(d, "/domain/os/type"));
    assertEquals("root=/dev/sda1 console=hvc0", x(d, "/domain/os/cmdline"));
    assertEquals(List.of("sda1", "sda2", "sda3"), all(d, "/domain/devices/disk/target/@dev"));
    assertEquals(List.of("xen", "xen", "xen"), all(d, "/domain/devices/disk/target/@bus"));
    assertEquals("br0", x(d, "/domain/devices/interface/source/@bridge"));
    assertEquals("d0:0d:12:AB:34:CD", x(d, "/domain/devices/interface/mac/@address"));
    assertEquals("/var/lib/eucalyptus/instances/admin/i-12AB34CD/console.log", x(d, "/domain/devices/console/source/@path"));
  }

  @Test
  void withoutRamdiskOrBridgeThoseElementsAreLeftOutAndNamesAreEscaped() throws Exception {
    GuestDefinition g = guest(HypervisorType.QEMU, false);
    GuestDefinition bare = new GuestDefinition(g.name(), "nc:/tmp/a'b&c", g.type(), g.memoryMb(), g.cores(), g.kernel(), null,
        g.disks(), null, null, g.consoleLog());
    String xml = DomainXml.of(bare);
    validates(xml);
    Document d = parse(xml);
    assertEquals("", x(d, "/domain/os/initrd"));
    assertEquals("0", x(d, "count(/domain/devices/interface)"));
    assertEquals("nc:/tmp/a'b&c", XPathFactory.newInstance().newXPath().evaluate("/domain/metadata/*[local-name()='node']/@owner", d));
    assertNull(d.getElementsByTagName("initrd").item(0));
  }

  @Test
  void aVolumeIsAnNbdDiskOverTlsWithTheVolumeIdAsSerialAndIsReadBackFromTheDomain() throws Exception {
    String disk = DomainXml.networkDisk(new com.eucalyptus.nc.hypervisor.NetworkDisk("vol-12AB34CD", "storage.example", 10811,
        "vol-12AB34CD", "vdd"));
    // a domain holding it as libvirt would report it after the hot-plug
    String xml = DomainXml.of(guest(HypervisorType.KVM, false)).replace("  </devices>", disk + "  </devices>");
    validates(xml);
    Document d = parse(xml);
    assertEquals("network", x(d, "/domain/devices/disk[target/@dev='vdd']/@type"));
    assertEquals("nbd", x(d, "/domain/devices/disk[target/@dev='vdd']/source/@protocol"));
    assertEquals("yes", x(d, "/domain/devices/disk[target/@dev='vdd']/source/@tls"));
    assertEquals("vol-12AB34CD", x(d, "/domain/devices/disk[target/@dev='vdd']/source/@name"));
    assertEquals("storage.example", x(d, "/domain/devices/disk[target/@dev='vdd']/source/host/@name"));
    assertEquals("10811", x(d, "/domain/devices/disk[target/@dev='vdd']/source/host/@port"));
    assertEquals("virtio", x(d, "/domain/devices/disk[target/@dev='vdd']/target/@bus"));
    assertEquals("none", x(d, "/domain/devices/disk[target/@dev='vdd']/driver/@cache"));
    assertEquals(List.of(new com.eucalyptus.nc.hypervisor.Hypervisor.AttachedDisk("vda", null),
        new com.eucalyptus.nc.hypervisor.Hypervisor.AttachedDisk("vdb", null),
        new com.eucalyptus.nc.hypervisor.Hypervisor.AttachedDisk("vdc", null),
        new com.eucalyptus.nc.hypervisor.Hypervisor.AttachedDisk("vdd", "vol-12AB34CD")), DomainXml.disksOf(xml));
  }
}
