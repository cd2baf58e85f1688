#!/bin/bash
# Tests of tools/euca_conf in a temp $EUCALYPTUS (no daemons needed):
#   - editing eucalyptus.conf, in both option spellings, and wrong usage;
#   - --addnode / --delnode / --synckeys on this host (keys from a fake keys folder);
#   - --upgrade-conf, --name, --version, --check;
#   - the Query signing (RFC 3986 encoding, canonical query, HMAC-SHA256) against Python;
#   - the admin actions against a stand-in cloud controller (fake-clc.py) that checks each
#     request's signature independently and answers with canned EC2 replies.
# Python is used by the test only. Prints one final line "N passed, M failed".
# The script under test is sourced from a run-time path; literal $ and ` are meant:
# shellcheck disable=SC1090,SC1091,SC2016
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
EUCA_CONF_SCRIPT=$here/tools/euca_conf
tmp=$(mktemp -d)
clc_pid=""
cleanup() {
  [ -n "$clc_pid" ] && kill "$clc_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
unset EUCA_CONF EC2_URL EC2_ACCESS_KEY EC2_SECRET_KEY EUCA_NODE_KEYS_DIR
export EUCALYPTUS=$tmp/euca
CONF=$EUCALYPTUS/etc/eucalyptus/eucalyptus.conf
KEYS=$EUCALYPTUS/var/lib/eucalyptus/keys
mkdir -p "$EUCALYPTUS/etc/eucalyptus" "$KEYS"
cp "$here/etc/eucalyptus.conf" "$CONF"
passed=0 failed=0

# check NAME COMMAND...: one test; its output is shown only when it fails.
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name"
    sed 's/^/    /' "$tmp/out" | tail -n 15
  fi
}
ec() { bash "$EUCA_CONF_SCRIPT" -d "$EUCALYPTUS" "$@"; }
value() { ec --name "$1"; }
is() { [ "$(value "$1")" = "$2" ] || { echo "$1 is '$(value "$1")', expected '$2'"; return 1; }; }
fails() { ! "$@"; }

# ---- configuration edits ---------------------------------------------------------------------
t_version() { [ "$(ec --version)" = "Eucalyptus version: 1.5.2" ] && [ "$(ec -version)" = "Eucalyptus version: 1.5.2" ]; }
check "--version and -version print 1.5.2" t_version

t_name() { is CC_PORT 8774 && is VNET_MODE SYSTEM && is HYPERVISOR qemu && fails value NO_SUCH_KEY; }
check "--name prints values; an unknown name fails" t_name

t_nodes() { ec --nodes "  h1   h2:9000 " >/dev/null && is NODES "h1 h2:9000"; }
check "--nodes sets NODES (blanks squeezed)" t_nodes
t_nodes1() { ec -nodes "h1 h2:9000 h3" >/dev/null && is NODES "h1 h2:9000 h3"; }
check "-nodes (one dash) sets NODES" t_nodes1
t_delnode() { ec -delnode h1 >/dev/null && is NODES "h2:9000 h3"; }
check "-delnode removes a node" t_delnode
t_delnodes() { ec --delnode "h3 h2:9000" >/dev/null && is NODES ""; }
check "--delnode removes a list of nodes" t_delnodes
t_delnone() { ec --delnode nosuch | grep -q "not in NODES"; }
check "--delnode of an unknown node says so" t_delnone

t_hyp() { ec --hypervisor kvm >/dev/null && is HYPERVISOR kvm && ec -hypervisor xen >/dev/null && is HYPERVISOR xen \
  && ec --hypervisor qemu >/dev/null && is HYPERVISOR qemu; }
check "--hypervisor kvm|xen|qemu, both spellings" t_hyp
t_hypbad() { fails ec --hypervisor vmware 2>"$tmp/err" && grep -q Usage "$tmp/err" && is HYPERVISOR qemu; }
check "--hypervisor vmware is refused with usage, conf unchanged" t_hypbad

