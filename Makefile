# Two commands for a fresh Debian/Ubuntu machine with Swift 6: `make run` and `make test`.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DATA_DIR ?= ./data
PORT ?= 8080

.PHONY: deps run test build release format conformance

deps:
	@pkg-config --exists lmdb zlib 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq liblmdb-dev zlib1g-dev pkg-config; }

build: deps
	swift build

release: deps
	swift build -c release

run: release
	.build/release/metrics-service serve --data-dir $(DATA_DIR) --port $(PORT)

test: deps
	swift build --build-tests
	swift test --skip-build

format:
	swift format -i --recursive --configuration .swift-format Sources Tests Benchmarks/Benchmarks Package.swift
