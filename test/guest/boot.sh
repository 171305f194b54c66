#!/usr/bin/env bash
# Boots the guest built by build.sh under qemu's emulation (TCG: this host's
# /dev/kvm cannot run a stock kernel), sharing the host's / read-only, and OUT
# (holding run.sh) and CACHE (jest's cache) read-write, at the same paths. The
# guest runs OUT/run.sh chrooted into the host's root and writes OUT/status;
# qemu's console goes to OUT/console.log.
# A boot that has not reached run.sh within KIT_GUEST_BOOT_TIMEOUT seconds
# (default 120; it takes ~10) is stopped and tried once more; the run as a
# whole is stopped after KIT_GUEST_TIMEOUT seconds (default 2700; emulation is
# slow, and several times slower on a busy host).
#   boot.sh GUEST_DIR OUT CACHE
set -uo pipefail
guest="$1" out="$2" cache="$3"
boot_limit="${KIT_GUEST_BOOT_TIMEOUT:-120}"
limit="${KIT_GUEST_TIMEOUT:-2700}"

boot() {
  rm -f "$out/status" "$out/console.log" "$out/results.jsonl"
  timeout --kill-after=10 "$limit" qemu-system-x86_64 \
    -m "${KIT_GUEST_MEMORY:-2048}" -smp 2 -nographic -no-reboot -net none \
    -kernel "$guest/vmlinux" -initrd "$guest/initramfs.cpio.gz" \
    -append "console=ttyS0 panic=-1 quiet no_timer_check cgroup_no_v1=all kit.out=$out kit.cache=$cache" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$out,mount_tag=kitout,security_model=none" \
    -virtfs "local,path=$cache,mount_tag=kitcache,security_model=none" \
    < /dev/null > "$out/console.log" 2>&1 &
  local qemu=$! waited=0
  until grep -q 'kit-guest: running run.sh' "$out/console.log" 2>/dev/null; do
    if ! kill -0 "$qemu" 2>/dev/null; then wait "$qemu"; return; fi
    if [ "$waited" -ge "$boot_limit" ]; then
      echo "boot.sh: the guest did not boot within ${boot_limit}s" >&2
      kill "$qemu"; wait "$qemu"; return 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  wait "$qemu"
}

for attempt in 1 2; do
  boot
  rc=$?
  [ -f "$out/status" ] && exit 0
  echo "boot.sh: attempt $attempt: the guest did not finish (qemu exit $rc; 124 = the ${limit}s timeout); its console:" >&2
  tail -n 20 "$out/console.log" >&2
  grep -q 'kit-guest: running run.sh' "$out/console.log" && [ "$rc" = 124 ] && break # the tests hung, not the boot: no retry
done
exit 1
