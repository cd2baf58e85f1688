#!/bin/bash
# dev/quickstart's network set-up (dev/quickstart-network.sh) for real, in a network namespace
# of its own (unshare -n; never the machine's own interfaces, routes or sysctls): the two
# bridges, this host's public-side address, IP forwarding, the MANAGED-NOVLAN keys written into a
# copy of etc/eucalyptus.conf; a second run changes nothing; the settings check refuses a
# subnet that clashes with an interface's network, a bad ADDRSPERNET, an empty or misplaced
# PUBLICIPS, and a name that is not a bridge. Also bash -n of dev/quickstart. Then a guest on that
# topology: the test image under QEMU on a tap in the guests' bridge, with the CC's part played
# by hand (router address, ISC dhcpd, the metadata and elastic-IP DNATs in the namespace's own
# iptables): it gets its address by DHCP, reads its metadata through VNET_CLOUDIP (seen there
# with its own address), and `ssh -i key root@<public ip>` from the namespace's "host" logs in.
# About 35 s.
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
ip link del qsnotbr0

# ---- a guest on this topology --------------------------------------------------------------
# The test image booted by QEMU on a tap in eucabr0, with what the CC does in MANAGED-NOVLAN
# played by hand (docs/network.md): the router address of the group's block (index 2 of 64:
# 10.250.0.128/26, router .129, the guest .130) on eucabr0, ISC dhcpd (VNET_DHCPDAEMON) with the
# guest's fixed address, the metadata DNAT to VNET_CLOUDIP:8773 (a stand-in answering there),
# the elastic IP 172.31.250.10/32 on eucapub0 with the DNAT in nat PREROUTING and OUTPUT. Then,
# as the quickstart's user: ssh -i key root@172.31.250.10 from "this host". All inside this
# test's namespace: its iptables, not the machine's.
if [ ! -c /dev/net/tun ] || ! command -v qemu-system-x86_64 >/dev/null || [ ! -x /usr/sbin/dhcpd ] \
    || ! command -v iptables >/dev/null; then
  echo "skipped the guest part: needs /dev/net/tun, qemu-system-x86_64, /usr/sbin/dhcpd and iptables"
  finish
fi
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
img=$tmp/images
check "make-test-images" "$here/tools/make-test-images" "$img"
# shellcheck disable=SC1091
. "$img/images.env" || finish
ip addr del 10.250.0.129/26 dev eucabr0 2>/dev/null   # the earlier check's stand-in router
ip addr add 10.250.0.129/26 dev eucabr0
mac=d0:0d:51:c7:00:02 guest=10.250.0.130 pub=172.31.250.10
iid=i-51C70002
t_cc_rules() {
  iptables -t nat -A PREROUTING -s 10.250.0.0/16 -d 169.254.169.254/32 -p tcp --dport 80 \
    -j DNAT --to-destination "$QS_CLOUDIP:8773" \
  && iptables -t nat -A PREROUTING -d "$pub/32" -j DNAT --to-destination "$guest" \
  && iptables -t nat -A OUTPUT -d "$pub/32" -j DNAT --to-destination "$guest" \
  && iptables -t nat -A POSTROUTING -s "$guest/32" ! -d 10.250.0.0/16 -j SNAT --to-source "$pub"
}
check "the CC's rules, by hand, in this namespace" t_cc_rules
cat > "$tmp/dhcpd.conf" <<EOF
default-lease-time 1200;
max-lease-time 1200;
ddns-update-style none;
authoritative;
shared-network euca {
  subnet 10.250.0.128 netmask 255.255.255.192 {
    option subnet-mask 255.255.255.192;
    option broadcast-address 10.250.0.191;
    option domain-name-servers $QS_DNS;
    option routers 10.250.0.129;
  }
  host node-$guest { hardware ethernet $mac; fixed-address $guest; }
}
EOF
: > "$tmp/dhcpd.leases"
/usr/sbin/dhcpd -4 -f -q -cf "$tmp/dhcpd.conf" -lf "$tmp/dhcpd.leases" -pf "$tmp/dhcpd.pid" "$QS_BRIDGE" \
  > "$tmp/dhcpd.log" 2>&1 &
