# Sculpt — make run / make test / make bench. Each first installs missing system packages.
SHELL := /bin/bash
# OpenCL ICD loader + headers, PoCL (CPU OpenCL device), rsvg-convert (SVG render check in tests),
# zlib headers (gzipped MNIST-format IDX files); igraph + LAPACKE/OpenBLAS (Clusterability).
SYSTEM_PACKAGES := ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo librsvg2-bin zlib1g-dev libigraph-dev liblapacke-dev libopenblas-dev libclblast-dev curl python3 python3-numpy
SWIFT ?= swift
RUN_ARGS ?=

.PHONY: deps build run test lint format bench release clean

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

test: deps
	$(SWIFT) build --build-tests
	REQUIRE_OPENCL=$${REQUIRE_OPENCL:-1} $(SWIFT) test --skip-build

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

# A static binary for another machine (e.g. a GPU box): dist/sculpt plus the ICD loader beside it.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib
	@lib=$$(ldconfig -p | awk '/libOpenCL\.so\.1 /{print $$NF; exit}'); \
	  [ -n "$$lib" ] || { echo "libOpenCL.so.1 not found by ldconfig (apt-get install ocl-icd-libopencl1)"; exit 1; }; \
	  mkdir -p dist && cp .build/release/sculpt dist/ && cp -L "$$lib" dist/ && echo "dist/: sculpt + $$lib"

clean:
	rm -rf .build dist
