# The CRM: one flat Makefile. Paths are variables; put machine-specific
# overrides in Makefile.local (not committed).

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
CGIBIN    ?= $(PREFIX)/lib/crm/cgi-bin
DATADIR   ?= $(PREFIX)/share/crm
SYSCONFDIR ?= /etc/crm

CC        ?= cc
CLANG     ?= clang
OPT       ?= -O2 -g
WARN      = -Wall -Wextra -Wformat=2 -Wshadow -Werror
CPPFLAGS  = -std=c11 -D_GNU_SOURCE -Ilib -I/usr/include/mariadb
CFLAGS    = $(OPT) $(WARN) -fstack-protector-strong -D_FORTIFY_SOURCE=2 -MMD -MP
LDLIBS    = -lfcgi -lmariadb -ljansson -linih -lsodium -lqrencode -lcrypto -lldap -llber -lcsv -lcurl -lz -llinear -lgsl -lgslcblas -lm
SAN       = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_TIME ?= 60
FUZZ_SECONDS ?= $(FUZZ_TIME)

sinclude Makefile.local

# Quiet by default; make V=1 prints every command.
ifeq ($(V),1)
Q =
else
Q = @
endif

MODULES   = admin customers sales service marketing reports automation dav
# Libraries only some modules link: PDF documents and statistics for sales.
LDLIBS_sales = -lhpdf -lgsl -lgslcblas -lm
# Markdown for the knowledge base, SMTP for outgoing mail.
LDLIBS_service = -lcmark -lcurl
LDLIBS_marketing = -lcurl
# CalDAV and CardDAV request bodies are XML.
LDLIBS_dav = -lxml2
build/modules/dav/%.o: CPPFLAGS += -I/usr/include/libxml2
# What lib/ itself needs beyond LDLIBS (crm_trend.c's least squares), for
# the programs that link every lib object rather than the archive.
LDLIBS_lib = -llinear -lgsl -lgslcblas -lm $(GMIME_LIBS)
# Incoming mail (lib/crm_mime.c) is read with GMime: its headers only for
# that file, its libraries only for the mailbox runner and the tests.
GMIME_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags gmime-3.0 2>/dev/null))
GMIME_LIBS := $(shell pkg-config --libs gmime-3.0 2>/dev/null)
LDLIBS_automation = $(GMIME_LIBS)
build/lib/crm_mime.o build/asan/lib/crm_mime.o: CPPFLAGS += $(GMIME_CFLAGS)
# lib/analytics/: the statistics methods, pure C without the database.
LIB_SRC   = $(wildcard lib/*.c lib/analytics/*.c)
LIB_OBJ   = $(LIB_SRC:%.c=build/%.o)
BINS      = $(MODULES:%=cgi-bin/crm-%) cgi-bin/crmctl
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

.PHONY: all deps run stop check security security-xss unit unit-plain fuzz-build fuzz fault cluster bench valgrind install clean

LOCALES   = $(patsubst po/%.po,%,$(wildcard po/*.po))
MO        = $(LOCALES:%=build/locale/%.mo)

# One C driver per reference check: tests/analytics/<name>_ref.c.
ANALYTICS_REF = $(patsubst tests/analytics/%.c,build/analytics/%,$(wildcard tests/analytics/*_ref.c))

all: $(BINS) build/bench/bare build/bench/bare_sql $(ANALYTICS_REF) $(MO)

# Translations: po/<lang>.po compiled by gettext's msgfmt; read by lib/crm_i18n.c.
build/locale/%.mo: po/%.po
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)msgfmt --check -o $@ $<

build/%.o: %.c
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

build/libcrm.a: $(LIB_OBJ)
	$(Q)rm -f $@
	@echo "  build $@"
	$(Q)ar rcs $@ $^

define module_rule
cgi-bin/crm-$(1): $$(patsubst %.c,build/%.o,$$(wildcard modules/$(1)/*.c)) build/libcrm.a
	@mkdir -p cgi-bin
	@echo "  build $$@"
	$$(Q)$$(CC) $$(CFLAGS) -o $$@ $$^ $$(LDLIBS) $$(LDLIBS_$(1))
endef
$(foreach m,$(MODULES),$(eval $(call module_rule,$(m))))

cgi-bin/crmctl: $(patsubst %.c,build/%.o,$(wildcard modules/crmctl/*.c)) build/libcrm.a
	@mkdir -p cgi-bin
	@echo "  build $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The bare fcgi2 program make bench compares our pages against.
build/bench/bare: tests/bench/bare.c
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lfcgi

build/bench/bare_sql: tests/bench/bare_sql.c
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lfcgi -lmariadb

# The C side of the scikit-learn reference checks (tests/analytics/run.sh).
build/analytics/%_ref: tests/analytics/%_ref.c build/libcrm.a
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests run from a separate AddressSanitizer + UBSan build.
build/asan/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)$(CC) $(CPPFLAGS) $(OPT) $(WARN) $(SAN) -MMD -MP -c $< -o $@

build/asan/tests/%: tests/unit/%.c $(LIB_SRC:%.c=build/asan/%.o)
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)$(CC) $(CPPFLAGS) $(OPT) $(WARN) $(SAN) -o $@ $^ $(LDLIBS) $(LDLIBS_lib) -lcmocka

unit: $(UNIT_BIN)

# The same tests without sanitizers, for valgrind.
build/plain/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)$(CC) $(CPPFLAGS) $(OPT) $(WARN) -o $@ $^ $(LDLIBS) $(LDLIBS_lib) -lcmocka

unit-plain: $(UNIT_SRC:tests/unit/%.c=build/plain/tests/%)

build/fuzz/%: tests/fuzz/%.c $(LIB_SRC)
	@mkdir -p $(@D)
	@echo "  build $@"
	$(Q)$(CLANG) $(CPPFLAGS) $(GMIME_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS) $(LDLIBS_lib)

fuzz-build: $(FUZZ_BIN)

deps:
	@sh scripts/deps.sh

run: deps all
	@sh scripts/stack.sh start var 8080

stop:
	@sh scripts/stack.sh stop var

check: deps all unit fuzz-build
	@sh scripts/check.sh

# Hostile input at length: sqlmap level 3 risk 2 over every route (about
# an hour; SQLMAP_CAP caps each route, in seconds).
security: deps all
	@sh scripts/security.sh

fuzz: fuzz-build
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)

# The fault tests at the issue's figures (make check runs a short form):
# ten SIGHUPs per module under load, ten seconds without the database,
# bigger jobs killed half way, a full disk. Needs root (a small tmpfs).
fault: deps all
	@mkdir -p build/check/fault; bash tests/fault/run.sh --full | tee build/check/fault/results.txt; \
	! grep -q '^FAIL - ' build/check/fault/results.txt

# Three Galera nodes and two hosts of every module behind nginx, under
# load, losing a node and a host (make check runs it with less load).
# Needs root: the nodes run as the mysql user.
cluster: deps all
	@mkdir -p build/check/cluster; CLUSTER_LOAD_SECONDS=$${CLUSTER_LOAD_SECONDS:-30} \
	bash tests/cluster/run.sh | tee build/check/cluster/results.txt; \
	! grep -q '^FAIL - ' build/check/cluster/results.txt

# Every XSS payload through every text field (make check sends one per
# field), against a private stack of its own (tests/security/xss-full.sh).
security-xss: deps all
	@sh tests/security/xss-full.sh

bench: deps all
	@sh scripts/bench.sh
	@sh scripts/bench-screens.sh
	@sh scripts/bench-customers.sh
	@sh scripts/bench-import.sh
	@sh scripts/bench-sales.sh
	@sh scripts/bench-service.sh
	@sh scripts/bench-marketing.sh
	@sh scripts/bench-reports.sh
	@sh scripts/bench-analytics.sh
	@sh scripts/bench-automation.sh

valgrind: deps all unit-plain fuzz-build
	@sh scripts/check.sh --valgrind

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(CGIBIN) $(DESTDIR)$(DATADIR) $(DESTDIR)$(SYSCONFDIR)
	install -m 755 cgi-bin/crmctl $(DESTDIR)$(BINDIR)/crmctl
	install -m 755 $(MODULES:%=cgi-bin/crm-%) $(DESTDIR)$(CGIBIN)/
	cp -R html/templates html/static sql/migrations build/locale $(DESTDIR)$(DATADIR)/
	[ -f $(DESTDIR)$(SYSCONFDIR)/crm.conf ] || install -m 640 crm.conf.example $(DESTDIR)$(SYSCONFDIR)/crm.conf

clean:
	rm -rf build cgi-bin

-include $(shell find build -name '*.d' 2>/dev/null)
