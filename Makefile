# tattoo — build, test, install.  Sources are found by wildcard so that a
# new probe, command or sink is one new file, not a Makefile edit.

VERSION := $(shell cat VERSION)
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
LOCALSTATEDIR ?= /var
MANDIR ?= $(DATADIR)/man
DESTDIR ?=

CC ?= cc
# libcurl and libarchive are loaded with dlopen when first needed (see
# agent/curl_dl.h, common/archive_dl.h): their headers are
# needed, not their linking.
PKGS := json-c openssl libbsd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libcurl libarchive 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
	echo -ljson-c -lssl -lcrypto -lbsd)

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla \
	-Wno-unused-parameter
BASE_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE \
	-DTT_VERSION=\"$(VERSION)\" -Icommon -Iprobes -Ihardening -Iagent -Ibuild/gen \
	$(PKG_CFLAGS)
CFLAGS ?= -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
# The sanitized test build keeps line tables and frames (a report names
# file and line), not GCC's variable tracking: a sixth of its compile time
# (issue 17); a debugger may show more locals "optimized out".
SAN_CFLAGS := -O1 -g -fno-var-tracking -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined
# The sanitizer runtimes linked in: the tests start tattoo thousands of
# times, and resolving libasan's and libubsan's symbols at each start was
# a seventh of its start-up.  Not position-independent: the instrumented
# binary's 76,000 relative relocations (mostly the sanitizers' descriptors
# of its 14,000 globals) wrote 1.5 MB of pages at every start, 5-7 ms of
# CPU of the 30-40 ms a start costs (issue 17).  Only the test build: the
# installed tattoo stays PIE.
SAN_LDFLAGS := $(if $(findstring clang,$(CC)),-static-libsan,\
	-static-libasan -static-libubsan) -no-pie
LDLIBS := $(PKG_LIBS) -lpthread -ldl

