# Sculpt — make run / make test / make bench. Each first installs missing system packages.
SHELL := /bin/bash
# OpenCL ICD loader + headers, PoCL (CPU OpenCL device), rsvg-convert (SVG render check in tests),
# zlib headers (gzipped MNIST-format IDX files); igraph + LAPACKE/OpenBLAS (Clusterability);
# chromium (the report test opens report.html headless).
SYSTEM_PACKAGES := ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo librsvg2-bin zlib1g-dev libigraph-dev liblapacke-dev libopenblas-dev libclblast-dev curl python3 python3-numpy chromium
SWIFT ?= swift
RUN_ARGS ?=

.PHONY: deps build run test test-slurm lint format bench release check-dist clean

deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "no Swift toolchain on PATH (need Swift 6.0 or newer: https://swift.org/install)"; exit 1; }

build: deps
	$(SWIFT) build -c release

run: build
	.build/release/sculpt $(RUN_ARGS)

# Tests run with a one-node Slurm cluster up (scripts/slurm-local.sh; torn down afterwards) for the
# Slurm round trip; where its packages cannot be installed (not root), that one test skips and says so.
test: deps
	$(SWIFT) build --build-tests
	@$(call with_slurm, REQUIRE_OPENCL=$${REQUIRE_OPENCL:-1} REQUIRE_CHROMIUM=$${REQUIRE_CHROMIUM:-1} $(SWIFT) test --skip-build)

# Only the Slurm round trip (`sculpt sweep --slurm N --submit` against a sweep in one process).
test-slurm: deps
	$(SWIFT) build --build-tests
	@$(call with_slurm, REQUIRE_SLURM=1 $(SWIFT) test --skip-build --filter SlurmTests)

with_slurm = conf=""; \
	if conf=$$(scripts/slurm-local.sh up); then trap 'scripts/slurm-local.sh down' EXIT; \
	else rc=$$?; if [ $$rc = 3 ]; then echo "Slurm packages missing and not installable here: the Slurm round-trip test skips"; \
	else echo "scripts/slurm-local.sh up failed (exit $$rc)"; exit 1; fi; fi; \
	export SCULPT_TEST_SLURM_CONF="$$conf"; $(1)

# Formatting (.swift-format; swift-format ships with the toolchain): `make lint` checks, `make format` fixes.
FORMAT_PATHS := Package.swift Sources Tests Benchmarks Plugins
lint:
	@command -v $(SWIFT) >/dev/null || { echo "no Swift toolchain on PATH"; exit 1; }
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)

format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMAT_PATHS)

bench: deps
	$(SWIFT) build -c release --product sculpt-bench
	.build/release/sculpt-bench

# A binary for another machine (e.g. a GPU box): dist/sculpt with the Swift runtime linked in, and
# beside it every shared library it needs that is not glibc's (the OpenCL ICD loader, OpenBLAS,
# LAPACKE, igraph, CLBlast and what they pull in), found through an $$ORIGIN run path (an old-style
# RPATH: it also serves the libraries' own dependencies, e.g. CLBlast's libOpenCL, which a RUNPATH would
# not). The GPU's own OpenCL driver (its ICD) comes from the target machine. Check: make check-dist.
GLIBC_LIBS := libc.so|libm.so|libpthread.so|libdl.so|librt.so|ld-linux|linux-vdso
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product sculpt -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker '$$ORIGIN'
	@rm -rf dist && mkdir -p dist && cp .build/release/sculpt dist/
	@ldd dist/sculpt | awk '$$2 == "=>" && $$3 ~ /^\// {print $$3}' | grep -v -E '/($(GLIBC_LIBS))' | \
	  while read -r lib; do cp -L "$$lib" dist/; done
	@if ldd dist/sculpt | grep -q "not found"; then ldd dist/sculpt | grep "not found"; exit 1; fi
	@echo "dist/: $$(ls dist | tr '\n' ' ')($$(du -sh dist | cut -f1))"

# dist/ in a minimal Debian root that has none of those packages (ROOT made with
# `debootstrap --variant=minbase bookworm ROOT`): the binary starts, a command without a device works,
# and `sculpt devices` ends with one clean line (there is no OpenCL platform there); with POCL=1, PoCL's
# files are then added to the root and the main job runs there.
check-dist:
	@[ -n "$(ROOT)" ] && [ -x "$(ROOT)/bin/sh" ] || { echo "usage: make check-dist ROOT=DIR (after debootstrap --variant=minbase bookworm DIR)"; exit 1; }
	@[ -x dist/sculpt ] || { echo "no dist/sculpt: run make release first"; exit 1; }
	rm -rf "$(ROOT)/dist" && cp -r dist "$(ROOT)/dist"
	@# $$ORIGIN is resolved through /proc/self/exe, as on any real machine.
	@mountpoint -q "$(ROOT)/proc" || mount -t proc proc "$(ROOT)/proc"
	chroot "$(ROOT)" /dist/sculpt --version
	chroot "$(ROOT)" /bin/sh -c 'cd /tmp && /dist/sculpt tasks show xor-pairs | head -1'
	@if ls "$(ROOT)"/etc/OpenCL/vendors/*.icd >/dev/null 2>&1; then echo "($(ROOT) has an OpenCL driver: the no-platform check is skipped)"; \
	elif chroot "$(ROOT)" /dist/sculpt devices; then echo "check-dist: expected no OpenCL platform in $(ROOT)"; exit 1; fi
	@# With POCL=1: PoCL's files added to the root (scripts/add-pocl-to-root.sh) and /sys mounted (PoCL
	@# reads the CPU topology and memory there, as on any real machine), the main job runs there.
	@if [ -n "$(POCL)" ]; then \
	  { mountpoint -q "$(ROOT)/sys" || mount -t sysfs sysfs "$(ROOT)/sys"; } && \
	  scripts/add-pocl-to-root.sh "$(ROOT)" && chroot "$(ROOT)" /dist/sculpt devices && \
	  rm -rf "$(ROOT)/tmp/check-dist-run" && \
	  chroot "$(ROOT)" /bin/sh -c 'cd /tmp && HOME=/tmp /dist/sculpt --out /tmp/check-dist-run > /tmp/check-dist-run.log' && \
	  tail -2 "$(ROOT)/tmp/check-dist-run.log" && \
	  test -f "$(ROOT)/tmp/check-dist-run/run.json" || { echo "check-dist: the main job did not run with PoCL in $(ROOT)"; exit 1; }; \
	fi
	@# Leave no kernel file systems mounted inside ROOT (so that removing ROOT stays safe).
	@for m in sys proc; do ! mountpoint -q "$(ROOT)/$$m" || umount "$(ROOT)/$$m"; done
	@echo "check-dist: ok"

clean:
	rm -rf .build dist
