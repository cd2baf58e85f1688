#!/bin/bash
# dev/quickstart's network set-up (dev/quickstart-network.sh) for real, in a network namespace
# of its own (unshare -n; never the machine's own interfaces, routes or sysctls): the two
# bridges, this host's public-side address, IP forwarding, the MANAGED-NOVLAN keys written into a
# copy of etc/eucalyptus.conf; a second run changes nothing; the settings check refuses a
# subnet that clashes with an interface's network, a bad ADDRSPERNET, an empty or misplaced
# PUBLICIPS, and a name that is not a bridge. Also bash -n of dev/quickstart.
# Prints one final line "N passed, M failed".
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${QS_NETNS_INSIDE:-}" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    echo "skipped: needs root and unshare (a network namespace of its own)"
    echo "0 passed, 0 failed"
    exit 0
  fi
  QS_NETNS_INSIDE=1 exec unshare -n "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name"
    sed 's/^/    /' "$tmp/out" | tail -n 25
  fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

t_own_netns() { # the root namespace's interfaces are not here: only lo
  [ "$(ip -o link show | awk -F': ' '{ print $2 }')" = lo ]
}
check "runs in a network namespace of its own" t_own_netns
[ "$failed" -eq 0 ] || finish
ip link set lo up
check "dev/quickstart parses (bash -n)" bash -n "$here/dev/quickstart"

# shellcheck source=../../dev/quickstart-network.sh
. "$here/dev/quickstart-network.sh"
unset EUCA_VNET_BRIDGE EUCA_VNET_SUBNET EUCA_VNET_NETMASK EUCA_VNET_ADDRSPERNET EUCA_VNET_DNS \
  EUCA_PUBLIC_BRIDGE EUCA_PUBLIC_HOST EUCA_VNET_PUBLICIPS EUCA_VNET_CLOUDIP
