#!/usr/bin/env bash
# Installs PoCL (the CPU OpenCL driver, as a node would have its vendor's driver) into a root made by
# `debootstrap --variant=minbase bookworm ROOT`, with apt inside the root, so that
# `make check-dist ROOT=DIR POCL=1` can run the main job there. PoCL brings clang and the linker it
# compiles kernels with; none of the libraries dist/ carries (OpenBLAS, LAPACKE, igraph, CLBlast, the
# ICD loader) is installed, which the script checks afterwards.
set -euo pipefail
ROOT=${1:?usage: $0 ROOT}
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
if ! chroot "$ROOT" dpkg-query -W -f='${Status}' pocl-opencl-icd 2>/dev/null | grep -q "install ok installed"; then
  chroot "$ROOT" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends pocl-opencl-icd' >/dev/null
fi
for lib in libopenblas libigraph liblapacke libclblast libOpenCL.so; do
  if chroot "$ROOT" /bin/sh -c "ls /usr/lib/x86_64-linux-gnu/$lib* 2>/dev/null" | grep -q .; then
    echo "add-pocl-to-root: $lib is installed in $ROOT; the check must use dist/'s copy" >&2; exit 1
  fi
done
echo "PoCL installed in $ROOT"
