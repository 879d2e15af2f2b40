# nianbao: two commands do everything on a fresh Debian machine with Go and npm:
#   make demo   fetch the embedded engine, build, and run the end-to-end demo
#   make test   also install Debian's clickhouse-server, then run every test
# Other targets: setup, build, clean.

GO      ?= go
BIN     := bin/nianbao
DATA    ?= ./nianbao-data
export CHDB_LIB_PATH ?= $(CURDIR)/.deps/chdb/libchdb.so

.PHONY: all setup test-setup build demo test clean

all: build

# The embedded ClickHouse engine (libchdb, pinned), poppler's pdftotext
# for PDF reports, and the CJK font the simulator embeds in the PDF
# reports it serves.
setup:
	scripts/fetch-libchdb
	scripts/apt-install poppler-utils fonts-wqy-zenhei
	$(GO) mod download

# Tests also need a real ClickHouse server and PDF fonts for rendering, and
# ZooKeeper for the cluster tests (two servers, ON CLUSTER DDL).
test-setup: setup
	scripts/apt-install clickhouse-server clickhouse-client zookeeper

build:
	$(GO) build -o $(BIN) ./cmd/nianbao

demo: setup build
	$(BIN) demo --warehouse chdb://$(DATA)/warehouse

test: test-setup
	scripts/test

clean:
	rm -rf bin $(DATA)
