package com.eucalyptus.nc.hypervisor.libvirt;

import com.eucalyptus.nc.hypervisor.GuestDefinition;
import com.eucalyptus.nc.hypervisor.Hypervisor;
import com.eucalyptus.nc.hypervisor.HypervisorType;
import com.eucalyptus.nc.hypervisor.NetworkDisk;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * libvirt domain XML for a {@link GuestDefinition}, per HYPERVISOR:
 * <ul>
 * <li>kvm / qemu: {@code <domain type='kvm'|'qemu'>} (qemu = plain TCG emulation), hvm with
 * direct kernel boot, cmdline {@code root=/dev/vda1 console=ttyS0}, virtio disks, virtio NIC,
 * the serial port written to the console log file;</li>
 * <li>xen: paravirtual ({@code <type>linux</type>}), cmdline {@code root=/dev/sda1 console=hvc0},
 * the partition files as sda1/sda2/sda3 on the xen bus, the console written to the log file.</li>
 * </ul>
 * The NIC is {@code type='bridge'} on VNET_BRIDGE with the CC's MAC. The {@code <metadata>}
 * element carries this NC's mark so that it recognises its own domains after a restart.
 * A volume is a hot-plugged {@link #networkDisk network disk}.
 */
public final class DomainXml {
  /** Namespace of the NC's metadata element inside a domain. */
  public static final String METADATA_NS = "http://eucalyptus.ucsb.edu/nc/1";
  public static final String METADATA_PREFIX = "euca";

  private DomainXml() {
  }

  public static String of(GuestDefinition g) {
    boolean xen = g.type() == HypervisorType.XEN;
    StringBuilder x = new StringBuilder();
    x.append("<domain type='").append(domainType(g.type())).append("'>\n");
    x.append("  <name>").append(esc(g.name())).append("</name>\n");
    x.append("  <metadata>\n    <").append(METADATA_PREFIX).append(":node xmlns:").append(METADATA_PREFIX).append("='")
        .append(METADATA_NS).append("' owner='").append(esc(g.owner())).append("'/>\n  </metadata>\n");
    x.append("  <memory unit='MiB'>").append(g.memoryMb()).append("</memory>\n");
    x.append("  <vcpu>").append(g.cores()).append("</vcpu>\n");
    x.append("  <os>\n");
    x.append(xen ? "    <type>linux</type>\n" : "    <type arch='x86_64'>hvm</type>\n");
    x.append("    <kernel>").append(esc(g.kernel().toString())).append("</kernel>\n");
    if (g.ramdisk() != null) {
      x.append("    <initrd>").append(esc(g.ramdisk().toString())).append("</initrd>\n");
    }
    x.append("    <cmdline>").append(xen ? "root=/dev/sda1 console=hvc0" : "root=/dev/vda1 console=ttyS0").append("</cmdline>\n");
    x.append("  </os>\n");
    if (!xen) {
      x.append("  <features><acpi/></features>\n");
    }
    x.append("  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n");
    x.append("  <devices>\n");
    for (GuestDefinition.GuestDisk d : g.disks()) {
      x.append("    <disk type='file' device='disk'>\n");
      x.append(xen ? "      <driver name='file'/>\n" : "      <driver name='qemu' type='raw' cache='none'/>\n");
      x.append("      <source file='").append(esc(d.file().toString())).append("'/>\n");
      x.append("      <target dev='").append(esc(d.device())).append("' bus='").append(xen ? "xen" : "virtio").append("'/>\n");
      x.append("    </disk>\n");
    }
    if (g.bridge() != null) {
      x.append("    <interface type='bridge'>\n");
      x.append("      <source bridge='").append(esc(g.bridge())).append("'/>\n");
      if (g.mac() != null) {
        x.append("      <mac address='").append(esc(g.mac())).append("'/>\n");
      }
      if (!xen) {
        x.append("      <model type='virtio'/>\n");
      }
      x.append("    </interface>\n");
    }
    String log = esc(g.consoleLog().toString());
    if (xen) {
      x.append("    <console type='file'>\n      <source path='").append(log).append("'/>\n")
          .append("      <target type='xen' port='0'/>\n    </console>\n");
    } else {
      x.append("    <serial type='file'>\n      <source path='").append(log).append("' append='on'/>\n")
          .append("      <target port='0'/>\n    </serial>\n");
      x.append("    <console type='file'>\n      <source path='").append(log).append("' append='on'/>\n")
          .append("      <target type='serial' port='0'/>\n    </console>\n");
    }
    x.append("  </devices>\n</domain>\n");
    return x.toString();
  }

  /**
   * A volume's disk: NBD over TLS (libvirt takes the client credentials from qemu.conf's
   * nbd_tls_x509_cert_dir), raw, no host cache (the storage host holds the only copy), virtio, the
   * volume id as serial.
   */
  public static String networkDisk(NetworkDisk d) {
    return "<disk type='network' device='disk'>\n"
        + "  <driver name='qemu' type='raw' cache='none'/>\n"
        + "  <source protocol='nbd' name='" + esc(d.export()) + "' tls='yes'>\n"
        + "    <host name='" + esc(d.host()) + "' port='" + d.port() + "'/>\n"
        + "  </source>\n"
        + "  <target dev='" + esc(d.target()) + "' bus='virtio'/>\n"
        + "  <serial>" + esc(d.serial()) + "</serial>\n"
        + "</disk>\n";
  }

  /** The disks of a domain's XML (virDomainGetXMLDesc): target dev and serial. */
  public static List<Hypervisor.AttachedDisk> disksOf(String domainXml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      NodeList disks = f.newDocumentBuilder().parse(new InputSource(new StringReader(domainXml))).getElementsByTagName("disk");
      List<Hypervisor.AttachedDisk> out = new ArrayList<>();
      for (int k = 0; k < disks.getLength(); k++) {
        Element disk = (Element) disks.item(k);
        String target = attribute(disk, "target", "dev");
        NodeList serials = disk.getElementsByTagName("serial");
        String serial = serials.getLength() == 0 ? null : serials.item(0).getTextContent().strip();
        if (target != null) {
          out.add(new Hypervisor.AttachedDisk(target, serial));
        }
      }
      return out;
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalStateException("libvirt gave domain XML that does not parse: " + e.getMessage(), e);
    }
  }

  private static String attribute(Element parent, String child, String name) {
    NodeList l = parent.getElementsByTagName(child);
    return l.getLength() == 0 ? null : ((Element) l.item(0)).getAttribute(name);
  }

  static String domainType(HypervisorType t) {
    return switch (t) {
      case KVM -> "kvm";
      case QEMU -> "qemu";
      case XEN -> "xen";
    };
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace("\"", "&quot;");
  }
}