SRCS := $(sort $(wildcard common/*.c probes/*.c hardening/*.c hardening/*/*.c \
	agent/*.c))
HDRS := $(wildcard common/*.h probes/*.h hardening/*.h hardening/*/*.h agent/*.h)
LIB_SRCS := $(filter-out agent/main.c,$(SRCS))
# Data compiled into the binary: rule packs and scrub catalogues.
EMBED := $(sort $(wildcard hardening/rules/*.json hardening/scrub/*.json))

OBJS := $(LIB_SRCS:%.c=build/obj/%.o) build/obj/embedded.o
SAN_OBJS := $(LIB_SRCS:%.c=build/san/%.o) build/san/embedded.o
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/san/tests/%)

.PHONY: all deps test unit cli lint clean install bench check-banned deb rpm \
	check-layers check-cmd-size packs check-packs \
	test-package test-integration test-pipeline test-quickstart fuzz fuzz-build test-valgrind test-leaks test-crash test-matrix tidy man

all: build/tattoo

# The built-in rule packs also go in precompiled (hardening/pack_precompiled.c)
# by the agent's own parser: tools/packprecompile links every library object
# but the embedded data, which it is making.  Each build precompiles with
# its own objects (the sanitized build's tool runs sanitized): the release
# objects were half of what a clean clone's make test compiled (issue 17).
PACK_JSON := $(sort $(wildcard hardening/rules/*.json))
PRECOMPILED := $(PACK_JSON:hardening/rules/%.json=build/gen/%.pack)
HEADS := $(PRECOMPILED:.pack=.head)
SAN_PRECOMPILED := $(PACK_JSON:hardening/rules/%.json=build/san/gen/%.pack)
SAN_HEADS := $(SAN_PRECOMPILED:.pack=.head)

build/packprecompile: $(filter-out build/obj/embedded.o,$(OBJS)) \
    build/obj/tools/packprecompile.o
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/san/packprecompile: $(filter-out build/san/embedded.o,$(SAN_OBJS)) \
    build/san/tools/packprecompile.o
	$(CC) $(SAN_CFLAGS) $(SAN_LDFLAGS) -o $@ $^ $(LDLIBS)

build/gen/%.pack build/gen/%.head: hardening/rules/%.json build/packprecompile
	@mkdir -p $(@D)
	build/packprecompile $< build/gen/$*.pack build/gen/$*.head

build/san/gen/%.pack build/san/gen/%.head: hardening/rules/%.json \
    build/san/packprecompile
	@mkdir -p $(@D)
	build/san/packprecompile $< build/san/gen/$*.pack build/san/gen/$*.head

# The heads first: an audit reads them all and one pack.
build/gen/embedded.S: $(EMBED) $(PRECOMPILED) $(HEADS) tools/embed.sh VERSION
	@mkdir -p $(@D)
	sh tools/embed.sh $(HEADS) $(EMBED) $(PRECOMPILED) > $@

build/san/gen/embedded.S: $(EMBED) $(SAN_PRECOMPILED) $(SAN_HEADS) \
    tools/embed.sh VERSION
	@mkdir -p $(@D)
	sh tools/embed.sh $(SAN_HEADS) $(EMBED) $(SAN_PRECOMPILED) > $@

build/obj/embedded.o build/fuzz/embedded.o build/vg/embedded.o: \
    build/gen/embedded.S
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<

build/san/embedded.o: build/san/gen/embedded.S
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<

build/obj/%.o: %.c $(HDRS) VERSION
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: %.c $(HDRS) VERSION
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -c -o $@ $<

build/libtattoo.a: $(OBJS)
	rm -f $@
	ar rcs $@ $^

build/san/libtattoo.a: $(SAN_OBJS)
	rm -f $@
	ar rcs $@ $^

build/tattoo: build/obj/agent/main.o build/libtattoo.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/san/tattoo: build/san/agent/main.o build/san/libtattoo.a
	$(CC) $(SAN_CFLAGS) $(SAN_LDFLAGS) -o $@ $^ $(LDLIBS)

# A unit test's own source at -O0 (the library it tests stays -O1): a
# fifth of the unit tests' build, no change in their run (7 s of CPU
# either way; issue 17).  test-valgrind builds them at -O1 with the same
# warnings.
build/san/tests/%: tests/unit/%.c tests/unit/tt_test.h build/san/libtattoo.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -O0 $(SAN_LDFLAGS) -Itests/unit -o $@ $< \
		build/san/libtattoo.a $(LDLIBS) \
		$(shell sed -n 's,^/\* ldflags: \(.*\) \*/$$,\1,p' $<)

deps:
	@sh tools/deps.sh

# Hostile input (issue 9; tests/fuzz/README.md).  The library built with
# clang, the sanitizers and libFuzzer's coverage; one harness per parser,
# tests/fuzz/fuzz_<parser>.c, found by wildcard.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	-fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJS := $(LIB_SRCS:%.c=build/fuzz/%.o) build/fuzz/embedded.o
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/bin/%, \
	$(sort $(wildcard tests/fuzz/fuzz_*.c)))

build/fuzz/%.o: %.c $(HDRS) VERSION
	@mkdir -p $(@D)
	@echo "  CLANG   $@"
	@$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz/libtattoo.a: $(FUZZ_OBJS)
	rm -f $@
	ar rcs $@ $^

build/fuzz/bin/%: tests/fuzz/%.c tests/fuzz/fuzz.h build/fuzz/libtattoo.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer -Itests/fuzz -o $@ $< build/fuzz/libtattoo.a \
		$(LDLIBS)

fuzz-build: $(FUZZ_BINS)

# make fuzz FUZZ_SECONDS=N: each harness for N seconds, one after another.
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# The unit tests and the malformed-input suite (tests/cli/t09*) under
# valgrind, against a build without sanitizers and without
# _FORTIFY_SOURCE (valgrind takes glibc's __memmove_chk for a memcpy).
VG_CFLAGS := -O1 -g -fno-omit-frame-pointer
VG_OBJS := $(LIB_SRCS:%.c=build/vg/%.o) build/vg/embedded.o
VG_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/vg/tests/%)

