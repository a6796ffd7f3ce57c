#!/usr/bin/env bash
# make-test-image.sh OUTDIR - the project's bootable test guest ("tinyvm"), the equivalent of the
# seed's ttylinux-uec image, built from Debian packages only (apt-get download + dpkg-deb -x):
#   OUTDIR/vmlinuz       Debian's cloud kernel, for direct kernel boot (<kernel>, glance aki)
#   OUTDIR/initrd.img    busybox-static + dropbear initramfs whose /init is scripts/test-image/init (ari)
#   OUTDIR/rootfs.qcow2  a small ext4 disk holding the same tree (ami); the guest keeps running from the
#                        initramfs unless the kernel command line says tinyvm.root=/dev/vda
#   OUTDIR/manifest.txt  kernel version, command line, packages, sizes and the build stamp
#   OUTDIR/debs/         the downloaded packages (a cache: later builds reuse them)
# What the guest does and prints is described at the top of scripts/test-image/init.
#
# Idempotent: when the outputs exist and were built from the same packages and the same guest files,
# it prints "up to date" and exits (no download, no rebuild; without even asking apt when its lists are
# older than the build).
# Env: KERNEL_META [linux-image-cloud-amd64]  the meta package naming the kernel
#      FORCE=1  rebuild even when up to date
# Needs: apt-get with package lists, dpkg-deb, cpio, gzip, mke2fs (e2fsprogs), qemu-img (qemu-utils).
set -euo pipefail

OUT="${1:?usage: $0 OUTDIR}"
GUEST="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/test-image"
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
APT=(apt-get -q -o APT::Sandbox::User=root)
# Modules the guest loads (they are =m in the cloud kernel): virtio devices, IDE (ata_piix: the cloud
# kernel has no AHCI, so config drives go on machine 'pc' IDE or virtio), cdrom/iso9660/vfat for config
# drives, the ACPI button for a clean shutdown.
MODULES="virtio_pci virtio_net virtio_blk virtio_scsi virtio_console virtio-rng sd_mod sr_mod ata_piix button evdev isofs vfat nls_cp437 nls_ascii ext4"
# dropbear and every library it links (resolved with the packaged loader below, so a missing one fails here).
SSH_PACKAGES="dropbear-bin libtomcrypt1 libtommath1 libgmp10 libcrypt1 zlib1g libc6"

