#!/usr/bin/env bash
# Builds the qemu guest kit's guest tests boot: a stock Debian kernel (the
# uncompressed vmlinux, which reaches /init in half the time of vmlinuz) and an
# initramfs holding busybox, the modules the tests need and test/guest/init.
# Nothing is installed on the host: the kernel package is unpacked under the
# cache dir, keyed by its name, and reused while it exists.
#   KIT_GUEST_CACHE   the cache dir (default /var/cache/kit-guest)
#   KIT_GUEST_KERNEL  the kernel package (default: what linux-image-amd64 depends on)
# Prints the guest's directory (holding vmlinux and initramfs.cpio.gz).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KIT_GUEST_CACHE:-/var/cache/kit-guest}"

kernel_package() {
  [ -n "${KIT_GUEST_KERNEL:-}" ] && { echo "$KIT_GUEST_KERNEL"; return; }
  local dep
  dep="$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)"
  [ -n "$dep" ] || { echo "build.sh: apt-cache knows no linux-image-amd64: run apt-get update first" >&2; exit 1; }
  echo "$dep"
}

pkg="$(kernel_package)"
guest="$cache/$pkg"
# The initramfs also depends on init and this script: rebuild when they change.
stamp="$(cat "$here/init" "$0" | sha256sum | cut -c1-16)"
if [ -f "$guest/vmlinux" ] && [ "$(cat "$guest/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$guest"; exit 0
fi

for tool in busybox dmsetup depmod modprobe cpio xz; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (apt-get install busybox-static dmsetup kmod cpio xz-utils)" >&2; exit 1; }
done

mkdir -p "$guest"
work="$(mktemp -d "$cache/kit-build-XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The kernel package: apt-get download into the cache dir, unpacked there.
if ! ls "$guest"/"$pkg"_*.deb >/dev/null 2>&1; then
  (cd "$guest" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
  ls "$guest"/"$pkg"_*.deb >/dev/null 2>&1 || { echo "build.sh: apt-get download $pkg failed" >&2; exit 1; }
fi
dpkg-deb -x "$guest"/"$pkg"_*.deb "$work/kernel"
kver="$(ls "$work/kernel/lib/modules")"
depmod -b "$work/kernel" "$kver"

# vmlinuz is a boot stub plus an xz payload: the payload is the ELF vmlinux.
vmlinuz="$work/kernel/boot/vmlinuz-$kver"
offset="$(LC_ALL=C grep -aboP '\xFD7zXZ\x00' "$vmlinuz" | head -1 | cut -d: -f1)"
[ -n "$offset" ] || { echo "build.sh: no xz payload in $vmlinuz" >&2; exit 1; }
tail -c +"$((offset + 1))" "$vmlinuz" | xz -dcq > "$work/vmlinux" 2>/dev/null || true
[ "$(head -c 4 "$work/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] || { echo "build.sh: no ELF vmlinux inside $vmlinuz" >&2; exit 1; }

# The initramfs: busybox, dmsetup with its libraries, the modules in load order, init.
root="$work/root"
mkdir -p "$root"/{bin,sbin,proc,sys,dev,host,lib/modules,etc}
cp "$(command -v busybox)" "$root/bin/busybox"
cp "$(command -v dmsetup)" "$root/sbin/dmsetup"
for lib in $(ldd "$(command -v dmsetup)" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
done
: > "$root/lib/modules/load-order"
for mod in virtio_pci 9pnet_virtio 9p loop dm-thin-pool overlay ext4 veth bridge; do
  modprobe -d "$work/kernel" -S "$kver" --show-depends "$mod" | awk '$1 == "insmod" { print $2 }' | while read -r ko; do
    name="$(basename "$ko")"
    grep -qx "/lib/modules/$name" "$root/lib/modules/load-order" && continue
    cp "$ko" "$root/lib/modules/$name"
    echo "/lib/modules/$name" >> "$root/lib/modules/load-order"
  done
done
cp "$here/init" "$root/init"; chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.cpio.gz"

mv "$work/vmlinux" "$work/initramfs.cpio.gz" "$guest/"
echo "$kver" > "$guest/kernel-release"
echo "$stamp" > "$guest/stamp"
echo "$guest"
