# mamori — the two set-up commands are `make run` and `make test` (see README.md).
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
MAMORI := $(BUILD_DIR)/mamori
# `make run`: the demo instance (docs/demo.md), made on the first run, then served.
DEMO_DIR ?= var/demo
DEMO_PORT ?= 8080
DEMO_SEED ?= 1

.PHONY: deps configure build run test bench fuzz format clean

deps:
	scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(MAMORI) demo setup --dir $(DEMO_DIR) --port $(DEMO_PORT) --seed $(DEMO_SEED)
	@echo "Starting mamori on http://127.0.0.1:$(DEMO_PORT)/ui (login above; Ctrl-C stops)"
	$(MAMORI) -c $(DEMO_DIR)/mamori.toml serve --port $(DEMO_PORT)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

bench: build
	scripts/install-deps --bench
	bench/run.sh $(BUILD_DIR)

fuzz: deps
	fuzz/run.sh

format:
	find src bench tests -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