build/vg/%.o: %.c $(HDRS) VERSION
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(BASE_CFLAGS) $(VG_CFLAGS) -c -o $@ $<

build/vg/libtattoo.a: $(VG_OBJS)
	rm -f $@
	ar rcs $@ $^

build/vg/tattoo: build/vg/agent/main.o build/vg/libtattoo.a
	$(CC) $(VG_CFLAGS) -o $@ $^ $(LDLIBS)

build/vg/tests/%: tests/unit/%.c tests/unit/tt_test.h build/vg/libtattoo.a
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(VG_CFLAGS) -Itests/unit -o $@ $< \
		build/vg/libtattoo.a $(LDLIBS) \
		$(shell sed -n 's,^/\* ldflags: \(.*\) \*/$$,\1,p' $<)

test-valgrind: build/vg/tattoo $(VG_UNIT_BINS) build/fault/faultshim.so \
    build/fault/status-poke
	@sh tests/valgrind/run.sh

# Fault injection (tests/fault/): an LD_PRELOAD shim failing write(),
# fsync() or rename*() at a chosen call, and a status.json writer for it.
build/fault/faultshim.so: tests/fault/faultshim.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -D_GNU_SOURCE -O1 -g -fPIC -shared -o $@ $< \
		-ldl

build/fault/status-poke: tests/fault/status-poke.c build/san/libtattoo.a
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) $(SAN_LDFLAGS) -o $@ $< build/san/libtattoo.a \
		$(LDLIBS)

