# dexcheck — build, test, demo, bench, fuzz, install.
#
#   make            the library and the dexcheck tool (build/release/)
#   make demo       install missing packages, build, run the main job on examples/
#   make test       install missing packages, build, run the whole suite twice: as built and
#                   under AddressSanitizer + UndefinedBehaviorSanitizer; ends "N passed, N failed"
#   make eval       name-matching accuracy on ../shared/data/matching (precision, recall, F1;
#                   OFAC parity)
#   make bench      benchmarks (figures as ratios against a baseline measured in the same run)
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each (clang)
#   make reliability  docs/reliability.md from the last campaign's logs in RELIABILITY_LOGS
#   make install    PREFIX=/usr/local DESTDIR=  binary, man page, rules
#
# VARIANT=release|san|fuzz selects the build folder and flags; the top-level targets recurse.
# BUILD_ROOT (default build) is where the variant folders go, so two builds can run side by side.

VARIANT ?= release
BUILD_ROOT ?= build
B := $(BUILD_ROOT)/$(VARIANT)
PREFIX ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 60
RELIABILITY_LOGS ?= build-fuzz

PKGS := icu-uc icu-i18n sqlite3 xlsxwriter libxml-2.0 libzip jansson libcurl
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lcsv -pthread
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
DEFS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DDX_SOURCE_ROOT='"$(CURDIR)"' \
        -DDX_SHARE_DIR='"$(PREFIX)/share/dexcheck"'
ifeq ($(VARIANT),san)
  CC ?= cc
  OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  LDOPT := -fsanitize=address,undefined
else ifeq ($(VARIANT),fuzz)
  CC := clang
  OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
  LDOPT := -fsanitize=fuzzer,address,undefined
else
  OPT := -O2 -g
  LDOPT :=
endif
CFLAGS_ALL = $(DEFS) $(WARN) $(OPT) -Iinclude -Isrc/lib $(PKG_CFLAGS) $(CFLAGS)

LIB_SRC := $(sort $(wildcard src/lib/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
REPLAY_BIN := $(FUZZ_NAMES:%=$(B)/tests/replay_%)

.PHONY: all lib test test-run check-variant demo demo-run eval bench bench-run fuzz fuzz-run \
        install clean deps docs reliability

all: $(B)/dexcheck

lib: $(B)/libdexcheck.a

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(B)/libdexcheck.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/dexcheck: $(CLI_OBJ) $(B)/libdexcheck.a
	$(CC) $(OPT) $(LDOPT) -o $@ $(CLI_OBJ) $(B)/libdexcheck.a $(PKG_LIBS) $(LDFLAGS)

$(B)/tests/%: tests/unit/%.c $(B)/libdexcheck.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(B)/libdexcheck.a $(PKG_LIBS) $(CMOCKA_LIBS) $(LDOPT)

# A fuzz target linked with a plain main() that replays saved inputs: make test runs these.
$(B)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(B)/libdexcheck.a $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< tests/fuzz/replay_main.c $(B)/libdexcheck.a $(PKG_LIBS) $(LDOPT)

# Documentation generated from the code (docs/records.md, docs/errors.md).
$(B)/tools/gen_docs: tests/tools/gen_docs.c $(B)/libdexcheck.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(B)/libdexcheck.a $(PKG_LIBS) $(LDOPT)

# Writes the report outputs from a fixture of hand-made results (tests/cli/report*.sh).
$(B)/tools/report_fixture: tests/tools/report_fixture.c $(B)/libdexcheck.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(B)/libdexcheck.a $(PKG_LIBS) $(LDOPT)

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(B)/libdexcheck.a $(wildcard tests/fuzz/*.h)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(B)/libdexcheck.a $(PKG_LIBS) $(LDOPT) -lstdc++

deps:
	@scripts/install-deps.sh

# The suite: as built, then under the sanitizers; one closing line for both.
test: deps
	@$(MAKE) --no-print-directory VARIANT=release check-variant
	@$(MAKE) --no-print-directory VARIANT=san check-variant
	@tests/run.sh --summary $(BUILD_ROOT)/release $(BUILD_ROOT)/san

check-variant: $(B)/dexcheck $(UNIT_BIN) $(REPLAY_BIN) $(B)/tools/gen_docs $(B)/tools/report_fixture
	@tests/run.sh $(B)

demo: deps
	@$(MAKE) --no-print-directory VARIANT=release all
	@scripts/demo.sh build/release/dexcheck

eval: deps
	@$(MAKE) --no-print-directory VARIANT=release all
	@scripts/eval.sh build/release/dexcheck
	@scripts/eval-search.sh build/release/dexcheck

bench: deps
	@$(MAKE) --no-print-directory VARIANT=release all
	@scripts/bench.sh build/release

fuzz: deps
	@$(MAKE) --no-print-directory VARIANT=fuzz fuzz-run

fuzz-run: $(FUZZ_NAMES:%=$(B)/fuzz_%)
	@scripts/fuzz.sh $(B) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# docs/reliability.md from the logs of the last fuzzing campaign and hostile-input measurement
# (scripts/fuzz.sh and scripts/reliability-hostile.sh write them under RELIABILITY_LOGS).
reliability:
	@scripts/reliability.sh $(RELIABILITY_LOGS) > docs/reliability.md.tmp
	@mv docs/reliability.md.tmp docs/reliability.md

docs: $(B)/tools/gen_docs
	$(B)/tools/gen_docs records > docs/records.md
	$(B)/tools/gen_docs errors > docs/errors.md

install: $(B)/dexcheck
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	           $(DESTDIR)$(PREFIX)/share/dexcheck/rules $(DESTDIR)$(PREFIX)/share/dexcheck/lists
	install -m 755 $(B)/dexcheck $(DESTDIR)$(PREFIX)/bin/dexcheck
	install -m 644 docs/dexcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/dexcheck.1
	cp -R rules/. $(DESTDIR)$(PREFIX)/share/dexcheck/rules/
	install -m 644 lists/catalogue.tsv $(DESTDIR)$(PREFIX)/share/dexcheck/lists/catalogue.tsv

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