t_ports() { ec -ccp 9774 --nc-port 9775 -cloudp 9773 9443 >/dev/null && is CC_PORT 9774 && is NC_PORT 9775 \
  && is CLOUD_PORT 9773 && is CLOUD_SSL_PORT 9443 \
  && ec --cc-port 8774 -ncp 8775 --cloud-port 8773 8443 >/dev/null && is CC_PORT 8774 && is CLOUD_SSL_PORT 8443; }
check "port options in both spellings" t_ports
check "--cc-port needs a number" fails ec --cc-port abc
check "--cloud-port needs two ports" fails ec --cloud-port 8773

t_misc() { ec --instances /srv/inst --bridge br9 --dhcpd /usr/sbin/dhcpd3 --dhcp_user dhcp -user eucalyptus >/dev/null \
  && is INSTANCE_PATH /srv/inst && is VNET_BRIDGE br9 && is VNET_DHCPDAEMON /usr/sbin/dhcpd3 \
  && is VNET_DHCPUSER dhcp && is EUCA_USER eucalyptus && ec --user root >/dev/null && is EUCA_USER root; }
check "--instances --bridge --dhcpd --dhcp_user --user in one call" t_misc

t_special() { ec --instances '/srv/a b/$HOME/"q"/`x`\y' >/dev/null && is INSTANCE_PATH '/srv/a b/$HOME/"q"/`x`\y' \
  && bash -c ". '$CONF' && [ \"\$INSTANCE_PATH\" = '/srv/a b/\$HOME/\"q\"/\`x\`\\y' ]"; }
check "values with blanks, quotes, \$ and backslashes survive (also for the shell)" t_special
ec --instances /srv/inst >/dev/null

t_keep() { local before after; before=$(grep -c '' "$CONF"); ec --bridge br0 >/dev/null; after=$(grep -c '' "$CONF")
  [ "$before" = "$after" ] && grep -q '^# On a node: the bridge' "$CONF"; }
check "editing a key keeps the file's other lines and comments" t_keep

t_unknown() { fails ec --frobnicate 2>"$tmp/err" && grep -q "unknown option --frobnicate" "$tmp/err" && grep -q Usage "$tmp/err"; }
check "unknown option prints usage and fails" t_unknown
check "unknown one-dash option fails" fails ec -frobnicate
check "missing argument fails" fails ec --nodes
check "an option as argument fails" fails ec --bridge --synckeys
check "no option at all fails" fails bash "$EUCA_CONF_SCRIPT"
t_help() { ec --help | grep -q -- "--addnode"; }
check "--help prints usage and succeeds" t_help
check "stray argument before options fails" fails ec stray --version

t_file() { cp "$CONF" "$tmp/other.conf"; ec --bridge brX "$tmp/other.conf" >/dev/null \
  && grep -q '^VNET_BRIDGE="brX"' "$tmp/other.conf" && ! grep -q '^VNET_BRIDGE="brX"' "$CONF"; }
check "a trailing FILE argument is the file edited" t_file
t_env() { EUCA_CONF=$tmp/other.conf ec --bridge brY >/dev/null && grep -q '^VNET_BRIDGE="brY"' "$tmp/other.conf" \
  && [ "$(EUCA_CONF=$tmp/other.conf ec --name VNET_BRIDGE)" = brY ] && is VNET_BRIDGE br0; }
check "EUCA_CONF names the file edited" t_env

t_envleak() { NODES="from-env" ec --name NODES | grep -qvx from-env; }
check "the caller's environment does not leak into --name" t_envleak

# ---- --upgrade-conf ----------------------------------------------------------------------------
cat > "$tmp/old.conf" <<'OLD'
# an older eucalyptus.conf
EUCALYPTUS="/old/place"
EUCA_USER="eucalyptus"
NODES="a b c"
SWAP_SIZE=1024
export VNET_MODE='MANAGED-NOVLAN'
#VNET_PUBLICIPS="1.2.3.4"
VNET_ADDRSPPERNET="64"
VNET_DHCPUSE="dhcpd"
VNET_DHCPDAEMON="/usr/sbin/dhcpd3"
VNET_DHCPSERVER="/ignored/because/the/right/key/is/there"
BOGUS_KEY="x"
OLD
t_upgrade() { ec --upgrade-conf "$tmp/old.conf" >/dev/null && is NODES "a b c" && is SWAP_SIZE 1024 \
  && is VNET_MODE MANAGED-NOVLAN && is EUCA_USER eucalyptus && is VNET_PUBLICIPS "" \
  && ! grep -q BOGUS_KEY "$CONF" && is EUCALYPTUS /opt/eucalyptus && is CC_PORT 8774; }
