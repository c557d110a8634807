# Thin wrapper over meson: the two quick-start commands and the CI jobs.
# `make bench` and `make test` install missing Debian packages first.
BUILD    ?= build
MESON_OPTS ?=
WERROR   ?= 0
ifeq ($(WERROR),1)
MESON_OPTS += -Dwerror=true
endif

DEPS := scripts/install-deps.sh

.PHONY: all deps test bench clean

all: $(BUILD)/build.ninja
	meson compile -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

# Build and run every test suite (all runnable variants, SIMDe-emulated too).
test:
	@$(DEPS) build test
	meson setup --reconfigure $(BUILD) $(MESON_OPTS) >/dev/null 2>&1 || meson setup $(BUILD) $(MESON_OPTS)
	meson compile -C $(BUILD)
	meson test -C $(BUILD) --print-errorlogs

# The main job: the benchmark on this CPU (GB/s per kernel × layout × ISA,
# with the memory roofline measured in the same run).
bench:
	@$(DEPS) build bench
	meson setup --reconfigure $(BUILD) $(MESON_OPTS) >/dev/null 2>&1 || meson setup $(BUILD) $(MESON_OPTS)
	meson compile -C $(BUILD) snorm-bench
	$(BUILD)/bench/snorm-bench $(BENCH_ARGS)

clean:
	rm -rf $(BUILD)
