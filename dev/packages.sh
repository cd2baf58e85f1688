# Debian 12 packages the cloud and its tests need. Sourced by dev/quickstart and dev/test.
# Runtime: java/maven come with the machine; libvirt + plain QEMU for the NC; openssl/curl for
# euca_conf; rsync for --addnode; python3 (standard library only) + openssl for the euca-* image
# commands; qemu and e2fsprogs (mke2fs -d, debugfs) also build and boot the test images.
# Tests: python3-boto and awscli are the real clients the acceptance tests drive; postgresql is
# the real server the persistence tests start; fdisk (sfdisk -J) and libxml2-utils (xmllint, for
# virt-xml-validate) read back the NC's disk layouts and domain XML.
EUCA_RUNTIME_PACKAGES="libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils
  curl openssl zip unzip rsync openssh-client iproute2 procps e2fsprogs python3"
EUCA_TEST_PACKAGES="python3-boto python3-boto3 python3-botocore awscli postgresql openssh-server
  fdisk libxml2-utils"

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

# start_libvirt: libvirtd and virtlogd without systemd (a fresh container has none).
start_libvirt() {
  # judged by the socket, not by pgrep: in a chroot (fresh-check) the host's daemons are visible
  virsh -c qemu:///system nodeinfo >/dev/null 2>&1 && return 0
  [ -S /run/libvirt/virtlogd-sock ] || virtlogd -d
  libvirtd -d
  local i
  for i in $(seq 1 30); do
    virsh -c qemu:///system nodeinfo >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "libvirtd did not come up" >&2
  return 1
}
