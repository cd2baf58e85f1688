#!/bin/bash
# Tests of the init.d scripts (init.d/eucalyptus-{cloud,cc,nc} + init-functions) in a temp
# $EUCALYPTUS laid out as tools/install makes it, with a stand-in "java" (JAVA_HOME) that
# prints its arguments and user into the output log, then listens on the daemon's port
# (python, test only) -- or dies, hangs without listening, or ignores TERM, as FAKE_JAVA_MODE
# says. Free high ports are used: real daemons on 8773-8775 are not disturbed.
# Prints one final line "N passed, M failed".
# shellcheck disable=SC2016  # literal $ in the fake java's text
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
chmod 755 "$tmp"     # a non-root EUCA_USER must reach the install below it
E=$tmp/euca
RUN=$E/var/run/eucalyptus
LOG=$E/var/log/eucalyptus
passed=0 failed=0

cleanup() {
  local f pid
  for f in "$RUN"/*.pid "$tmp"/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

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

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  while :; do p=$((20000 + RANDOM % 20000)); port_open "$p" || { echo "$p"; return; }; done
}

# ---- a fake install ------------------------------------------------------------------------------
mkdir -p "$E/etc/init.d" "$E/etc/eucalyptus" "$E/usr/share/eucalyptus" "$tmp/jdk/bin"
for d in cloud cc nc; do
  cp "$here/init.d/eucalyptus-$d" "$E/etc/init.d/"
  mkdir -p "$E/usr/share/eucalyptus/$d" && : > "$E/usr/share/eucalyptus/$d/fake.jar"
done
cp "$here/init.d/init-functions" "$E/usr/share/eucalyptus/"
CLOUD_PORT=$(free_port); CC_PORT=$(free_port); NC_PORT=$(free_port); NC2_PORT=$(free_port)
sed -e "s#^EUCALYPTUS=.*#EUCALYPTUS=\"$E\"#" -e "s/^CLOUD_PORT=.*/CLOUD_PORT=\"$CLOUD_PORT\"/" \
  -e "s/^CC_PORT=.*/CC_PORT=\"$CC_PORT\"/" -e "s/^NC_PORT=.*/NC_PORT=\"$NC_PORT\"/" \
  "$here/etc/eucalyptus.conf" > "$E/etc/eucalyptus/eucalyptus.conf"

cat > "$tmp/jdk/bin/java" <<'JAVA'
#!/bin/bash
# stand-in JVM: the last argument is the main class; the port comes from -Deuca.conf's file
main=${!#}
conf=""
for a in "$@"; do case "$a" in -Deuca.conf=*) conf=${a#-Deuca.conf=} ;; esac; done
echo "user: $(id -un)"
echo "cwd: $(pwd)"
printf 'arg: %s\n' "$@"
. "$conf"
case "$main" in *CloudControllerMain) port=$CLOUD_PORT ;; *ClusterControllerMain) port=$CC_PORT ;; *) port=$NC_PORT ;; esac
case "${FAKE_JAVA_MODE:-ok}" in
  die) echo "boom: the daemon cannot start"; exit 1 ;;
  slow) exec /usr/bin/python3 -c 'import time; time.sleep(600)' "$main" ;;
esac
exec /usr/bin/python3 -c '
import signal, socket, sys
if sys.argv[3] == "noterm":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
print("listening", flush=True)
while True:
    s.accept()[0].close()
' "$port" "$main" "${FAKE_JAVA_MODE:-ok}"
JAVA
chmod 755 "$tmp/jdk/bin/java"
export JAVA_HOME=$tmp/jdk
unset EUCA_CONF EUCA_JAVA_OPTS FAKE_JAVA_MODE
export EUCA_START_TIMEOUT=15