# Man pages, tattoo(8) and tattoo-COMMAND(8), from the same markdown as the
# docs (docs/commands/*.md), dated by their last commit for reproducibility.
MAN_DATE := $(shell git log -1 --format=%cs -- docs/commands 2>/dev/null)
MAN_PAGES := build/man/tattoo.8 $(patsubst docs/commands/%.md,\
	build/man/tattoo-%.8,$(filter-out docs/commands/tattoo.md,\
	$(wildcard docs/commands/*.md)))

man: $(MAN_PAGES)

build/man/tattoo.8: docs/commands/tattoo.md tools/md2man.py VERSION
	@mkdir -p $(@D)
	python3 tools/md2man.py $(VERSION) "$(or $(MAN_DATE),unknown)" $< >$@.tmp
	mv $@.tmp $@

build/man/tattoo-%.8: docs/commands/%.md tools/md2man.py VERSION
	@mkdir -p $(@D)
	python3 tools/md2man.py $(VERSION) "$(or $(MAN_DATE),unknown)" $< >$@.tmp
	mv $@.tmp $@

# $(call build-parallel,TARGETS): builds TARGETS a job per CPU unless make
# was given a job count (a clean clone's make test spent half its time
# compiling one file at a time; issue 17).
NPROC := $(shell nproc 2>/dev/null || echo 1)
build-parallel = $(MAKE) --no-print-directory -s \
	$(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(NPROC)) $(1)
SAN_TEST_BUILD := build/san/tattoo build/fault/faultshim.so \
	build/fault/status-poke

# The whole suite, sanitized: unit tests and command-line tests against
# build/san/tattoo, TT_JOBS at a time (default 4 per CPU), the slowest
# first.  tests/run.sh prints the closing "N passed, N failed".
test:
	@+$(call build-parallel,$(SAN_TEST_BUILD) $(UNIT_BINS))
	@sh tests/run.sh

# The command-line tests again with LeakSanitizer at every tattoo exit
# (make test checks leaks in the unit tests only: see tests/run.sh), with
# ASan's whole 30-frame allocation stacks (make test keeps 2).
test-leaks:
	@+$(call build-parallel,$(SAN_TEST_BUILD))
	@TT_CLI_LEAKS=1 TT_MALLOC_STACK=30 sh tests/run.sh t0

# The kill tests at every crash point of each writer, not 10 of them.
test-crash:
	@+$(call build-parallel,$(SAN_TEST_BUILD))
	@TT_KILL_MAX=1000000 sh tests/run.sh fault-kill

# Every rule test scenario of tests/fixtures/verdicts, not the first pass
# and the first fail scenario of each rule (t0401).
test-matrix:
	@+$(call build-parallel,build/san/tattoo)
	@TT_SCENARIOS=all sh tests/run.sh t0401

# Benchmarks against peers on this machine: each bench/*/run prints its figures.
bench: build/tattoo
	@for b in bench/*/run; do echo "== $$b"; sh "$$b" || exit 1; done

# The rule packs are generated by tools/packgen/ (the Ubuntu and debian13
# packs from the debian12 one, rhel10 and sle15 from rhel9 and debian12) and read the SCAP Security Guide content that
# `make deps` installs.  `make packs` regenerates them in place;
# `make check-packs` fails when the checked-in JSON is not what the
# generators make today.  Each is written beside, then moved: a generator
# that stops leaves the checked-in pack as it was.
# Order matters: the derived packs read the checked-in packs they start from.
PACK_NAMES := debian12 rhel9 ubuntu2204 ubuntu2404 debian13 rhel10 sle15 azure
# rhel9.py falls back to CIS titles without its XCCDF: checked here, so
# that a missing package stops the run instead of rewriting the pack.
SSG_CONTENT := /usr/share/xml/scap/ssg/content
SSG_FILES := ssg-debian11-xccdf.xml ssg-ubuntu2204-xccdf.xml \
	ssg-rhel9-xccdf.xml ssg-sle15-xccdf.xml
ssg-present = for f in $(SSG_FILES); do test -f $(SSG_CONTENT)/$$f || { \
	echo "$(SSG_CONTENT)/$$f missing: make deps (ssg-debian, ssg-debderived, ssg-nondebian)"; \
	exit 1; }; done
# $(call packgen,VAR): the generator of the pack named by shell variable VAR.
packgen = case "$$$(1)" in \
	ubuntu*) python3 tools/packgen/ubuntu.py "$${$(1)\#ubuntu}" ;; \
	*) python3 tools/packgen/"$$$(1)".py ;; esac

packs:
	@$(ssg-present)
	@mkdir -p build/packs
	@for p in $(PACK_NAMES); do \
		$(call packgen,p) >build/packs/$$p.json && \
		mv build/packs/$$p.json hardening/rules/$$p.json || exit 1; \
	done

check-packs:
	@$(ssg-present)
	@mkdir -p build/packs-check
	@fail=0; for p in $(PACK_NAMES); do \
		$(call packgen,p) >build/packs-check/$$p.json || exit 1; \
		cmp -s hardening/rules/$$p.json build/packs-check/$$p.json || { \
			diff -u hardening/rules/$$p.json \
			    build/packs-check/$$p.json | head -40; \
			echo "hardening/rules/$$p.json is not what tools/packgen makes (make packs; SSG content: make deps)"; \
			fail=1; }; \
	done; exit $$fail

# common -> probes -> hardening -> agent: no include points up a layer.
check-layers:
	@sh tools/check-layers.sh

# No function in agent/cmd_*.c over 120 lines (issue 17): a command
# parses, calls one library function, prints and picks the exit code.
check-cmd-size:
	@sh tools/check-cmd-size.sh

check-banned:
	@! grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|system|popen|strerror)[[:space:]]*\(' \
		$(SRCS) $(HDRS) \
		| grep -v 'banned.h' || { echo "banned function used"; exit 1; }

# clang-tidy's bugprone, cert and security checks (.clang-tidy); a
# finding is fixed or carries a NOLINT(check) with the reason.
# The build's and the bench's own C programs are held to the same rules.
TOOL_SRCS := tools/packprecompile.c bench/report/floor.c

tidy:
	clang-tidy --quiet $(SRCS) $(TOOL_SRCS) -- $(BASE_CFLAGS)

lint: check-banned check-layers check-cmd-size tidy
	clang-format --dry-run --Werror $(SRCS) $(HDRS) $(TOOL_SRCS)
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,portability,performance \
		--suppress=missingIncludeSystem -Icommon -Iprobes -Ihardening -Iagent \
		'-Djson_object_object_foreach(o,k,v)=for (char *k = 0, *v = 0; k;)' \
		$(SRCS)

# The state directory holds harden journals (copies of /etc/shadow among
# them): root only.  Units are installed when the tree has them.
install: build/tattoo man
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DATADIR)/tattoo/rules \
		$(DESTDIR)$(SYSCONFDIR)/tattoo
	install -d -m 0700 $(DESTDIR)$(LOCALSTATEDIR)/lib/tattoo
	install -m 0755 build/tattoo $(DESTDIR)$(SBINDIR)/tattoo
	for f in $(wildcard hardening/rules/*.json); do \
		install -m 0644 $$f $(DESTDIR)$(DATADIR)/tattoo/rules/; done
	test -e $(DESTDIR)$(SYSCONFDIR)/tattoo/agent.conf || \
		install -m 0644 agent.conf $(DESTDIR)$(SYSCONFDIR)/tattoo/agent.conf
	for u in $(wildcard systemd/*.service systemd/*.timer); do \
		install -d $(DESTDIR)$(UNITDIR) && \
		install -m 0644 $$u $(DESTDIR)$(UNITDIR)/; done
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man8/

# Packages.  The version is the VERSION file's: the changelog and the spec
# are given it at build time, so the three cannot disagree.
PKGDIR := build/pkg

# debian/changelog exists only in the copy the package is built from
# (generated, it would dirty the checkout at every build).
deb:
	rm -rf $(PKGDIR)/src && mkdir -p $(PKGDIR)/src
	git ls-files -z | xargs -0 cp --parents -t $(PKGDIR)/src
	sed -e 's/@VERSION@/$(VERSION)/' \
	    -e "s/@DATE@/$$(date -R -d @$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)})/" \
	    debian/changelog.in >$(PKGDIR)/src/debian/changelog
	cd $(PKGDIR)/src && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -30 ../build.log; exit 1; }
	@ls $(PKGDIR)/tattoo_$(VERSION)_*.deb

rpm:
	rm -rf $(PKGDIR)/rpmbuild && mkdir -p $(PKGDIR)/rpmbuild/SOURCES
	git ls-files -z | tar --null -T - --transform 's,^,tattoo-$(VERSION)/,' \
		-czf $(PKGDIR)/rpmbuild/SOURCES/tattoo-$(VERSION).tar.gz
	rpmbuild --define "_topdir $(CURDIR)/$(PKGDIR)/rpmbuild" \
		--define "tt_version $(VERSION)" --nodeps -bb rpm/tattoo.spec \
		>$(PKGDIR)/rpmbuild.log 2>&1 || { tail -30 $(PKGDIR)/rpmbuild.log; exit 1; }
	@ls $(PKGDIR)/rpmbuild/RPMS/*/tattoo-$(VERSION)-1*.rpm

test-package:
	@sh tests/package/run.sh

# harden on a copy of a debootstrap Debian 12 tree, checked with pamtester,
# sshd -t, visudo -c, pwck and grpck in a chroot (tests/integration/run.sh).
test-integration:
	@sh tests/integration/run.sh
	@sh tests/integration/trixie.sh

# The image pipelines of docs/ (the VM Image Builder template and the
# Packer example) run step by step in a chroot of a debootstrap Debian 12
# tree with the .deb installed (tests/pipeline/run.sh).
test-pipeline:
	@sh tests/pipeline/run.sh

# README.md's quick start, as it is, as root in a chroot of a fresh
# debootstrap Debian 12 tree (tests/quickstart/run.sh).
test-quickstart:
	@sh tests/quickstart/run.sh

clean:
	rm -rf build
