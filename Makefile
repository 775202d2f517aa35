# tattoo — build, test, install.  Sources are found by wildcard so that a
# new probe, command or sink is one new file, not a Makefile edit.

VERSION := $(shell cat VERSION)
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
DESTDIR ?=

CC ?= cc
PKGS := json-c libcurl openssl libbsd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
	echo -ljson-c -lcurl -lssl -lcrypto -lbsd)

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla \
	-Wno-unused-parameter
BASE_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE \
	-DTT_VERSION=\"$(VERSION)\" -Iagent -Iprobes -Ihardening -Ibuild/gen \
	$(PKG_CFLAGS)
CFLAGS ?= -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
SAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDLIBS := $(PKG_LIBS) -lpthread

SRCS := $(sort $(wildcard agent/*.c probes/*.c hardening/*.c hardening/*/*.c))
HDRS := $(wildcard agent/*.h probes/*.h hardening/*.h hardening/*/*.h)
LIB_SRCS := $(filter-out agent/main.c,$(SRCS))
# Data compiled into the binary: rule packs and scrub catalogues.
EMBED := $(sort $(wildcard hardening/rules/*.json hardening/scrub/*.json))

OBJS := $(LIB_SRCS:%.c=build/obj/%.o) build/obj/embedded.o
SAN_OBJS := $(LIB_SRCS:%.c=build/san/%.o) build/san/embedded.o
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/san/tests/%)

.PHONY: all deps test unit cli lint clean install bench check-banned man

all: build/tattoo

build/gen/embedded.S: $(EMBED) tools/embed.sh VERSION
	@mkdir -p $(@D)
	sh tools/embed.sh $(EMBED) > $@

build/obj/embedded.o build/san/embedded.o: build/gen/embedded.S
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
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(LDLIBS)

build/san/tests/%: tests/unit/%.c tests/unit/tt_test.h build/san/libtattoo.a
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -Itests/unit -o $@ $< \
		build/san/libtattoo.a $(LDLIBS) \
		$(shell sed -n 's,^/\* ldflags: \(.*\) \*/$$,\1,p' $<)

deps:
	@sh tools/deps.sh

# Man pages, tattoo(8) and tattoo-COMMAND(8), from the same markdown as the
# docs (docs/commands/*.md), dated by their last commit for reproducibility.
MANDIR ?= $(DATADIR)/man
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

# The whole suite, sanitized: unit tests, then command-line tests against
# build/san/tattoo.  tests/run.sh prints the closing "N passed, N failed".
test: build/san/tattoo $(UNIT_BINS)
	@sh tests/run.sh

check-banned:
	@! grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|system|popen)[[:space:]]*\(' \
		$(SRCS) $(HDRS) \
		| grep -v 'banned.h' || { echo "banned function used"; exit 1; }

lint: check-banned
	clang-format --dry-run --Werror $(SRCS) $(HDRS)
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,portability,performance \
		--suppress=missingIncludeSystem -Iagent -Iprobes -Ihardening \
		$(SRCS)

install: build/tattoo man
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DATADIR)/tattoo/rules \
		$(DESTDIR)$(SYSCONFDIR)/tattoo $(DESTDIR)$(MANDIR)/man8
	install -m 0755 build/tattoo $(DESTDIR)$(SBINDIR)/tattoo
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man8/
	for f in $(wildcard hardening/rules/*.json); do \
		install -m 0644 $$f $(DESTDIR)$(DATADIR)/tattoo/rules/; done
	test -e $(DESTDIR)$(SYSCONFDIR)/tattoo/agent.conf || \
		install -m 0644 agent.conf $(DESTDIR)$(SYSCONFDIR)/tattoo/agent.conf

clean:
	rm -rf build