initd() { EUCALYPTUS=$E bash "$E/etc/init.d/eucalyptus-$1" "$2"; }
pid_of() { cat "$RUN/eucalyptus-$1.pid" 2>/dev/null; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
status_is() { initd "$1" status; [ $? = "$2" ]; }

# ---- start / status / stop --------------------------------------------------------------------
check "status of a daemon never started: 3" status_is cloud 3
t_start() { EUCA_JAVA_OPTS="-Xmx64m -Dfoo=bar" initd cloud start > "$tmp/s" && grep -q "^Starting Eucalyptus cloud controller ... done" "$tmp/s" \
  && alive "$(pid_of cloud)" && port_open "$CLOUD_PORT"; }
check "start: waits for the port and says done" t_start
t_args() { local o=$LOG/cloud-output.log
  grep -qx "arg: -Deuca.home=$E" "$o" && grep -qx "arg: -cp" "$o" && grep -qxF "arg: $E/usr/share/eucalyptus/cloud/*" "$o" \
  && grep -qx "arg: com.eucalyptus.clc.CloudControllerMain" "$o" && grep -qx "arg: -Xmx64m" "$o" && grep -qx "arg: -Dfoo=bar" "$o" \
  && grep -qx "arg: -Deuca.conf=$E/etc/eucalyptus/eucalyptus.conf" "$o" && grep -qx "cwd: $E" "$o" && grep -qx "user: root" "$o"; }
check "the JVM gets euca.home, the classpath folder, the main class, EUCA_JAVA_OPTS" t_args
t_pidcmd() { tr '\0' ' ' < "/proc/$(pid_of cloud)/cmdline" | grep -q CloudControllerMain; }
check "the pid file names the JVM itself" t_pidcmd
check "status of a running daemon: 0" status_is cloud 0
t_again() { local before; before=$(pid_of cloud); initd cloud start > "$tmp/s"; grep -q "already running" "$tmp/s" \
  && [ "$(pid_of cloud)" = "$before" ] && [ "$(grep -c '^listening' "$LOG/cloud-output.log")" = 1 ]; }
check "start when running: refused, no second process" t_again
t_restart() { local before; before=$(pid_of cloud); initd cloud restart > "$tmp/s" && grep -q "done" "$tmp/s" \
  && ! alive "$before" && alive "$(pid_of cloud)" && [ "$(pid_of cloud)" != "$before" ]; }
check "restart: a new process" t_restart
t_stop() { local before; before=$(pid_of cloud); initd cloud stop > "$tmp/s" && ! alive "$before" \
  && [ ! -f "$RUN/eucalyptus-cloud.pid" ] && ! port_open "$CLOUD_PORT"; }
check "stop: process gone, pid file removed" t_stop
check "status after stop: 3" status_is cloud 3
check "stop when not running: 0" initd cloud stop
t_logappend() { [ "$(grep -c '^listening' "$LOG/cloud-output.log")" = 2 ]; }
check "the output log is appended to, not replaced" t_logappend

t_three() { initd cc start >/dev/null && initd nc start >/dev/null && port_open "$CC_PORT" && port_open "$NC_PORT" \
  && grep -q "ClusterControllerMain" "$LOG/cc-output.log" && grep -q "NodeControllerMain" "$LOG/nc-output.log" \
  && grep -qxF "arg: $E/usr/share/eucalyptus/nc/*" "$LOG/nc-output.log"; }
check "cc and nc: their own ports, logs (cc-output.log, nc-output.log) and classpath" t_three

# ---- a second NC with another conf ---------------------------------------------------------------
sed "s/^NC_PORT=.*/NC_PORT=\"$NC2_PORT\"/" "$E/etc/eucalyptus/eucalyptus.conf" > "$tmp/nc2.conf"
t_nc2() { EUCA_CONF=$tmp/nc2.conf initd nc start >/dev/null && [ -f "$RUN/eucalyptus-nc-$NC2_PORT.pid" ] \
  && port_open "$NC2_PORT" && alive "$(pid_of nc)" && [ "$(pid_of nc)" != "$(cat "$RUN/eucalyptus-nc-$NC2_PORT.pid")" ] \
  && grep -qx "arg: -Deuca.conf=$tmp/nc2.conf" "$LOG/nc-$NC2_PORT-output.log"; }
check "EUCA_CONF: a second NC with its own port, pid file and output log" t_nc2
t_nc2stop() { EUCA_CONF=$tmp/nc2.conf initd nc stop >/dev/null && ! port_open "$NC2_PORT" && status_is nc 0; }
check "stopping the second NC leaves the first running" t_nc2stop

# ---- where the scripts find $EUCALYPTUS ---------------------------------------------------------
t_location() { ( unset EUCALYPTUS; bash "$E/etc/init.d/eucalyptus-cc" status | grep -q "is running" ); }
check "without EUCALYPTUS: found from the script's location" t_location
t_symlink() { mkdir -p "$tmp/rc.d"; ln -sf "$E/etc/init.d/eucalyptus-cc" "$tmp/rc.d/eucalyptus-cc"
  ( unset EUCALYPTUS; bash "$tmp/rc.d/eucalyptus-cc" status | grep -q "is running" ); }
check "through a symlink (as /etc/init.d/eucalyptus-cc)" t_symlink
t_srctree() { mkdir -p "$tmp/other"; EUCALYPTUS=$tmp/other bash "$here/init.d/eucalyptus-cc" status; [ $? = 3 ]; }
check "from the source tree, with EUCALYPTUS naming an install without init-functions" t_srctree
initd cc stop >/dev/null; initd nc stop >/dev/null

# ---- failures -----------------------------------------------------------------------------------
t_dies() { FAKE_JAVA_MODE=die initd cloud start > "$tmp/s" 2>&1; [ $? = 1 ] && grep -q "failed" "$tmp/s" \
  && grep -q "boom: the daemon cannot start" "$tmp/s" && [ ! -f "$RUN/eucalyptus-cloud.pid" ]; }
check "a daemon that dies: start fails early with the end of its log" t_dies
t_slow() { local start=$SECONDS; FAKE_JAVA_MODE=slow EUCA_START_TIMEOUT=2 initd cloud start > "$tmp/s" 2>&1; [ $? = 1 ] \
  && [ $((SECONDS - start)) -lt 10 ] && grep -q "nothing answers on port $CLOUD_PORT" "$tmp/s" && status_is cloud 0; }
check "a daemon that never opens its port: start fails after the timeout" t_slow
t_slowstop() { initd cloud stop >/dev/null && status_is cloud 3; }
check "... and stop ends it" t_slowstop
t_kill() { FAKE_JAVA_MODE=noterm initd cloud start >/dev/null || return 1; local pid; pid=$(pid_of cloud)
  EUCA_STOP_TIMEOUT=1 initd cloud stop > "$tmp/s" && grep -q "killing" "$tmp/s" && ! alive "$pid"; }
check "a daemon that ignores TERM is killed after the stop timeout" t_kill
t_stale() { sleep 300 & local other=$!; echo "$other" > "$tmp/sleep.pid"; echo "$other" > "$RUN/eucalyptus-cloud.pid"
  status_is cloud 3 && initd cloud stop >/dev/null && alive "$other" && initd cloud start >/dev/null && alive "$(pid_of cloud)" \
  && [ "$(pid_of cloud)" != "$other" ] && alive "$other"; local r=$?; kill "$other"; initd cloud stop >/dev/null; return $r; }
check "a pid file naming another process: not ours, never signalled" t_stale
t_busy() { /usr/bin/python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(1); time.sleep(60)' "$CC_PORT" &
  local busy=$!; echo "$busy" > "$tmp/busy.pid"
  for _ in $(seq 1 50); do port_open "$CC_PORT" && break; sleep 0.1; done
  initd cc start > "$tmp/s" 2>&1; local r=$?; kill "$busy"
  [ $r = 1 ] && grep -q "already in use" "$tmp/s" && [ ! -f "$RUN/eucalyptus-cc.pid" ]; }
check "a port taken by another program: start refuses" t_busy
t_nojava() { JAVA_HOME=$tmp/nosuch initd nc start > "$tmp/s" 2>&1; [ $? = 1 ] && grep -q "no bin/java" "$tmp/s"; }
check "JAVA_HOME without java: clear failure" t_nojava
t_nojars() { rm "$E/usr/share/eucalyptus/nc/fake.jar"; initd nc start > "$tmp/s" 2>&1; local r=$?
  : > "$E/usr/share/eucalyptus/nc/fake.jar"; [ $r = 1 ] && grep -q "no jars" "$tmp/s"; }
check "no jars installed: clear failure" t_nojars
t_usage() { initd cc frobnicate 2>"$tmp/s"; [ $? = 2 ] && grep -q "Usage" "$tmp/s"; }
check "an unknown verb: usage, exit 2" t_usage

# ---- EUCA_USER ----------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  t_user() { sed -i 's/^EUCA_USER=.*/EUCA_USER="nobody"/' "$E/etc/eucalyptus/eucalyptus.conf"
    initd cc start >/dev/null && [ "$(ps -o user= -p "$(pid_of cc)" | tr -d ' ')" = nobody ] \
    && [ "$(stat -c %U "$LOG")" = nobody ] && [ "$(stat -c %U "$E/var/lib/eucalyptus/keys")" = nobody ] \
    && grep -q "user: nobody" "$LOG/cc-output.log"; }
  check "root with EUCA_USER=nobody: the JVM (the pid file's process) runs as nobody; var folders are its" t_user
  check "... and stops" initd cc stop
  sed -i 's/^EUCA_USER=.*/EUCA_USER="root"/' "$E/etc/eucalyptus/eucalyptus.conf"
fi

for f in "$here"/init.d/eucalyptus-*; do
  check "$(basename "$f") has an LSB header" grep -q "^### BEGIN INIT INFO" "$f"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
