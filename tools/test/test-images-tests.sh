#!/bin/bash
# Boots the project's test images for real: tools/make-test-images builds kernel, initrd and
# busybox root; a key is injected into the root file system with debugfs (no mount); the root
# becomes the first partition of a virtio disk; qemu-system-x86_64 (TCG) boots kernel + initrd
# with root=/dev/vda1, user-mode networking (its DHCP), and 169.254.169.254:80 forwarded to a
# stand-in metadata service (tools/test/metadata-stdio.py). Checks the console line (instance
# id, user-data, address, key fingerprint as ssh-keygen -E md5 computes it), that the user-data
# script ran, that the guest's HTTP server answers, and that its sshd (dropbear) lets OpenSSH's
# ssh in as root with the key (host port forwarded to the guest's 22) and refuses another key
# and passwords; a second boot, without a key in the file system, takes the key from the
# metadata service; that the image's own udhcpc line and hook take a lease's interface-mtu (the
# image's busybox, chrooted, in a network namespace, against ISC dhcpd as the CC runs it; needs
# root, else skipped); then that a second build is quick.
# Prints one final line "N passed, M failed". KEEP=1 keeps the temp folder (console logs).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
qemu_pid=
netns_made=
cleanup() {
  [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
  if [ -n "$netns_made" ]; then
    stop_dhcpd
    ip netns del "$netns_made-site" 2>/dev/null
    ip netns del "$netns_made-guest" 2>/dev/null
  fi
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
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

img=$tmp/images
check "make-test-images builds the set" "$here/tools/make-test-images" "$img"
[ -f "$img/images.env" ] || finish
# shellcheck disable=SC1091
. "$img/images.env"

# MTU: a network carried by VXLAN has 50 bytes less room, and the CC's dhcpd says so with
# interface-mtu (option 26). ISC dhcpd sends only the options a client asks for, so the image's
# udhcpc line must ask (-O mtu) and its hook must apply it. Run for real: the image's own files
# (busybox, rcS's udhcpc options, the hook) chrooted in a guest namespace whose eth0 is a veth
# to a site namespace running dhcpd; once with rcS's options as they are (MTU 1400 expected),
# once without -O mtu (1500 stays: what this check would miss if the line did not ask).
stop_dhcpd() { # (a dhcpd still exiting makes the next one refuse to start)
  local pid n=0
  pid=$(cat "$tmp/dhcpd.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null
  while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do n=$((n + 1)); sleep 0.1; done
  rm -f "$tmp/dhcpd.pid"
}
mtu_lease() { # mtu_lease UDHCPC-OPTIONS: the guest's eth0 MTU after a lease
  local site=$netns_made-site guest=$netns_made-guest
  stop_dhcpd
  ip netns del "$site" 2>/dev/null; ip netns del "$guest" 2>/dev/null
  ip netns add "$site" && ip netns add "$guest" || return 1
  ip -n "$site" link add veth0 type veth peer name eth0 netns "$guest"
  ip -n "$site" addr add 10.250.0.1/24 dev veth0
  ip -n "$site" link set veth0 up
  ip -n "$guest" link set eth0 address d0:0d:00:00:00:26
  : > "$tmp/dhcpd.leases"
  ip netns exec "$site" /usr/sbin/dhcpd -4 -q -cf "$tmp/dhcpd.conf" -lf "$tmp/dhcpd.leases" -pf "$tmp/dhcpd.pid" veth0 || return 1
  ip netns exec "$guest" chroot "$tmp/rootfs" /bin/sh -c "export PATH=/sbin:/bin:/usr/sbin:/usr/bin; udhcpc $1 -q -n" >&2 || return 1
  ip -n "$guest" -4 addr show dev eth0 | grep -q 'inet 10.250.0.10/24' || return 1
  ip -n "$guest" -o link show dev eth0 | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'
}
if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/dhcpd ] && command -v debugfs >/dev/null; then
  netns_made=euca-tit-$$
  mkdir -p "$tmp/rootfs"
  debugfs -R "rdump /bin /sbin /usr /etc /tmp /run /dev $tmp/rootfs" "$img/$ROOT" >/dev/null 2>&1
  cat > "$tmp/dhcpd.conf" <<'EOF'
default-lease-time 1200; max-lease-time 1200; ddns-update-style none;
subnet 10.250.0.0 netmask 255.255.255.0 {
  option routers 10.250.0.1; option interface-mtu 1400;
  host node-10.250.0.10 { hardware ethernet d0:0d:00:00:00:26; fixed-address 10.250.0.10; }
}
EOF
  # rcS's own udhcpc options; -b (background when no lease) replaced by -q -n (quit after it)
  rcs_opts=$(sed -n 's/^udhcpc \(.*\) >.*/\1/p' "$tmp/rootfs/etc/init.d/rcS" | sed 's/ -b / /')
  t_mtu() { echo "udhcpc $rcs_opts"; [ "$(mtu_lease "$rcs_opts")" = 1400 ]; }
  check "the image's udhcpc asks for interface-mtu and its hook sets it on eth0 (1400)" t_mtu
  t_mtu_control() { [ "$(mtu_lease "${rcs_opts/ -O mtu/}")" = 1500 ]; }
  check "control: without -O mtu dhcpd does not send it (eth0 stays at 1500)" t_mtu_control
  stop_dhcpd
  ip netns del "$netns_made-site"; ip netns del "$netns_made-guest"
  netns_made=
else
  echo "SKIPPED: the interface-mtu check needs root, /usr/sbin/dhcpd (isc-dhcp-server) and debugfs"
fi

# the key, injected the way an NC does it: into /root/.ssh/authorized_keys of the root fs
ssh-keygen -q -t rsa -b 2048 -N '' -C test@images -f "$tmp/key"
# a key the guest never hears of, and one only the second boot's metadata service offers
ssh-keygen -q -t ed25519 -N '' -C wrong@images -f "$tmp/wrongkey"
ssh-keygen -q -t ed25519 -N '' -C metadata@images -f "$tmp/mdkey"
unset SSH_AUTH_SOCK
want_fp=$(ssh-keygen -l -E md5 -f "$tmp/key.pub" | awk '{ print $2 }' | sed 's/^MD5://')
cp --sparse=always "$img/$ROOT" "$tmp/root.img"
cp --sparse=always "$img/$ROOT" "$tmp/root-nokey.img"
inject_key() {
  printf 'cd /root/.ssh\nwrite %s authorized_keys\nsif authorized_keys mode 0100600\nsif authorized_keys uid 0\nsif authorized_keys gid 0\n' \
    "$tmp/key.pub" > "$tmp/debugfs.cmd"
  debugfs -w -f "$tmp/debugfs.cmd" "$tmp/root.img" >/dev/null 2>&1
  debugfs -R 'cat /root/.ssh/authorized_keys' "$tmp/root.img" 2>/dev/null | cmp - "$tmp/key.pub"
}
check "key injected with debugfs -w" inject_key

# disk: an MBR with one Linux partition at 1 MiB holding the root file system
make_disk() { # make_disk ROOT-FS DISK
  /usr/bin/python3 - "$1" "$2" <<'EOF'
import os, shutil, struct, sys
root, disk = sys.argv[1], sys.argv[2]
sectors = os.path.getsize(root) // 512
entry = struct.pack("<B3sB3sII", 0x80, b"\xff\xff\xfe", 0x83, b"\xff\xff\xfe", 2048, sectors)
mbr = bytearray(512)
mbr[446:462] = entry
mbr[510:512] = b"\x55\xaa"
with open(disk, "wb") as out, open(root, "rb") as src:
    out.write(mbr)
    out.seek(2048 * 512)
    shutil.copyfileobj(src, out)
EOF
}
check "partitioned disk" make_disk "$tmp/root.img" "$tmp/disk.img"
check "partitioned disk without a key" make_disk "$tmp/root-nokey.img" "$tmp/disk-nokey.img"

# the metadata the guest should see
iid=i-$(printf '%08X' $((RANDOM * 32768 + RANDOM)))
token=ran-$RANDOM$RANDOM
md=$tmp/metadata
mkdir -p "$md/latest/meta-data"
echo "$iid" > "$md/latest/meta-data/instance-id"
printf '#!/bin/sh\necho %s > /www/ud.txt\n' "$token" > "$md/latest/user-data"
ud_sha1=$(sha1sum < "$md/latest/user-data" | cut -c1-40)
# the same key the file system holds, as a cloud serves it (the guest must not add it twice)
mkdir -p "$md/latest/meta-data/public-keys/0"
cp "$tmp/key.pub" "$md/latest/meta-data/public-keys/0/openssh-key"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
ssh_port=$(free_port)
console=$tmp/console.log
# slirp forwards only addresses inside its own network: the guest's network is therefore the
# link-local 169.254.0.0/16, which holds the metadata address as on EC2
qemu-system-x86_64 -accel tcg -m 256 -smp 1 -display none -monitor none -no-reboot \
  -serial "file:$console" \
  -kernel "$img/$KERNEL" -initrd "$img/$RAMDISK" -append "root=/dev/vda1 console=ttyS0 panic=-1" \
  -drive "file=$tmp/disk.img,format=raw,if=virtio" \
  -netdev "user,id=n0,net=169.254.0.0/16,host=169.254.0.2,dhcpstart=169.254.0.15,guestfwd=tcp:169.254.169.254:80-cmd:/usr/bin/python3 $here/tools/test/metadata-stdio.py $md,hostfwd=tcp:127.0.0.1:$http_port-:80,hostfwd=tcp:127.0.0.1:$ssh_port-:22" \
  -device virtio-net-pci,netdev=n0 >"$tmp/qemu.out" 2>&1 &
qemu_pid=$!
boot_start=$SECONDS

wait_ready() {
  local i
  for i in $(seq 1 100); do
    if grep -q 'EUCA-TEST-IMAGE-READY' "$console" 2>/dev/null; then
      echo "$((SECONDS - boot_start))" > "$tmp/boot-seconds"
      return 0
    fi
    kill -0 "$qemu_pid" 2>/dev/null || { cat "$tmp/qemu.out"; tail -n 30 "$console"; return 1; }
    sleep 1
  done
  tail -n 30 "$console"
  return 1
}
check "guest boots and prints its line within 100 s" wait_ready
echo "READY $(cat "$tmp/boot-seconds" 2>/dev/null) s after QEMU started (TCG)"
line=$(grep -a 'EUCA-TEST-IMAGE-READY' "$console" | tr -d '\r' | head -n 1)
echo "console: $line"
field() { echo "$line" | sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p"; }
t_iid() { [ "$(field instance-id)" = "$iid" ]; }
t_ip() { field ip | grep -Eq '^169\.254\.0\.(1[5-9]|[2-9][0-9])$'; }
t_fp() { [ "$(field key-fingerprint)" = "$want_fp" ]; }
t_ud() { [ "$(field user-data-sha1)" = "$ud_sha1" ] && [ "${line##* user-data=}" = '#!/bin/sh' ]; }
check "line shows the instance id" t_iid
check "line shows the DHCP address" t_ip
check "line shows the key's MD5 fingerprint ($want_fp)" t_fp
check "line shows the user-data" t_ud
t_http() { curl -sf --max-time 10 "http://127.0.0.1:$http_port/" | grep -q "instance-id=$iid"; }
check "guest answers HTTP on port 80" t_http
t_userdata_ran() {
  local i
  for i in $(seq 1 20); do
    [ "$(curl -sf --max-time 5 "http://127.0.0.1:$http_port/ud.txt")" = "$token" ] && return 0
    sleep 1
  done
  return 1
}
check "the user-data script ran" t_userdata_ran
t_asked() { grep -qx /latest/meta-data/instance-id "$md/requests.log" && grep -qx /latest/user-data "$md/requests.log"; }
check "asked the metadata service" t_asked

# sshd: OpenSSH's client against the guest's dropbear through the forwarded port
guest_ssh() { # guest_ssh KEY COMMAND...: ssh as root into the guest with only that key
  local key=$1; shift
  ssh -i "$key" -p "$ssh_port" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=20 \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    root@127.0.0.1 "$@"
}
sshd_line=$(grep -a 'EUCA-TEST-IMAGE-SSHD' "$console" | tr -d '\r' | head -n 1)
echo "console: $sshd_line"
t_sshd_line() {
  echo "$sshd_line" | grep -Eq '^EUCA-TEST-IMAGE-SSHD port=22 host-key=ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}$' || return 1
  # printed before READY: READY means sshd is up
  [ "$(grep -a -n -m1 EUCA-TEST-IMAGE-SSHD "$console" | cut -d: -f1)" -lt \
    "$(grep -a -n -m1 EUCA-TEST-IMAGE-READY "$console" | cut -d: -f1)" ]
}
check "console says sshd is up, before the READY line" t_sshd_line
t_ssh_login() {
  local out
  out=$(guest_ssh "$tmp/key" 'cat /proc/cmdline; hostname; id -u') || return 1
  echo "$out"
  echo "$out" | grep -q 'root=/dev/vda1 console=ttyS0' && echo "$out" | grep -qx euca-busybox \
    && echo "$out" | grep -qx 0
}
check "ssh -i key root@guest runs a command" t_ssh_login
t_ssh_hostkey() { # the host key the console names is the one sshd shows
  local scanned
  ssh-keyscan -T 20 -t ed25519 -p "$ssh_port" 127.0.0.1 2>/dev/null > "$tmp/hostkey"
  scanned=$(ssh-keygen -l -E sha256 -f "$tmp/hostkey" | awk '{ print $2 }')
  echo "scanned $scanned, console $sshd_line"
  [ -n "$scanned" ] && [ "${sshd_line##* }" = "$scanned" ]
}
check "the console's host key is sshd's" t_ssh_hostkey
t_ssh_perms() { # 700 and 600, root's, the key once though the file and the metadata both hold it
  local out
  out=$(guest_ssh "$tmp/key" 'stat -c "%a %u %n" /root/.ssh /root/.ssh/authorized_keys; grep -c . /root/.ssh/authorized_keys') || return 1
  echo "$out"
  [ "$out" = "$(printf '700 0 /root/.ssh\n600 0 /root/.ssh/authorized_keys\n1')" ]
}
check "authorized_keys 600 in a 700 .ssh, the key once" t_ssh_perms
t_ssh_wrong_key() {
  ! guest_ssh "$tmp/wrongkey" true
}
check "another key is refused" t_ssh_wrong_key
t_ssh_no_password() { # the server offers public keys only
  ssh -v -p "$ssh_port" -o BatchMode=yes -o ConnectTimeout=20 -o PubkeyAuthentication=no \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1 true > "$tmp/sshv" 2>&1 && return 1
  tr -d '\r' < "$tmp/sshv" | grep 'Authentications that can continue' > "$tmp/methods"
  cat "$tmp/methods"
  [ -s "$tmp/methods" ] && ! grep -v 'continue: publickey$' "$tmp/methods"
}
check "no password login is offered" t_ssh_no_password
kill "$qemu_pid" 2>/dev/null; wait "$qemu_pid" 2>/dev/null; qemu_pid=

# root=/dev/sda1 as a xen guest is told: the initrd finds the partition under the name the disk
# really has (xvda1 under xen's blkfront, vda1 here). This disk has no key in its file system:
# the guest takes the metadata service's (another key than the first boot's)
md2=$tmp/metadata2
cp -r "$md" "$md2"
rm -f "$md2/requests.log"
# (written with CRLF, as an HTTP-minded server might)
printf '%s\r\n' "$(cat "$tmp/mdkey.pub")" > "$md2/latest/meta-data/public-keys/0/openssh-key"
md_fp=$(ssh-keygen -l -E md5 -f "$tmp/mdkey.pub" | awk '{ print $2 }' | sed 's/^MD5://')
console=$tmp/console-sda.log
qemu-system-x86_64 -accel tcg -m 256 -smp 1 -display none -monitor none -no-reboot \
  -serial "file:$console" \
  -kernel "$img/$KERNEL" -initrd "$img/$RAMDISK" -append "root=/dev/sda1 console=ttyS0 panic=-1" \
  -drive "file=$tmp/disk-nokey.img,format=raw,if=virtio" \
  -netdev "user,id=n0,net=169.254.0.0/16,host=169.254.0.2,dhcpstart=169.254.0.15,guestfwd=tcp:169.254.169.254:80-cmd:/usr/bin/python3 $here/tools/test/metadata-stdio.py $md2,hostfwd=tcp:127.0.0.1:$ssh_port-:22" \
  -device virtio-net-pci,netdev=n0 >"$tmp/qemu.out" 2>&1 &
qemu_pid=$!
boot_start=$SECONDS
t_sda() { wait_ready && grep -aq 'initrd: /dev/sda1 not found, using /dev/vda1' "$console"; }
check "root=/dev/sda1 (the xen spelling) boots from the virtio disk's first partition" t_sda
line=$(grep -a 'EUCA-TEST-IMAGE-READY' "$console" | tr -d '\r' | head -n 1)
t_md_fp() { grep -qx /latest/meta-data/public-keys/0/openssh-key "$md2/requests.log" && [ "$(field key-fingerprint)" = "$md_fp" ]; }
check "no key in the file system: the metadata's key is taken ($md_fp)" t_md_fp
t_md_login() {
  guest_ssh "$tmp/mdkey" 'cat /proc/cmdline' | grep -q 'root=/dev/sda1' && ! guest_ssh "$tmp/key" true
}
check "ssh with the metadata's key works, the first boot's key is refused" t_md_login
kill "$qemu_pid" 2>/dev/null; wait "$qemu_pid" 2>/dev/null; qemu_pid=

t_quick() {
  local start=$SECONDS
  "$here/tools/make-test-images" "$img" | grep -q 'up to date' && [ $((SECONDS - start)) -le 10 ]
}
check "second run is quick and changes nothing" t_quick
finish