check "--upgrade-conf copies known keys only (not EUCALYPTUS, not comments)" t_upgrade
t_upgrade_alias() { is VNET_ADDRSPERNET 64 && is VNET_DHCPUSER dhcpd && is VNET_DHCPDAEMON /usr/sbin/dhcpd3 \
  && ! grep -Eq '^(VNET_ADDRSPPERNET|VNET_DHCPUSE|VNET_DHCPSERVER)=' "$CONF"; }
check "--upgrade-conf carries the guide's misspelled keys over under the right name" t_upgrade_alias
t_upgrade2() { cp "$here/etc/eucalyptus.conf" "$tmp/new.conf"
  ec -upgrade-conf "$tmp/old.conf" "$tmp/new.conf" >/dev/null && grep -q '^NODES="a b c"' "$tmp/new.conf"; }
check "the guide's form: -upgrade-conf OLD NEW" t_upgrade2
check "--upgrade-conf of a missing file fails" fails ec --upgrade-conf "$tmp/nosuch.conf"
ec --nodes "" --user root >/dev/null

# ---- keys to nodes on this host ----------------------------------------------------------------
for f in cloud-cert.pem cluster-cert.pem node-cert.pem node-pk.pem; do echo "$f $RANDOM" > "$KEYS/$f"; done
t_addlocal() { ec --addnode localhost | grep -q "local, already in place" && is NODES localhost; }
check "--addnode localhost: keys already in place, node added" t_addlocal
t_addtwice() { ec --addnode localhost | grep -q "already in NODES" && is NODES localhost; }
check "--addnode twice adds once" t_addtwice
t_addcopy() { EUCA_NODE_KEYS_DIR=$tmp/nodekeys ec -addnode "127.0.0.1 $(hostname)" > "$tmp/a" && grep -q "copied locally" "$tmp/a" \
  && for f in cloud-cert.pem cluster-cert.pem node-cert.pem node-pk.pem; do cmp -s "$KEYS/$f" "$tmp/nodekeys/$f" || return 1; done \
  && is NODES "localhost 127.0.0.1 $(hostname)"; }
check "--addnode of this host by address and name copies with cp to another keys folder" t_addcopy
t_sync() { echo "renewed $RANDOM" > "$KEYS/node-pk.pem"; EUCA_NODE_KEYS_DIR=$tmp/nodekeys ec --synckeys >/dev/null \
  && cmp -s "$KEYS/node-pk.pem" "$tmp/nodekeys/node-pk.pem"; }
check "--synckeys re-copies renewed keys to every node" t_sync
t_addport() { ec --addnode "localhost:8776" >/dev/null && is NODES "localhost 127.0.0.1 $(hostname) localhost:8776"; }
check "--addnode host:port (a second NC on this host)" t_addport
rm "$KEYS/node-pk.pem"
t_nokeys() { fails ec --addnode 127.0.0.2 2>"$tmp/err" && grep -q 'node-pk.pem is missing' "$tmp/err" \
  && ! value NODES | grep -qw 127.0.0.2; }
check "--addnode without keys fails clearly and adds nothing" t_nokeys
echo "node-pk.pem" > "$KEYS/node-pk.pem"

# --addnode must know this host by any of its addresses
t_thishost() { ( . "$EUCA_CONF_SCRIPT"; local a
  for a in localhost 127.0.0.1 127.1.2.3 "$(hostname)" $(ip -o -4 addr show | awk '{ sub("/.*", "", $4); print $4 }'); do
    is_this_host "$a" || { echo "$a not seen as this host"; exit 1; }; done
  ! is_this_host 192.0.2.77 && ! is_this_host no-such-host.invalid ); }
