# shellcheck shell=bash
# The guests' network of dev/quickstart: MANAGED-NOVLAN on this one host (sourced by
# dev/quickstart; tools/test/quickstart-network-tests.sh runs it in a network namespace of its
# own). What it sets up and why: docs/network.md ("The quick start's network").
#
#   a private bridge VNET_BRIDGE (default eucabr0) the NC attaches the guests to; the CC, in the
#     root namespace, holds each security group's router address on it (VNET_PRIVINTERFACE);
#     this script gives it no address
#   a host-only bridge for the public addresses (default eucapub0, the host holding
#     172.31.250.1/24); the CC adds the elastic IPs in use on it (VNET_PUBINTERFACE) and DNATs
#     them, so `ssh root@<public ip>` from this host reaches the guest
#   net.ipv4.ip_forward=1 (the front end routes the guests' traffic beyond this host)
#
# Every default can be overridden from the environment:
#   EUCA_VNET_BRIDGE       eucabr0                the guests' bridge
#   EUCA_VNET_SUBNET       10.250.0.0             the guests' private addresses (not 10.240/10.241:
#                                                 the integration tests route those in the root
#                                                 namespace) ...
#   EUCA_VNET_NETMASK      255.255.0.0            ... and their netmask
#   EUCA_VNET_ADDRSPERNET  64                     addresses per active security group
#   EUCA_VNET_DNS          this host's first non-loopback nameserver, else 8.8.8.8
#   EUCA_PUBLIC_BRIDGE     eucapub0               the host-only bridge of the public addresses
#   EUCA_PUBLIC_HOST       172.31.250.1/24        this host's address on it
#   EUCA_VNET_PUBLICIPS    172.31.250.10-172.31.250.19   the elastic IPs
#   EUCA_VNET_CLOUDIP      the address of EUCA_PUBLIC_HOST   where the metadata requests go (:8773)

