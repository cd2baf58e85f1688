#!/bin/bash
# euca_conf --addnode / --synckeys to a node on another host: a real sshd in a network namespace
# the test makes (veth pair, private addresses), whose mount namespace has an empty keys folder
# of its own, so what arrives there can only have come over ssh (rsync, then scp with --norsync).
set -u
if [ -n "${EUCA_SKIP_NETNS_TESTS:-}" ]; then
  # only for roots where / is not a mount point (ip netns exec cannot work there), see docs/testing.md
  echo "addnode-remote: skipped (EUCA_SKIP_NETNS_TESTS is set)"
  exit 0
fi
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
chmod 755 "$tmp"
ns=euca-node-$$
veth=ev$$
node_ip=10.213.77.2
passed=0 failed=0
sshd_pid=""

cleanup() {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  ip link del "${veth}a" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$tmp/last.out" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; cat "$tmp/last.out"; fi
}

# the front end's install: conf and the keys the CLC would have made
export EUCALYPTUS=$tmp/euca
keys=$EUCALYPTUS/var/lib/eucalyptus/keys
mkdir -p "$EUCALYPTUS/etc/eucalyptus" "$keys"
cp "$here/etc/eucalyptus.conf" "$EUCALYPTUS/etc/eucalyptus/eucalyptus.conf"
for f in cloud-cert.pem cluster-cert.pem node-cert.pem node-pk.pem; do echo "$f $RANDOM" > "$keys/$f"; done

# the node: network namespace, sshd with its own (empty) keys folder
ip netns add "$ns" || { echo "addnode-remote: cannot make a network namespace"; exit 1; }
ip link add "${veth}a" type veth peer name "${veth}b"
ip link set "${veth}b" netns "$ns"
ip addr add 10.213.77.1/30 dev "${veth}a" && ip link set "${veth}a" up
ip netns exec "$ns" ip addr add "$node_ip/30" dev "${veth}b"
ip netns exec "$ns" ip link set "${veth}b" up
ip netns exec "$ns" ip link set lo up
ssh-keygen -q -t ed25519 -N "" -f "$tmp/id" && ssh-keygen -q -t ed25519 -N "" -f "$tmp/hostkey"
cp "$tmp/id.pub" "$tmp/authorized_keys"
cat > "$tmp/sshd_config" <<CONF
ListenAddress $node_ip
HostKey $tmp/hostkey
PermitRootLogin prohibit-password
AuthorizedKeysFile $tmp/authorized_keys
StrictModes no
UsePAM no
PidFile $tmp/sshd.pid
Subsystem sftp /usr/lib/openssh/sftp-server
CONF
mkdir -p /run/sshd
ip netns exec "$ns" unshare --mount --propagation private \
  sh -c "mount -t tmpfs tmpfs '$keys' && exec /usr/sbin/sshd -D -e -f '$tmp/sshd_config'" 2>"$tmp/sshd.log" &
sshd_pid=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/$node_ip/22") 2>/dev/null && break; sleep 0.2; done

export EUCA_SSH_OPTS="-i $tmp/id -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=5"
E="bash $here/tools/euca_conf -d $EUCALYPTUS"

check "the node answers over ssh and its keys folder starts empty" bash -c "out=\$(ssh $EUCA_SSH_OPTS root@$node_ip ls '$keys') && [ -z \"\$out\" ]"
check "--addnode copies the keys with rsync" bash -c "$E --addnode $node_ip | grep -q 'copied with rsync'"
for f in cloud-cert.pem cluster-cert.pem node-cert.pem node-pk.pem; do
  check "$f arrived intact" bash -c "[ \"\$(ssh $EUCA_SSH_OPTS root@$node_ip cat '$keys/$f')\" = \"\$(cat '$keys/$f')\" ]"
done
check "the node is in NODES" bash -c "$E --name NODES | grep -qw $node_ip"
echo "node-pk.pem renewed $RANDOM" > "$keys/node-pk.pem"
check "--norsync --synckeys copies with scp" bash -c "$E --norsync --synckeys | grep -q 'copied with scp'"
check "the renewed key arrived" bash -c "[ \"\$(ssh $EUCA_SSH_OPTS root@$node_ip cat '$keys/node-pk.pem')\" = \"\$(cat '$keys/node-pk.pem')\" ]"
check "an unreachable node fails clearly" bash -c "! $E --addnode 10.213.77.3 2>$tmp/err; grep -q 'could not copy keys' $tmp/err"

echo "addnode-remote: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