check "this host is recognised by name and by each of its addresses, others are not" t_thishost

# ---- --check -----------------------------------------------------------------------------------
mkdir -p "$EUCALYPTUS/var/log/eucalyptus" "$EUCALYPTUS/var/run/eucalyptus" "$EUCALYPTUS/var/lib/eucalyptus/db" \
  "$EUCALYPTUS/var/lib/eucalyptus/bukkits"
for d in cloud cc nc; do mkdir -p "$EUCALYPTUS/usr/share/eucalyptus/$d"; : > "$EUCALYPTUS/usr/share/eucalyptus/$d/x.jar"; done
t_checkcloud() { ec --check cloud > "$tmp/c" && grep -q "ok: .*java" "$tmp/c" && grep -q "all checks passed" "$tmp/c"; }
check "--check cloud passes on a set-up front end" t_checkcloud
t_checkjars() { rm "$EUCALYPTUS/usr/share/eucalyptus/cloud/x.jar"; fails ec --check cloud > "$tmp/c"; local r=$?
  : > "$EUCALYPTUS/usr/share/eucalyptus/cloud/x.jar"; [ $r = 0 ] && grep -q "FAILED: jars" "$tmp/c"; }
check "--check cloud fails without the jars" t_checkjars
t_checkcc() { fails ec -check cc > "$tmp/c" && grep -q "FAILED: key cluster-pk.pem" "$tmp/c"; }
check "--check cc fails while cluster-pk.pem is missing" t_checkcc
echo key > "$KEYS/cluster-pk.pem"
check "--check cc passes with the cluster's keys" ec --check cc
t_checkowner() { ec --user nobody >/dev/null; fails ec --check cloud > "$tmp/c"; local r=$?; ec --user root >/dev/null
  [ $r = 0 ] && grep -q "FAILED: .*belongs to nobody" "$tmp/c"; }
check "--check fails when the folders do not belong to EUCA_USER" t_checkowner
t_checknc() { ec --hypervisor kvm >/dev/null; sed -i 's/^HYPERVISOR=.*/HYPERVISOR="vmware"/' "$CONF"
  fails ec --check nc > "$tmp/c"; local r=$?; ec --hypervisor qemu >/dev/null
  [ $r = 0 ] && grep -q 'FAILED: HYPERVISOR "vmware"' "$tmp/c" && grep -q 'FAILED: INSTANCE_PATH' "$tmp/c"; }
check "--check nc reports a bad HYPERVISOR and a missing INSTANCE_PATH" t_checknc
t_checkbad() { fails ec --check walrus 2>"$tmp/err" && grep -q Usage "$tmp/err"; }
check "--check takes only cloud, cc or nc" t_checkbad

# ---- Query signing, against Python's own encoding and HMAC --------------------------------------
py_sign() { # SECRET HOST PATH KEY=VALUE... -> signature computed by Python from the raw pairs
  /usr/bin/python3 - "$@" <<'PY'
import base64, hashlib, hmac, sys, urllib.parse
secret, host, path = sys.argv[1:4]
pairs = [a.split("=", 1) for a in sys.argv[4:]]
enc = lambda s: urllib.parse.quote(s, safe="-_.~")
q = "&".join(enc(k) + "=" + enc(v) for k, v in sorted(pairs, key=lambda kv: enc(kv[0]).encode()))
print(q)
print(base64.b64encode(hmac.new(secret.encode(), ("GET\n%s\n%s\n%s" % (host, path, q)).encode(), hashlib.sha256).digest()).decode())
PY
}
t_rfc3986() { ( . "$EUCA_CONF_SCRIPT"
  [ "$(rfc3986 'a-Z_0.9~')" = 'a-Z_0.9~' ] && [ "$(rfc3986 'b ob/+*=&:')" = 'b%20ob%2F%2B%2A%3D%26%3A' ] \
    && [ "$(rfc3986 'é€')" = '%C3%A9%E2%82%AC' ] ); }