qs_net_settings() {
  QS_BRIDGE=${EUCA_VNET_BRIDGE:-eucabr0}
  QS_SUBNET=${EUCA_VNET_SUBNET:-10.250.0.0}
  QS_NETMASK=${EUCA_VNET_NETMASK:-255.255.0.0}
  QS_ADDRSPERNET=${EUCA_VNET_ADDRSPERNET:-64}
  QS_PUB_BRIDGE=${EUCA_PUBLIC_BRIDGE:-eucapub0}
  QS_PUB_HOST=${EUCA_PUBLIC_HOST:-172.31.250.1/24}
  QS_PUBLICIPS=${EUCA_VNET_PUBLICIPS:-172.31.250.10-172.31.250.19}
  QS_CLOUDIP=${EUCA_VNET_CLOUDIP:-${QS_PUB_HOST%/*}}
  QS_DNS=${EUCA_VNET_DNS:-$(awk '$1 == "nameserver" && $2 ~ /^[0-9.]+$/ && $2 !~ /^127\./ { print $2; exit }' \
    /etc/resolv.conf 2>/dev/null)}
  QS_DNS=${QS_DNS:-8.8.8.8}
}

# qs_net_check: the settings make sense, and neither the private subnet nor the public bridge's
# network overlaps an address or route this host already has elsewhere (another interface's
# network must not be shadowed by the guests'). Prints the reason and fails otherwise.
qs_net_check() {
  local existing
  existing=$( { ip -4 -o addr show | awk '{ print "addr", $2, $4 }'
                ip -4 route show table main | awk '$1 != "default" { for (i = 1; i < NF; i++) if ($i == "dev") print "route", $(i + 1), $1 }'; } )
  QS_EXISTING=$existing /usr/bin/python3 - "$QS_BRIDGE" "$QS_SUBNET" "$QS_NETMASK" "$QS_ADDRSPERNET" \
      "$QS_PUB_BRIDGE" "$QS_PUB_HOST" "$QS_PUBLICIPS" "$QS_CLOUDIP" "$QS_DNS" <<'EOF'
import ipaddress, os, sys
bridge, subnet, netmask, per, pub_bridge, pub_host, publicips, cloudip, dns = sys.argv[1:]
def fail(msg):
    print("quickstart network: " + msg, file=sys.stderr)
    sys.exit(1)
try:
    priv = ipaddress.IPv4Network(subnet + "/" + netmask)
except ValueError as e:
    fail("EUCA_VNET_SUBNET/EUCA_VNET_NETMASK %s/%s: %s" % (subnet, netmask, e))
if not per.isdigit() or int(per) < 4 or int(per) & (int(per) - 1) or int(per) > priv.num_addresses:
    fail("EUCA_VNET_ADDRSPERNET %s: a power of two from 4 up to the subnet's size" % per)
try:
    pub_if = ipaddress.IPv4Interface(pub_host)
except ValueError as e:
    fail("EUCA_PUBLIC_HOST %s: %s" % (pub_host, e))
pub_net = pub_if.network
if priv.overlaps(pub_net):
    fail("the private subnet %s and the public network %s overlap" % (priv, pub_net))
publics = []
for item in publicips.split():
    try:
        if "-" in item:
            a, b = (ipaddress.IPv4Address(x) for x in item.split("-", 1))
            if b < a:
                raise ValueError("the range ends before it starts")
            publics += [ipaddress.IPv4Address(i) for i in range(int(a), int(b) + 1)]
        else:
            publics.append(ipaddress.IPv4Address(item))
    except ValueError as e:
        fail("EUCA_VNET_PUBLICIPS %s: %s" % (item, e))
if not publics:
    fail("EUCA_VNET_PUBLICIPS is empty")
for a in publics:
    if a in priv:
        fail("public address %s is inside the private subnet %s" % (a, priv))
    if a not in pub_net or a == pub_if.ip:
        fail("public address %s is not a free address of %s's network %s" % (a, pub_bridge, pub_net))
for name, value in (("EUCA_VNET_CLOUDIP", cloudip), ("EUCA_VNET_DNS", dns)):
    try:
        ipaddress.IPv4Address(value)
    except ValueError as e:
        fail("%s %s: %s" % (name, value, e))
ours = {bridge, pub_bridge}
for line in os.environ.get("QS_EXISTING", "").splitlines():
    kind, dev, what = line.split()
    if dev in ours or dev == "lo" or dev.startswith("lo:"):
        continue
    try:
        net = ipaddress.IPv4Interface(what).network if kind == "addr" else ipaddress.IPv4Network(what, strict=False)
    except ValueError:
        continue
    for mine, knob in ((priv, "EUCA_VNET_SUBNET/EUCA_VNET_NETMASK"), (pub_net, "EUCA_PUBLIC_HOST")):
        if net.overlaps(mine):
            fail("%s %s on %s overlaps %s (%s): choose another with %s" % (kind, what, dev, mine,
                 "the guests' private subnet" if mine is priv else "the public bridge's network", knob))
EOF
}

# qs_bridge NAME [ADDRESS/PREFIX]: the bridge exists and is up (made if missing), with that address.
qs_bridge() {
  if ! ip link show dev "$1" >/dev/null 2>&1; then
    ip link add name "$1" type bridge
    echo "made bridge $1"
  fi
  ip -o -d link show dev "$1" | grep -qw bridge || { echo "quickstart network: $1 exists and is not a bridge" >&2; return 1; }
  ip link set dev "$1" up
  if [ -n "${2:-}" ] && ! ip -4 -o addr show dev "$1" | awk '{ print $4 }' | grep -qx "$2"; then
    ip addr add "$2" dev "$1"
    echo "$1: added $2"
  fi
}

# qs_net_setup: the two bridges, this host's public-side address, IP forwarding on.
qs_net_setup() {
  qs_bridge "$QS_BRIDGE" || return 1
  qs_bridge "$QS_PUB_BRIDGE" "$QS_PUB_HOST" || return 1
  if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then
    echo 1 > /proc/sys/net/ipv4/ip_forward
    echo "net.ipv4.ip_forward=1 (was 0; not kept across a reboot)"
  fi
}

# qs_conf_set FILE KEY VALUE: KEY="VALUE" in FILE: its uncommented KEY= lines replaced, else the
# line appended (the file keeps its owner and mode).
qs_conf_set() {
  local f=$1 tmp
  case $3 in *[\"\\\$\`]*) echo "quickstart network: $2: a value with \" \\ \$ or \` is not written" >&2; return 1 ;; esac
  tmp=$(mktemp)
  if grep -Eq "^[[:space:]]*(export[[:space:]]+)?$2=" "$f"; then
    QS_KEY=$2 QS_LINE="$2=\"$3\"" awk '
      { if ($0 ~ "^[[:space:]]*(export[[:space:]]+)?" ENVIRON["QS_KEY"] "=") print ENVIRON["QS_LINE"]; else print }
    ' "$f" > "$tmp"
  else
    cat "$f" > "$tmp" && printf '%s="%s"\n' "$2" "$3" >> "$tmp"
  fi
  cat "$tmp" > "$f"
  rm -f "$tmp"
}

# qs_net_conf FILE: the MANAGED-NOVLAN keys into eucalyptus.conf (the CC's and the NC's: one host).
qs_net_conf() {
  local f=$1 kv
  for kv in "VNET_MODE=MANAGED-NOVLAN" \
      "VNET_INTERFACE=$QS_BRIDGE" "VNET_PRIVINTERFACE=$QS_BRIDGE" "VNET_BRIDGE=$QS_BRIDGE" \
      "VNET_PUBINTERFACE=$QS_PUB_BRIDGE" \
      "VNET_DHCPDAEMON=/usr/sbin/dhcpd" "VNET_DHCPUSER=root" \
      "VNET_SUBNET=$QS_SUBNET" "VNET_NETMASK=$QS_NETMASK" "VNET_DNS=$QS_DNS" \
      "VNET_ADDRSPERNET=$QS_ADDRSPERNET" "VNET_PUBLICIPS=$QS_PUBLICIPS" "VNET_CLOUDIP=$QS_CLOUDIP"; do
    qs_conf_set "$f" "${kv%%=*}" "${kv#*=}" || return 1
  done
}
