#!/bin/bash
# Tests of tools/install on a copy of the source tree with stand-in dist folders (no build
# needed): the installed layout, the conf (EUCALYPTUS set, an existing one kept), old jars
# replaced, re-running, and a clear failure when a module is not built.
# Prints one final line "N passed, M failed".
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
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
    sed 's/^/    /' "$tmp/out" | tail -n 15
  fi
}

# a source tree with what tools/install reads
src=$tmp/src
mkdir -p "$src/tools" "$src/init.d" "$src/etc"
cp "$here/tools/install" "$here/tools/euca_conf" "$src/tools/"
cp "$here"/init.d/* "$src/init.d/"
cp "$here/etc/eucalyptus.conf" "$src/etc/"
for m in clc cc nc; do
  mkdir -p "$src/$m/target/dist"
  echo "$m v1" > "$src/$m/target/dist/$m-1.0.jar"
  echo "dep" > "$src/$m/target/dist/dep-2.0.jar"
done
D=$tmp/dest
inst() { bash "$src/tools/install" "$@"; }

check "install into DESTDIR" inst "$D"
t_layout() {
  local f
  for f in usr/share/eucalyptus/cloud/clc-1.0.jar usr/share/eucalyptus/cloud/dep-2.0.jar usr/share/eucalyptus/cc/cc-1.0.jar \
      usr/share/eucalyptus/nc/nc-1.0.jar usr/share/eucalyptus/init-functions usr/sbin/euca_conf \
      etc/init.d/eucalyptus-cloud etc/init.d/eucalyptus-cc etc/init.d/eucalyptus-nc etc/eucalyptus/eucalyptus.conf; do
    [ -f "$D/$f" ] || { echo "missing $f"; return 1; }
  done
  for f in var/lib/eucalyptus/db var/lib/eucalyptus/keys var/lib/eucalyptus/bukkits var/log/eucalyptus var/run/eucalyptus; do
    [ -d "$D/$f" ] || { echo "missing $f/"; return 1; }
  done
  [ -x "$D/etc/init.d/eucalyptus-cloud" ] && [ -x "$D/usr/sbin/euca_conf" ] && [ "$(stat -c %a "$D/var/lib/eucalyptus/keys")" = 700 ]
}
check "the 1.5.2 layout: jars per daemon, scripts, conf, var folders" t_layout
t_conf() { grep -qx "EUCALYPTUS=\"$D\"" "$D/etc/eucalyptus/eucalyptus.conf" \
  && grep -qx "INSTANCE_PATH=\"$D/var/lib/eucalyptus/instances\"" "$D/etc/eucalyptus/eucalyptus.conf" \
  && [ "$(grep -c '' "$D/etc/eucalyptus/eucalyptus.conf")" = "$(grep -c '' "$here/etc/eucalyptus.conf")" ]; }
check "the installed conf names the install" t_conf
t_euca_conf() { [ "$( (unset EUCALYPTUS EUCA_CONF; "$D/usr/sbin/euca_conf" --name EUCALYPTUS) )" = "$D" ]; }
check "the installed euca_conf finds its install" t_euca_conf

# a second run: new jars replace old ones, the admin's conf stays
sed -i 's/^NODES=.*/NODES="n1 n2"/' "$D/etc/eucalyptus/eucalyptus.conf"
rm "$src/clc/target/dist/clc-1.0.jar"; echo "clc v2" > "$src/clc/target/dist/clc-2.0.jar"
check "install again" inst "$D"
t_again() { [ ! -f "$D/usr/share/eucalyptus/cloud/clc-1.0.jar" ] && [ -f "$D/usr/share/eucalyptus/cloud/clc-2.0.jar" ] \
  && grep -qx 'NODES="n1 n2"' "$D/etc/eucalyptus/eucalyptus.conf"; }
check "old jars are gone, the existing conf is kept" t_again

t_env() { EUCALYPTUS=$tmp/viaenv inst >/dev/null && grep -qx "EUCALYPTUS=\"$tmp/viaenv\"" "$tmp/viaenv/etc/eucalyptus/eucalyptus.conf"; }
check "without DESTDIR: \$EUCALYPTUS" t_env
t_rel() { (cd "$tmp" && inst relative >/dev/null) && grep -qx "EUCALYPTUS=\"$tmp/relative\"" "$tmp/relative/etc/eucalyptus/eucalyptus.conf"; }
check "a relative DESTDIR is made absolute" t_rel

rm "$src/nc/target/dist/"*.jar
t_unbuilt() { ! inst "$tmp/fresh" 2>"$tmp/err" && grep -q "nc/target/dist has no jars" "$tmp/err" \
  && [ ! -d "$tmp/fresh/usr" ]; }
check "an unbuilt module: clear failure, nothing installed" t_unbuilt
check "two arguments: usage error" bash -c "! bash '$src/tools/install' a b"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