pids+=($!)
# the metadata stand-in on VNET_CLOUDIP:8773, logging each request's source address
ssh-keygen -q -t ed25519 -N '' -C quickstart@test -f "$tmp/key"
mkdir -p "$tmp/md/latest/meta-data/public-keys/0"
echo "$iid" > "$tmp/md/latest/meta-data/instance-id"
cp "$tmp/key.pub" "$tmp/md/latest/meta-data/public-keys/0/openssh-key"
/usr/bin/python3 - "$QS_CLOUDIP" "$tmp/md" > "$tmp/md.log" 2>&1 <<'EOF' &
import http.server, os, sys
root = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        print(self.client_address[0], self.path, flush=True)
        f = os.path.realpath(os.path.join(root, self.path.lstrip("/")))
        if f.startswith(root + "/") and os.path.isfile(f):
            body, code = open(f, "rb").read(), 200
        else:
            body, code = b"not found\n", 404
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer((sys.argv[1], 8773), H).serve_forever()
EOF
pids+=($!)
/usr/bin/python3 - "$img/$ROOT" "$tmp/disk.img" <<'EOF'
import os, shutil, struct, sys
root, disk = sys.argv[1], sys.argv[2]
sectors = os.path.getsize(root) // 512
mbr = bytearray(512)
mbr[446:462] = struct.pack("<B3sB3sII", 0x80, b"\xff\xff\xfe", 0x83, b"\xff\xff\xfe", 2048, sectors)
mbr[510:512] = b"\x55\xaa"
with open(disk, "wb") as out, open(root, "rb") as src:
    out.write(mbr)
    out.seek(2048 * 512)
    shutil.copyfileobj(src, out)
EOF
ip tuntap add qstap0 mode tap
ip link set qstap0 master "$QS_BRIDGE" up
console=$tmp/console.log
qemu-system-x86_64 -accel tcg -m 256 -smp 1 -display none -monitor none -no-reboot \
  -serial "file:$console" \
  -kernel "$img/$KERNEL" -initrd "$img/$RAMDISK" -append "root=/dev/vda1 console=ttyS0 panic=-1" \
  -drive "file=$tmp/disk.img,format=raw,if=virtio" \
  -netdev tap,id=n0,ifname=qstap0,script=no,downscript=no -device "virtio-net-pci,netdev=n0,mac=$mac" \
  > "$tmp/qemu.out" 2>&1 &
qemu_pid=$!
pids+=("$qemu_pid")
boot_start=$SECONDS
t_ready() {
  local i
  for i in $(seq 1 150); do
    grep -q 'EUCA-TEST-IMAGE-READY' "$console" 2>/dev/null && return 0
    kill -0 "$qemu_pid" 2>/dev/null || break
    sleep 1
  done
  cat "$tmp/qemu.out" "$tmp/dhcpd.log"; tail -n 30 "$console"
  return 1
}
check "the guest boots on $QS_BRIDGE and prints READY" t_ready
echo "READY $((SECONDS - boot_start)) s after QEMU started (TCG)"
line=$(grep -a 'EUCA-TEST-IMAGE-READY' "$console" | tr -d '\r' | head -n 1)
echo "console: $line"
t_lease() { echo "$line" | grep -q "instance-id=$iid ip=$guest "; }
check "its address from dhcpd, its instance id from the metadata DNAT to $QS_CLOUDIP:8773" t_lease
t_md_source() { cat "$tmp/md.log"; grep -qx "$guest /latest/meta-data/instance-id" "$tmp/md.log" \
  && grep -qx "$guest /latest/meta-data/public-keys/0/openssh-key" "$tmp/md.log"; }
check "the metadata service saw the guest's own address" t_md_source
t_ssh_public() {
  local out
  out=$(ssh -i "$tmp/key" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=20 \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    "root@$pub" 'hostname; ip -4 -o addr show dev eth0') || return 1
  echo "$out"
  echo "$out" | grep -qx euca-busybox && echo "$out" | grep -q "inet $guest/26"
}
check "ssh -i key root@$pub from this host (nat OUTPUT DNAT) runs a command in the guest" t_ssh_public
t_rerun_with_guest() { # the set-up again, with a guest on the bridge: nothing said, nothing changed
  local before out
  before=$(ip -o addr show; ip -o link show)
  out=$(qs_net_setup 2>&1) || { echo "$out"; return 1; }
  [ -z "$out" ] && [ "$(ip -o addr show; ip -o link show)" = "$before" ]
}
check "a second set-up with a guest running changes nothing" t_rerun_with_guest
check "ssh still works after it" t_ssh_public
finish