log() { echo "[make-test-image $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

mkdir -p "$OUT/debs"
OUT="$(cd "$OUT" && pwd)"
DEBS="$OUT/debs"

KERNEL_META="${KERNEL_META:-linux-image-cloud-amd64}"
# The fast path: same guest files and builder, and apt's lists not refreshed since the build, so the
# packages cannot have changed either (asking apt costs seconds on a loaded box).
INPUTS="$( { echo "$KERNEL_META $MODULES $SSH_PACKAGES"; cat "$SELF" "$GUEST"/*; } | sha256sum | cut -c1-16)"
up_to_date() {
  [ "${FORCE:-0}" != 1 ] && [ -f "$OUT/manifest.txt" ] && grep -qx "inputs=$INPUTS" "$OUT/manifest.txt" &&
    [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ] && [ -s "$OUT/rootfs.qcow2" ]
}
if up_to_date && [ "$OUT/manifest.txt" -nt /var/lib/apt/lists ]; then
  log "up to date: $OUT"
  exit 0
fi

# ---------------------------------------------------------------- which packages
kernel_package() { apt-cache depends "$KERNEL_META" 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'; }
KPKG="$(kernel_package)"
if [ -z "$KPKG" ]; then
  log "no package lists for $KERNEL_META: apt-get update"
  "${APT[@]}" update -qq >&2
  KPKG="$(kernel_package)"
  [ -n "$KPKG" ] || die "cannot resolve the kernel package from $KERNEL_META"
fi
PACKAGES="$KPKG busybox-static $SSH_PACKAGES"
# The exact .deb file names of the candidates (apt's own naming, as `apt-get download` saves them).
FILES="$("${APT[@]}" download --print-uris $PACKAGES 2>/dev/null | awk '{print $2}' | sort)"
[ "$(echo "$FILES" | wc -l)" = "$(echo $PACKAGES | wc -w)" ] || die "apt cannot find all of: $PACKAGES"

STAMP="$(echo "$FILES" | sha256sum | cut -c1-16)"
if up_to_date && grep -qx "packages=$STAMP" "$OUT/manifest.txt"; then
  touch "$OUT/manifest.txt"  # checked against the current lists: the fast path holds until the next update
  log "up to date: $OUT (packages $STAMP)"
  exit 0
fi

# ---------------------------------------------------------------- download (cached in OUTDIR/debs)
missing=""
for f in $FILES; do [ -s "$DEBS/$f" ] || missing="$missing $f"; done
if [ -n "$missing" ]; then
  log "downloading:$missing"
  (cd "$DEBS" && "${APT[@]}" download $PACKAGES >/dev/null 2>"$DEBS/download.log") ||
    { cat "$DEBS/download.log" >&2; die "apt-get download failed"; }
  # Older versions of the same packages are of no further use.
  for f in "$DEBS"/*.deb; do echo "$FILES" | grep -qxF "$(basename "$f")" || rm -f "$f"; done
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
deb() { echo "$DEBS/$(echo "$FILES" | grep "^$1_")"; }
dpkg-deb -x "$(deb "$KPKG")" "$WORK/kernel"
dpkg-deb -x "$(deb busybox-static)" "$WORK/busybox"
for p in $SSH_PACKAGES; do dpkg-deb -x "$(deb "$p")" "$WORK/ssh"; done
KV="$(ls "$WORK/kernel/lib/modules")"
BB="$WORK/busybox/bin/busybox"

# ---------------------------------------------------------------- the guest's tree
R="$WORK/root"
mkdir -p "$R"/{bin,dev,proc,sys,tmp,run,mnt,newroot,www,root,etc/acpi/PWRF,etc/dropbear,lib/modules/"$KV"}
mkdir -p "$R/var" && ln -s /run "$R/var/run"
cp "$BB" "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
ln -s bin "$R/sbin"
install -m 755 "$GUEST/init" "$R/init"
install -m 755 "$GUEST/udhcpc-hook" "$R/etc/udhcpc-hook"
install -m 755 "$GUEST/power-button" "$R/etc/acpi/PWRF/00000080"
echo "$MODULES" | tr ' ' '\n' > "$R/etc/tinyvm-modules"
# root logs in with the injected key only: a non-empty, unusable password, a shell listed in /etc/shells.
echo 'root:x:0:0:root:/root:/bin/sh' > "$R/etc/passwd"
echo 'root:x:0:' > "$R/etc/group"
echo 'root:*:19000:0:99999:7:::' > "$R/etc/shadow"
chmod 600 "$R/etc/shadow"
echo /bin/sh > "$R/etc/shells"
if [ "$(id -u)" = 0 ]; then
  mknod -m 600 "$R/dev/console" c 5 1
  mknod -m 666 "$R/dev/null" c 1 3
fi

# Kernel modules with their dependencies (busybox depmod over the whole package, then again over the subset).
"$BB" depmod -b "$WORK/kernel" "$KV"
MD="$WORK/kernel/lib/modules/$KV"
for m in $MODULES; do
  line="$(grep -E "/${m}\.ko(\.[a-z]+)?:" "$MD/modules.dep" || true)"
  [ -n "$line" ] || { grep -qE "/${m}\.ko" "$MD/modules.builtin" || log "note: module $m not in $KV"; continue; }
  for f in ${line%%:*} ${line#*:}; do install -D -m 644 "$MD/$f" "$R/lib/modules/$KV/$f"; done
done
cp "$MD/modules.builtin" "$R/lib/modules/$KV/"
"$BB" depmod -b "$R" "$KV"

# dropbear with its libraries and the dynamic loader, all from the packages.
S="$WORK/ssh"
LOADER=lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
install -D -m 755 "$S/usr/sbin/dropbear" "$R/bin/dropbear"
libs="$("$S/$LOADER" --library-path "$S/lib/x86_64-linux-gnu:$S/usr/lib/x86_64-linux-gnu" --list "$S/usr/sbin/dropbear")"
for lib in $(echo "$libs" | awk '$2 == "=>" {print $3}'); do
  # The loader falls back to the build host's libraries: the image takes only the packaged ones.
  case "$lib" in "$S"/*) ;; *) die "dropbear needs $lib, which is in none of: $SSH_PACKAGES";; esac
  install -D -m 755 "$(readlink -f "$lib")" "$R/lib/x86_64-linux-gnu/$(basename "$lib")"
done
install -D -m 755 "$S/$LOADER" "$R/$LOADER"
mkdir -p "$R/lib64"
ln -s "/$LOADER" "$R/lib64/ld-linux-x86-64.so.2"

# ---------------------------------------------------------------- outputs
cp "$WORK/kernel/boot/vmlinuz-$KV" "$WORK/vmlinuz"
(cd "$R" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) | gzip -9 > "$WORK/initrd.img"
# The disk variant: same tree plus a marker so its /init does not try to switch_root again.
touch "$R/etc/tinyvm-on-disk"
rm -f "$R/dev/console" "$R/dev/null"
mke2fs -q -t ext4 -L tinyvm-root -d "$R" "$WORK/rootfs.raw" 64M >/dev/null
qemu-img convert -f raw -O qcow2 -c "$WORK/rootfs.raw" "$WORK/rootfs.qcow2"

size() { stat -c %s "$1"; }
{
  echo "inputs=$INPUTS"
  echo "packages=$STAMP"
  echo "built=$(date -u +%FT%TZ)"
  echo "kernel_version=$KV"
  echo "cmdline=console=ttyS0 panic=-1"
  for f in vmlinuz initrd.img rootfs.qcow2; do echo "size_$f=$(size "$WORK/$f")"; done
  for f in $FILES; do echo "package=$f"; done
} > "$WORK/manifest.txt"
# The manifest goes last, so an interrupted build is never taken for an up-to-date one.
mv "$WORK/vmlinuz" "$WORK/initrd.img" "$WORK/rootfs.qcow2" "$OUT/"
mv "$WORK/manifest.txt" "$OUT/"
log "built $OUT: kernel $KV, initrd $(size "$OUT/initrd.img") B, rootfs.qcow2 $(size "$OUT/rootfs.qcow2") B"
