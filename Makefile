# Thin wrapper over meson: the two quick-start commands and the CI jobs.
# `make bench` and `make test` install missing Debian packages first.
BUILD    ?= build
MESON_OPTS ?=
WERROR   ?= 0
ifeq ($(WERROR),1)
MESON_OPTS += -Dwerror=true
endif

DEPS := scripts/install-deps.sh

.PHONY: all deps test bench plot clean test-asan test-tsan fuzz test-valgrind test-install

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
# with the memory roofline measured in the same run), then a summary table.
# One thread (oneDNN's OpenMP too), pinned to one CPU by the binary.
# QUICK=1: 3 shapes, short sweep, one repetition (under a minute).
# BENCH_ARGS pass through, e.g. BENCH_ARGS='--benchmark_filter=l2norm'.
BENCH_JSON ?= $(BUILD)/bench-results.json
QUICK ?= 0
ifeq ($(QUICK),1)
BENCH_MODE = --snorm_quick --benchmark_min_time=0.01 --benchmark_repetitions=1
endif
# Packages just installed (oneDNN after a `make test`) are set up from scratch:
# meson keeps its failed header checks across reconfigures, so the build
# directory would go on without the oneDNN rows. --wipe keeps the options
# but empties the directory, earlier results saved in it too.
bench:
	@rm -f $(BUILD).deps-new; DEPS_STAMP=$(BUILD).deps-new $(DEPS) build bench
	@if [ -f $(BUILD).deps-new ] && [ -d $(BUILD)/meson-private ]; then \
	    meson setup --wipe $(BUILD) $(MESON_OPTS) >/dev/null; fi; rm -f $(BUILD).deps-new
	meson setup --reconfigure $(BUILD) $(MESON_OPTS) >/dev/null 2>&1 || meson setup $(BUILD) $(MESON_OPTS)
	meson compile -C $(BUILD) snorm-bench
	OMP_NUM_THREADS=1 $(BUILD)/bench/snorm-bench $(BENCH_MODE) \
	    --benchmark_out=$(BENCH_JSON) --benchmark_out_format=json $(BENCH_ARGS)
	@python3 scripts/bench_summary.py $(BENCH_JSON) > $(BUILD)/bench-summary.txt
	@cat $(BUILD)/bench-summary.txt

# Charts of the last `make bench` run (docs/bench-shapes.png, docs/bench-sweep.png).
PLOT_DIR ?= docs
plot:
	@$(DEPS) plot
	python3 scripts/bench_plot.py $(BENCH_JSON) $(PLOT_DIR)

# Accuracy of every kernel × layout × runnable variant × input class against
# a float64 oracle (ACCURACY_ARGS: --format table|summary|tsv|json).
# accuracy-baseline rewrites tests/accuracy_baseline.tsv, the reference of the
# accuracy-gate test: run it deliberately, after a change meant to move results.
.PHONY: accuracy accuracy-baseline
accuracy:
	@$(DEPS) build
	meson setup --reconfigure $(BUILD) $(MESON_OPTS) >/dev/null 2>&1 || meson setup $(BUILD) $(MESON_OPTS)
	meson compile -C $(BUILD) snorm-accuracy
	$(BUILD)/tools/accuracy/snorm-accuracy $(ACCURACY_ARGS)

accuracy-baseline:
	@$(DEPS) build
	meson setup --reconfigure $(BUILD) $(MESON_OPTS) >/dev/null 2>&1 || meson setup $(BUILD) $(MESON_OPTS)
	meson compile -C $(BUILD) snorm-accuracy
	$(BUILD)/tools/accuracy/snorm-accuracy --write-baseline tests/accuracy_baseline.tsv

# The whole suite cross-built for aarch64 and run under qemu-aarch64 (Check
# from Debian's arm64 multiarch): NEON is native there and the dispatcher's
# choice, the x86 variants run through SIMDe, so every variant is validated
# on both architectures.
BUILD_AARCH64 ?= build-aarch64
AARCH64_OPTS = --cross-file cross/aarch64-linux-gnu.ini $(MESON_OPTS)
.PHONY: test-aarch64
test-aarch64:
	@$(DEPS) build test cross
	meson setup --reconfigure $(BUILD_AARCH64) $(AARCH64_OPTS) >/dev/null 2>&1 || meson setup $(BUILD_AARCH64) $(AARCH64_OPTS)
	meson compile -C $(BUILD_AARCH64) -j 2
	meson test -C $(BUILD_AARCH64) --print-errorlogs --timeout-multiplier=10

