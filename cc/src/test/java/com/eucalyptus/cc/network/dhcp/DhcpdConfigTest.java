package com.eucalyptus.cc.network.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.eucalyptus.cc.network.model.Ipv4Block;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhcpdConfigTest {
  @Test
  void theFileIsWrittenAsInOneFiveTwo() {
    String text = DhcpdConfig.render(
        List.of(new DhcpdConfig.Subnet(Ipv4Block.parse("10.1.0.64/27"), "10.1.0.65", "10.1.0.95", List.of("10.0.0.53", "10.0.0.54"))),
        List.of(new DhcpdConfig.Host("d0:0d:12:34:56:78", "10.1.0.66")));
    assertEquals("""
        # written by the Eucalyptus CC, rewritten as instances come and go: do not edit
        default-lease-time 1200;
        max-lease-time 1200;
        ddns-update-style none;

        shared-network euca {
          subnet 10.1.0.64 netmask 255.255.255.224 {
            option subnet-mask 255.255.255.224;
            option broadcast-address 10.1.0.95;
            option domain-name-servers 10.0.0.53, 10.0.0.54;
            option routers 10.1.0.65;
          }
          host node-10.1.0.66 {
            hardware ethernet d0:0d:12:34:56:78;
            fixed-address 10.1.0.66;
          }
        }
        """, text);
  }

  @Test
  void managedNetworksEachOnTheirBridgeAreNoSharedNetworkAndCarryTheGuestsMtu() {
    String text = DhcpdConfig.render(List.of(
        new DhcpdConfig.Subnet(Ipv4Block.parse("10.1.0.64/27"), "10.1.0.65", "10.1.0.95", List.of("10.0.0.53"), 1450),
        new DhcpdConfig.Subnet(Ipv4Block.parse("10.1.0.96/27"), "10.1.0.97", "10.1.0.127", List.of("10.0.0.53"), 1450)),
        List.of(new DhcpdConfig.Host("d0:0d:12:34:56:78", "10.1.0.66")), false);
    assertEquals("""
        # written by the Eucalyptus CC, rewritten as instances come and go: do not edit
        default-lease-time 1200;
        max-lease-time 1200;
        ddns-update-style none;

        subnet 10.1.0.64 netmask 255.255.255.224 {
          option subnet-mask 255.255.255.224;
          option broadcast-address 10.1.0.95;
          option domain-name-servers 10.0.0.53;
          option routers 10.1.0.65;
          option interface-mtu 1450;
        }
        subnet 10.1.0.96 netmask 255.255.255.224 {
          option subnet-mask 255.255.255.224;
          option broadcast-address 10.1.0.127;
          option domain-name-servers 10.0.0.53;
          option routers 10.1.0.97;
          option interface-mtu 1450;
        }
        host node-10.1.0.66 {
          hardware ethernet d0:0d:12:34:56:78;
          fixed-address 10.1.0.66;
        }
        """, text);
  }

  @Test
  void nothingToServeIsNoFile() {
    assertNull(DhcpdConfig.render(List.of(), List.of(new DhcpdConfig.Host("d0:0d:12:34:56:78", "10.1.0.66"))));
    assertNull(DhcpdConfig.render(List.of(new DhcpdConfig.Subnet(Ipv4Block.parse("10.1.0.64/27"), "10.1.0.65",
        "10.1.0.95", List.of())), List.of()));
  }
}