check "RFC 3986 encoding (unreserved kept, the rest %XX upper case, UTF-8 bytes)" t_rfc3986
t_vector() { ( . "$EUCA_CONF_SCRIPT"
  local params=("Action=AddUser" "AWSAccessKeyId=AKIDEXAMPLE" "SignatureMethod=HmacSHA256" "SignatureVersion=2"
    "Timestamp=2009-06-01T12:00:00Z" "Version=2008-12-01" "UserName=b ob/+*~é" "Email=b@x.org" "Zeta=1" "alpha=2")
  local q got py
  q=$(canonical_query "${params[@]}")
  py=$(py_sign 'wJalr/XUtnFEMI+K7MDENG=' 127.0.0.1:8773 /services/Eucalyptus "${params[@]}")
  [ "$q" = "$(sed -n 1p <<<"$py")" ] || { echo "query  $q"; echo "python $(sed -n 1p <<<"$py")"; exit 1; }
  got=$(sign_v2 'wJalr/XUtnFEMI+K7MDENG=' 127.0.0.1:8773 /services/Eucalyptus "$q")
  [ "$got" = "$(sed -n 2p <<<"$py")" ] || { echo "sig $got vs $(sed -n 2p <<<"$py")"; exit 1; } ); }
check "signature v2 of a fixed request equals Python's (hmac, hashlib, quote)" t_vector
t_urls() { ( . "$EUCA_CONF_SCRIPT"
  [ "$(url_host http://CLC.Example:8773/services/Eucalyptus)" = clc.example:8773 ] \
    && [ "$(url_host http://clc:80/services/Eucalyptus)" = clc ] && [ "$(url_host https://clc:443/x)" = clc ] \
    && [ "$(url_path http://clc:8773/services/Eucalyptus)" = /services/Eucalyptus ] && [ "$(url_path http://clc)" = / ] ); }
check "host (lower case, no default port) and path taken from the URL" t_urls

# ---- admin actions against the stand-in cloud controller ----------------------------------------
/usr/bin/python3 "$here/tools/test/fake-clc.py" "$tmp/clc.port" "$tmp/clc.log" "$tmp/expected.zip" AKADMIN 'S3cr/t+Key=' &
clc_pid=$!
for _ in $(seq 1 100); do [ -f "$tmp/clc.port" ] && break; sleep 0.1; done
port=$(cat "$tmp/clc.port" 2>/dev/null)
printf 'EC2_ACCESS_KEY=AKADMIN\nEC2_SECRET_KEY=S3cr/t+Key=\n' > "$KEYS/admin-credentials"
export EC2_URL="http://127.0.0.1:$port/services/Eucalyptus"
last_params() { tail -n 1 "$tmp/clc.log"; }

t_adduser() { ec --add-user bob --email 'bob+x@example.com' --admin > "$tmp/u" \
  && grep -qx "user bob added (admin: true)" "$tmp/u" && grep -qx "EC2_ACCESS_KEY=AK-bob" "$tmp/u" \
  && grep -qx "EC2_SECRET_KEY=SK-bob" "$tmp/u" && last_params | grep -q '"Email": "bob+x@example.com"' \
  && last_params | grep -q '"Admin": "true"'; }
check "--add-user NAME --email E --admin prints the new keys" t_adduser
t_params() { last_params | grep -q '"Version": "2008-12-01"' && last_params | grep -q '"SignatureMethod": "HmacSHA256"' \
  && last_params | grep -q '"SignatureVersion": "2"' && last_params | grep -Eq '"Timestamp": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"' \
  && last_params | grep -q '"path": "/services/Eucalyptus"'; }
check "requests carry Version, SignatureMethod, SignatureVersion, a UTC Timestamp" t_params
t_exists() { fails ec --add-user exists 2>"$tmp/err" && grep -qx "error: UserAlreadyExists: user exists already" "$tmp/err"; }
check "an EC2 error reply prints error: CODE: MESSAGE and fails" t_exists
t_badkey() { EC2_ACCESS_KEY=AKADMIN EC2_SECRET_KEY=wrong ec --list-users 2>"$tmp/err"; [ $? = 1 ] \
  && grep -q "error: SignatureDoesNotMatch" "$tmp/err"; }
