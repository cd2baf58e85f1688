#!/bin/bash
# Tests of euca_conf's configuration side in a temp $EUCALYPTUS (no daemons needed), and of its
# Query signing against an independent implementation (python's hmac).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export EUCALYPTUS=$tmp
mkdir -p "$tmp/etc/eucalyptus" "$tmp/var/lib/eucalyptus/keys"
cp "$here/etc/eucalyptus.conf" "$tmp/etc/eucalyptus/eucalyptus.conf"
E="bash $here/tools/euca_conf -d $tmp"
passed=0 failed=0

check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}
value() { $E --name "$1"; }

check "--version prints 1.5.2" bash -c "$E --version | grep -qx 'Eucalyptus version: 1.5.2'"
check "--nodes sets NODES" bash -c "$E --nodes 'h1 h2:9000' && [ \"\$($E --name NODES)\" = 'h1 h2:9000' ]"
check "-delnode (one dash) removes a node" bash -c "$E -delnode h1 && [ \"\$($E --name NODES)\" = 'h2:9000' ]"
for f in cloud-cert.pem cluster-cert.pem node-cert.pem node-pk.pem; do echo "$f" > "$tmp/var/lib/eucalyptus/keys/$f"; done
check "--addnode localhost keeps keys local and adds it" bash -c "$E --addnode localhost | grep -q local && $E --name NODES | grep -qw localhost"
check "--addnode twice adds once" bash -c "$E --addnode localhost && [ \$($E --name NODES | tr ' ' '\n' | grep -cx localhost) = 1 ]"
rm "$tmp/var/lib/eucalyptus/keys/node-pk.pem"
check "--addnode without keys fails clearly" bash -c "! $E --addnode localhost 2>$tmp/err && grep -q 'node-pk.pem is missing' $tmp/err"
check "--hypervisor qemu" bash -c "$E --hypervisor qemu && [ \"\$($E --name HYPERVISOR)\" = qemu ]"
check "--hypervisor vmware is refused" bash -c "! $E --hypervisor vmware"
check "-ccp and --nc-port" bash -c "$E -ccp 9774 --nc-port 9775 && [ \"\$($E --name CC_PORT)\" = 9774 ] && [ \"\$($E --name NC_PORT)\" = 9775 ]"
check "--cc-port needs a number" bash -c "! $E --cc-port abc"
check "--instances and --bridge" bash -c "$E --instances /srv/inst --bridge br9 && [ \"\$($E -name INSTANCE_PATH)\" = /srv/inst ] && [ \"\$($E -name VNET_BRIDGE)\" = br9 ]"
check "unknown option prints usage and fails" bash -c "! $E --frobnicate 2>$tmp/err && grep -q Usage $tmp/err"
check "missing argument fails" bash -c "! $E --nodes"
printf 'EUCALYPTUS="/old"\nNODES="a b c"\nSWAP_SIZE="1024"\nBOGUS_KEY="x"\n' > "$tmp/old.conf"
check "--upgrade-conf copies known keys only" bash -c "$E --upgrade-conf $tmp/old.conf && [ \"\$($E --name NODES)\" = 'a b c' ] && [ \"\$($E --name SWAP_SIZE)\" = 1024 ] && ! grep -q BOGUS_KEY $tmp/etc/eucalyptus/eucalyptus.conf && [ \"\$($E --name EUCALYPTUS)\" != /old ]"

mkdir -p "$tmp/var/log/eucalyptus" "$tmp/var/run/eucalyptus" "$tmp/var/lib/eucalyptus/db"
check "--check cloud passes on a set-up front end" bash -c "$E --check cloud"
check "--check cc fails while the cluster key is missing" bash -c "! $E --check cc"
echo key > "$tmp/var/lib/eucalyptus/keys/cluster-pk.pem"
check "--check cc passes with the cluster's keys" bash -c "$E --check cc"
check "--check takes only cloud, cc or nc" bash -c "! $E --check walrus"

# the v2 signature euca_conf sends, checked against python's hmac on the same string
sig_test() {
  local q expected got
  # shellcheck disable=SC1090
  source <(sed -n '/^rfc3986()/,/^}/p; /^sign_v2()/,/^}/p' "$here/tools/euca_conf")
  q="AWSAccessKeyId=AKID&Action=AddUser&UserName=$(rfc3986 'b ob/+*~')"
  [ "$q" = "AWSAccessKeyId=AKID&Action=AddUser&UserName=b%20ob%2F%2B%2A~" ] || return 1
  got=$(sign_v2 secret "127.0.0.1:8773" /services/Eucalyptus "$q")
  expected=$(/usr/bin/python3 -c "import hmac,hashlib,base64,sys; print(base64.b64encode(hmac.new(b'secret', ('GET\n127.0.0.1:8773\n/services/Eucalyptus\n'+sys.argv[1]).encode(), hashlib.sha256).digest()).decode())" "$q")
  [ "$got" = "$expected" ]
}
check "Query signature v2 matches an independent HMAC" sig_test

echo "euca_conf: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