# ---------------------------------------------------------------------------
# Robustness jobs. Each uses its own build directory and installs its own
# packages. SAN_CC may be gcc too (then the fuzzer target is not built).
# ---------------------------------------------------------------------------
SAN_CC        ?= clang
BUILD_ASAN    ?= build-asan
BUILD_TSAN    ?= build-tsan
BUILD_FUZZ    ?= build-fuzz
BUILD_VALGRIND ?= build-valgrind
FUZZ_SECONDS  ?= 120
# $(call SETUP,dir,OPTS_VARIABLE_NAME): options go by variable name because
# make's $(call) would split them at commas.
SETUP = meson setup --reconfigure $(1) $($(2)) >/dev/null 2>&1 || meson setup $(1) $($(2))
ASAN_OPTS = $(MESON_OPTS) -Dbuildtype=debugoptimized -Db_lundef=false \
    -Db_sanitize=address,undefined -Dc_args=-fno-sanitize-recover=all
TSAN_OPTS = $(MESON_OPTS) -Dbuildtype=debugoptimized -Db_lundef=false -Db_sanitize=thread
FUZZ_OPTS = $(MESON_OPTS) -Dbuildtype=debugoptimized -Db_lundef=false \
    -Db_sanitize=address,undefined '-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all'

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer; UBSan
# findings are fatal. Includes the fuzz corpus/regression replays.
test-asan:
	@$(DEPS) build test sanitize
	export CC=$(SAN_CC); $(call SETUP,$(BUILD_ASAN),ASAN_OPTS)
	meson compile -C $(BUILD_ASAN) -j 2
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C $(BUILD_ASAN) --print-errorlogs --timeout-multiplier=4

# The whole suite under ThreadSanitizer, incl. tests/integration/test_threads
# (racing first calls and snorm_set_isa).
test-tsan:
	@$(DEPS) build test sanitize
	export CC=$(SAN_CC); $(call SETUP,$(BUILD_TSAN),TSAN_OPTS)
	meson compile -C $(BUILD_TSAN) -j 2
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	meson test -C $(BUILD_TSAN) --print-errorlogs --timeout-multiplier=4

# libFuzzer (clang) on fuzz/fuzz_api.c for FUZZ_SECONDS, starting from the
# seed corpus and the regressions; new findings land in $(BUILD_FUZZ)/crashes.
fuzz:
	@$(DEPS) build test sanitize
	export CC=clang; $(call SETUP,$(BUILD_FUZZ),FUZZ_OPTS)
	meson compile -C $(BUILD_FUZZ) -j 2 fuzz/fuzz_api
	mkdir -p $(BUILD_FUZZ)/corpus $(BUILD_FUZZ)/crashes
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	$(BUILD_FUZZ)/fuzz/fuzz_api -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(BUILD_FUZZ)/crashes/ \
	    $(BUILD_FUZZ)/corpus fuzz/corpus fuzz/regressions || \
	{ echo "fuzz: crash input(s) in $(BUILD_FUZZ)/crashes/; replay one with" \
	       "$(BUILD_FUZZ)/fuzz/fuzz_api FILE; once fixed, add it to fuzz/regressions/"; exit 1; }

# The suite under valgrind memcheck. Check's fork mode is off so memcheck
# sees the test bodies; AVX-512 variants skip (valgrind's CPU lacks them).
test-valgrind:
	@$(DEPS) build test valgrind
	$(call SETUP,$(BUILD_VALGRIND),MESON_OPTS)
	meson compile -C $(BUILD_VALGRIND) -j 2
	CK_FORK=no meson test -C $(BUILD_VALGRIND) --print-errorlogs --timeout-multiplier=20 \
	    --wrap='valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect --quiet'

# Consumers: install to a temporary prefix and build examples/consumer.c with
# pkg-config (shared and static), use simdnorm as a meson subproject, and
# check that the shared library exports only snorm_* symbols.
test-install:
	@$(DEPS) build install
	tests/integration/run-consumers.sh

clean:
	rm -rf $(BUILD)