check "EC2_ACCESS_KEY/EC2_SECRET_KEY from the environment win (a wrong one is refused)" t_badkey
t_list() { ec --list-users > "$tmp/u" && grep -qP '^admin\t\ttrue\ttrue$' "$tmp/u" \
  && grep -qP '^bob\tbob&co@example.com\tfalse\tfalse$' "$tmp/u" && [ "$(grep -c '' "$tmp/u")" = 3 ]; }
check "--list-users parses prefixed XML and entities" t_list
t_useractions() { ec --disable-user bob --enable-user bob -delete-user bob > "$tmp/u" \
  && grep -qx "user bob disabled" "$tmp/u" && grep -qx "user bob deleted" "$tmp/u" \
  && grep -c '"UserName": "bob"' "$tmp/clc.log" | grep -qv '^0$'; }
check "--disable-user --enable-user --delete-user in one call" t_useractions
t_props() { ec --list-properties > "$tmp/p" && grep -qP '^walrus.max.buckets.per.user\t5$' "$tmp/p" \
  && grep -qP '^cloud.url\t$' "$tmp/p"; }
check "--list-properties" t_props
t_setprop() { ec --set-property 'cloud.url=http://h:8773/a=b' | grep -qx 'cloud.url=http://h:8773/a=b' \
  && fails ec --set-property no.such=1 2>"$tmp/err" && grep -q "error: InvalidParameterValue" "$tmp/err"; }
check "--set-property NAME=VALUE (value may hold '='), and a refused one" t_setprop
check "--set-property without = is a usage error" fails ec --set-property cloud.url
t_creds() { ec --get-credentials "$tmp/admin.zip" | grep -q "credentials of admin" && cmp -s "$tmp/admin.zip" "$tmp/expected.zip" \
  && last_params | grep -q '"UserName": "admin"' && [ "$(stat -c %a "$tmp/admin.zip")" = 600 ]; }
check "--get-credentials FILE writes the decoded zip of the admin (mode 600)" t_creds
t_creds2() { ec --get-credentials "$tmp/bob.zip" --user bob >/dev/null && cmp -s "$tmp/bob.zip" "$tmp/expected.zip" \
  && last_params | grep -q '"UserName": "bob"' && is EUCA_USER root; }
check "--get-credentials FILE --user NAME (EUCA_USER untouched)" t_creds2
t_cluster() { ec --cc-port 9774 --addcluster cluster1 10.1.2.3 > "$tmp/a" && grep -q "cluster1 (10.1.2.3:9774) registered" "$tmp/a" \
  && last_params | grep -q '"Name": "cluster1"' && last_params | grep -q '"Host": "10.1.2.3"' \
  && last_params | grep -q '"Port": "9774"'; ec --cc-port 8774 >/dev/null; }
check "--addcluster NAME HOST sends Port=CC_PORT" t_cluster
t_defaulturl() { ( unset EC2_URL; ec --cloud-port "$port" 8443 >/dev/null && ec --list-properties >/dev/null ); local r=$?
  ec --cloud-port 8773 8443 >/dev/null; [ $r = 0 ]; }
check "without EC2_URL the CLC is http://127.0.0.1:CLOUD_PORT/services/Eucalyptus" t_defaulturl
t_http500() { ( . "$EUCA_CONF_SCRIPT"; EUCALYPTUS=$tmp/euca; query Html500 ) 2>"$tmp/err"; [ $? = 1 ] && grep -q "error: HTTP 500" "$tmp/err"; }
check "a non-EC2 HTTP error fails" t_http500
t_down() { EC2_URL=http://127.0.0.1:1/services/Eucalyptus ec --list-users 2>"$tmp/err"; [ $? = 1 ] && grep -q "cannot reach" "$tmp/err"; }
check "an unreachable CLC fails clearly" t_down
t_nocreds() { rm "$KEYS/admin-credentials"; fails ec --list-users 2>"$tmp/err" && grep -q "no admin credentials" "$tmp/err"; }
check "no admin-credentials file fails clearly" t_nocreds

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