qs_net_settings
t_defaults() {
  echo "$QS_BRIDGE $QS_SUBNET $QS_NETMASK $QS_ADDRSPERNET $QS_PUB_BRIDGE $QS_PUB_HOST $QS_PUBLICIPS $QS_CLOUDIP $QS_DNS"
  [ "$QS_BRIDGE $QS_SUBNET $QS_NETMASK $QS_ADDRSPERNET $QS_PUB_BRIDGE $QS_PUB_HOST $QS_PUBLICIPS $QS_CLOUDIP" = \
    "eucabr0 10.250.0.0 255.255.0.0 64 eucapub0 172.31.250.1/24 172.31.250.10-172.31.250.19 172.31.250.1" ] \
    && [[ $QS_DNS =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] && [[ $QS_DNS != 127.* ]]
}
check "defaults" t_defaults
check "the defaults pass the check" qs_net_check

echo 0 > /proc/sys/net/ipv4/ip_forward
check "first set-up" qs_net_setup
t_state() {
  ip -d link show dev eucabr0 | grep -qw bridge && ip -d link show dev eucapub0 | grep -qw bridge \
    && ip link show dev eucabr0 | grep -q ',UP' && ip link show dev eucapub0 | grep -q ',UP' \
    && [ "$(ip -4 -o addr show dev eucapub0 | awk '{ print $4 }')" = 172.31.250.1/24 ] \
    && [ -z "$(ip -4 -o addr show dev eucabr0)" ] \
    && [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
}
check "two bridges up, 172.31.250.1/24 on eucapub0 only, forwarding on" t_state
ip -o addr show > "$tmp/addrs-1"; ip -o link show > "$tmp/links-1"
t_rerun() { # the second run says nothing and changes nothing
  local out
  out=$(qs_net_setup 2>&1) || { echo "$out"; return 1; }
  echo "$out"
  [ -z "$out" ] && ip -o addr show | cmp - "$tmp/addrs-1" && ip -o link show | cmp - "$tmp/links-1"
}
check "a second set-up changes nothing" t_rerun
# the CC's own addresses later on the bridges (a router, an elastic IP) do not make a re-run fail
ip addr add 10.250.0.129/26 dev eucabr0
ip addr add 172.31.250.10/32 dev eucapub0
check "the CC's addresses on the bridges are no clash" qs_net_check
check "a set-up with the CC's addresses there" qs_net_setup

conf=$tmp/eucalyptus.conf
cp "$here/etc/eucalyptus.conf" "$conf"
check "keys written" qs_net_conf "$conf"
cp "$conf" "$tmp/conf-1"
check "keys written again" qs_net_conf "$conf"
t_conf() {
  cmp "$conf" "$tmp/conf-1" || return 1
  local k n
  for k in VNET_MODE VNET_INTERFACE VNET_PRIVINTERFACE VNET_PUBINTERFACE VNET_BRIDGE VNET_DHCPDAEMON \
      VNET_DHCPUSER VNET_SUBNET VNET_NETMASK VNET_DNS VNET_ADDRSPERNET VNET_PUBLICIPS VNET_CLOUDIP; do
    n=$(grep -c "^$k=" "$conf")
    [ "$n" = 1 ] || { echo "$k: $n uncommented lines"; return 1; }
  done
  # what a reader of the file gets (the daemons' conf reader takes shell syntax)
  # shellcheck disable=SC1090
  ( . "$conf"
    echo "$VNET_MODE $VNET_INTERFACE $VNET_PRIVINTERFACE $VNET_PUBINTERFACE $VNET_BRIDGE $VNET_DHCPDAEMON $VNET_DHCPUSER $VNET_SUBNET $VNET_NETMASK $VNET_ADDRSPERNET $VNET_PUBLICIPS $VNET_CLOUDIP"
    [ "$VNET_MODE $VNET_INTERFACE $VNET_PRIVINTERFACE $VNET_PUBINTERFACE $VNET_BRIDGE $VNET_DHCPDAEMON $VNET_DHCPUSER $VNET_SUBNET $VNET_NETMASK $VNET_ADDRSPERNET $VNET_PUBLICIPS $VNET_CLOUDIP" = \
      "MANAGED-NOVLAN eucabr0 eucabr0 eucapub0 eucabr0 /usr/sbin/dhcpd root 10.250.0.0 255.255.0.0 64 172.31.250.10-172.31.250.19 172.31.250.1" ] \
      && [ "$VNET_DNS" = "$QS_DNS" ] )
  # nothing else changed: the lines that differ from the original are the keys' own
  diff "$here/etc/eucalyptus.conf" "$conf" | grep '^[<>]' | grep -v '^[<>] VNET_[A-Z]*=' && return 1
  return 0
}
check "eucalyptus.conf: each key once, the right values, nothing else changed" t_conf

# refusals (each in a subshell: the settings come from the environment)
refused() { # refused WORD VAR=VALUE...: the check fails and its message contains WORD
  local word=$1; shift
  local out
  out=$(env "$@" bash -c '. "$1/dev/quickstart-network.sh"; qs_net_settings; qs_net_check' _ "$here" 2>&1) && {
    echo "accepted: $*"; return 1; }
  echo "$out"
  echo "$out" | grep -q -- "$word"
}
ip link add qsclash0 type bridge
ip addr add 10.250.7.1/24 dev qsclash0
check "a subnet overlapping another interface's network is refused" refused 'qsclash0 overlaps 10.250.0.0/16' X=1
check "another subnet avoids the clash" env EUCA_VNET_SUBNET=10.251.0.0 \
  bash -c '. "$1/dev/quickstart-network.sh"; qs_net_settings; qs_net_check' _ "$here"
ip addr add 172.31.250.77/28 dev qsclash0
check "a public network overlapping another interface's is refused" refused 'EUCA_PUBLIC_HOST' EUCA_VNET_SUBNET=10.251.0.0
ip link del qsclash0
check "ADDRSPERNET not a power of two" refused EUCA_VNET_ADDRSPERNET EUCA_VNET_ADDRSPERNET=48
check "a bad subnet" refused EUCA_VNET_SUBNET EUCA_VNET_SUBNET=10.250.0.1
check "an empty PUBLICIPS" refused 'EUCA_VNET_PUBLICIPS is empty' EUCA_VNET_PUBLICIPS=' '
check "a public address outside the public bridge's network" refused 'not a free address' EUCA_VNET_PUBLICIPS=172.31.251.5
check "a backwards range" refused 'ends before' EUCA_VNET_PUBLICIPS=172.31.250.19-172.31.250.10
ip link add qsnotbr0 type veth peer name qsnotbr1
t_not_bridge() { ! qs_bridge qsnotbr0 && ! ip -d link show qsnotbr0 | grep -qw bridge; }
check "a name that is not a bridge is refused" t_not_bridge
t_quote() { ! qs_conf_set "$conf" VNET_DNS 'a"b' && grep -q "^VNET_DNS=\"$QS_DNS\"$" "$conf"; }
check "a value with a quote is not written" t_quote
finish
