#!/bin/bash
# The project's euca2ools commands (tools/euca-*): bundling checked with openssl, request
# signing against botocore's signers, upload/register/describe/deregister/delete against
# stand-ins (see tools/test/euca2ools_test.py), and tools/install putting them into usr/bin.
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
    sed 's/^/    /' "$tmp/out" | tail -n 40
  fi
}

check "python tests (bundle, signing, commands)" /usr/bin/python3 "$here/tools/test/euca2ools_test.py"

# installed into usr/bin, they find their module and run
t_installed() {
  local src=$tmp/src m
  mkdir -p "$src/tools" "$src/init.d" "$src/etc"
  cp -R "$here/tools/." "$src/tools/"
  cp "$here"/init.d/* "$src/init.d/"
  cp "$here/etc/eucalyptus.conf" "$src/etc/"
  for m in clc cc nc; do mkdir -p "$src/$m/target/dist" && echo jar > "$src/$m/target/dist/$m.jar"; done
  bash "$src/tools/install" "$tmp/dest" >/dev/null || return 1
  rm -rf "$src"   # the installed commands must not need the source tree
  for m in euca-bundle-image euca-upload-bundle euca-register euca-deregister euca-describe-images euca-delete-bundle; do
    [ -x "$tmp/dest/usr/bin/$m" ] || { echo "no $m"; return 1; }
    "$tmp/dest/usr/bin/$m" --help | grep -q "^Usage: $m" || { echo "$m --help failed"; return 1; }
  done
  [ -f "$tmp/dest/usr/share/eucalyptus/euca2ools/eucatools.py" ]
}
check "tools/install puts the commands into usr/bin" t_installed

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
