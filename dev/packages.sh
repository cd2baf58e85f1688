# Debian 12 packages the cloud and its tests need. Sourced by dev/quickstart and dev/test.
# Runtime: java/maven come with the machine; libvirt + plain QEMU for the NC; openssl/curl for
# euca_conf; rsync for --addnode; python3 (standard library only) + openssl for the euca-* image
# commands; qemu and e2fsprogs (mke2fs -d, debugfs) also build and boot the test images.
# Tests: python3-boto, awscli and s3cmd are the real clients the acceptance tests drive;
# postgresql is the real server the persistence tests start; fdisk (sfdisk -J) and libxml2-utils
# (xmllint, for virt-xml-validate) read back the NC's disk layouts and domain XML; iptables
# makes the metadata redirect inside InstancesIT's site-router namespace (never the host's).
# The guests' network (STATIC and MANAGED-NOVLAN, dev/quickstart's mode): isc-dhcp-server is the
# CC's DHCP server (VNET_DHCPDAEMON=/usr/sbin/dhcpd; the CC runs it with its own config, the
# package's service is not used) and iptables its security groups, elastic IPs and metadata
# redirect. openssh-client is also the ssh into the test image's dropbear (tools/make-test-images
# needs no package for that: it fetches dropbear-bin's .deb with apt-get download).
# qemu-system-common holds qemu-storage-daemon, the nbd block-storage backend's export daemon on
# the front end (qemu-system-x86 pulls it in; named here because the storage host needs it
# even where no guest runs); qemu-utils' qemu-io is the NBD client of the storage tests.
# busybox-static's udhcpc is the DHCP client of the CC's dhcpd tests (a guest in a namespace).
EUCA_RUNTIME_PACKAGES="libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-system-common qemu-utils
  curl openssl zip unzip rsync openssh-client iproute2 procps e2fsprogs python3
  isc-dhcp-server iptables"
EUCA_TEST_PACKAGES="python3-boto python3-boto3 python3-botocore awscli s3cmd postgresql openssh-server
  fdisk libxml2-utils iptables busybox-static"

# install_packages PKG... : installs what is missing, non-interactively, once.
install_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # services must not start from the package scripts (no systemd here); we start what we need
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' RETURN
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# start_libvirt: libvirtd and virtlogd without systemd (a fresh container has none). Each is
# judged by answering on its socket, not by the socket file or pgrep: a daemon that died (or was
# ended with the session that started it) leaves its socket file behind, and in a chroot
# (fresh-check) the host's daemons are visible to pgrep. Without virtlogd every QEMU domain fails
# to start ("Failed to connect socket to '/run/libvirt/virtlogd-sock'").
start_libvirt() {
  kvm_device_for_qemu
  if ! virt-admin -c virtlogd:///system server-list >/dev/null 2>&1; then
    virtlogd -d
  fi
  virsh -c qemu:///system nodeinfo >/dev/null 2>&1 && return 0
  nbd_tls_dir_for_qemu
  libvirtd -d
  local i
  for i in $(seq 1 30); do
    virsh -c qemu:///system nodeinfo >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "libvirtd did not come up" >&2
  return 1
}

# nbd_tls_dir_for_qemu: volumes reach their storage host over NBD with TLS, and libvirt gives
# QEMU the client credentials of qemu.conf's nbd_tls_x509_cert_dir, which the NC fills with the
# node's keys (docs/storage.md, "Attach on the node"). This gives NBD a directory of its own
# (libvirt's own example path) instead of the default /etc/pki/qemu, which VNC, chardev and
# migration TLS share. Only called before libvirtd starts: libvirtd reads qemu.conf once, and a
# qemu.conf naming a directory the running daemon does not use would send the NC's keys where
# QEMU does not look. libvirtd refuses to start when the named directory is missing: made here.
EUCA_NBD_TLS_DIR=/etc/pki/libvirt-nbd
nbd_tls_dir_for_qemu() {
  local conf=/etc/libvirt/qemu.conf dir
  [ -f "$conf" ] || return 0
  dir=$(sed -n 's/^[[:space:]]*nbd_tls_x509_cert_dir[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$conf" | tail -n 1)
  if [ -z "$dir" ]; then
    dir=$EUCA_NBD_TLS_DIR
    printf '\n# Eucalyptus: the NC keeps the node'"'"'s NBD client credentials here (docs/storage.md)\nnbd_tls_x509_cert_dir = "%s"\n' \
      "$dir" >> "$conf"
  fi
  mkdir -p "$dir" && chmod 0755 "$dir"
}

# kvm_device_for_qemu: /dev/kvm as udev leaves it on a normal Debian host (group kvm, rw for the
# group; QEMU runs as libvirt-qemu, a member of kvm). Machines without udev leave it
# root-only, and then libvirtd finds its cached QEMU capabilities outdated at every domain start
# ("KVM was enabled when probing ..., but it is not available now") and probes QEMU again: ~45 s
# per start instead of under one. Nothing to do without /dev/kvm (QEMU uses TCG) or without the
# kvm group; plain-QEMU guests (HYPERVISOR=qemu) use TCG either way.
# In a chroot (fresh-check's: its / is no mount point) /dev is the host's and the chroot's kvm
# group may have another gid: the device is left alone there (libvirt cannot run QEMU there).
kvm_device_for_qemu() {
  [ -c /dev/kvm ] && getent group kvm >/dev/null || return 0
  mountpoint -q / || return 0
  [ "$(stat -c %G /dev/kvm)" = kvm ] && [ -n "$(find /dev/kvm -perm -g=rw)" ] && return 0
  chgrp kvm /dev/kvm && chmod g+rw /dev/kvm || echo "could not give /dev/kvm to the kvm group" >&2
  return 0
}

# The web console's browser tests: Debian's chromium, driven through Debian's chromedriver.
EUCA_TEST_PACKAGES="$EUCA_TEST_PACKAGES chromium chromium-driver"
# The head node's mail server (the guide: the console mails through SMTP on localhost:25):
# Debian's exim4, local delivery only; dev/quickstart starts it with start_local_mta.
EUCA_MTA_PACKAGES="exim4-daemon-light"

# start_local_mta: exim4 listening on 127.0.0.1:25 (and ::1) for local delivery only (Debian's
# default answer "local delivery only; not on a network"; mail to root lands in /var/mail/mail,
# to other local users in /var/mail/USER), started as a daemon without systemd. Safe to rerun.
start_local_mta() {
  # shellcheck disable=SC2086
  install_packages $EUCA_MTA_PACKAGES
  local conf=/etc/exim4/update-exim4.conf.conf
  if ! grep -q "^dc_eximconfig_configtype='local'" "$conf"; then
    sed -i "s/^dc_eximconfig_configtype=.*/dc_eximconfig_configtype='local'/" "$conf"
    update-exim4.conf
  fi
  smtp_answers 127.0.0.1 25 && return 0
  /usr/sbin/exim4 -bd -q30m
  local i
  for i in $(seq 1 10); do
    smtp_answers 127.0.0.1 25 && return 0
    sleep 1
  done
  echo "exim4 does not answer on 127.0.0.1:25 (see /var/log/exim4/mainlog)" >&2
  return 1
}

# smtp_answers HOST PORT: an SMTP server greets on HOST:PORT.
smtp_answers() {
  local greeting
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1
  read -r -t 5 greeting <&3 || greeting=""
  printf 'QUIT\r\n' >&3 2>/dev/null || true
  exec 3<&- 3>&-
  [[ $greeting == 220* ]]
}
