# Campus Charge — the two commands: `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
BIN := bin/campuscharge
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
WEB_SRC := $(shell find web/src web/index.html web/admin web/public web/vite.config.ts web/tsconfig*.json -type f 2>/dev/null)

.PHONY: run build web lint test test-go test-web fuzz bench clean

## run: build the UI if missing or stale, then start the server with a demo campus on :8080
run: web/dist/index.html
	$(GO) run ./cmd/campuscharge serve --demo

## build: the single binary, with the UI embedded
build: web/dist/index.html
	$(GO) build -o $(BIN) ./cmd/campuscharge

web: web/dist/index.html

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SRC)
	cd web && npm run build

## lint: gofmt, go vet, staticcheck
lint:
	@out="$$(gofmt -l cmd internal web/*.go)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

## test: everything — lint, Go tests on every configured database, web unit tests, browser tests
test: lint build test-go test-web

# Go tests; the log is kept whole in .test-go.log, the screen shows results per
# package, per database engine, and any failure.
test-go:
	set -o pipefail; $(GO) test -race -count=1 -timeout 8m -v ./... 2>&1 | tee .test-go.log | \
	  grep -E '^(ok|FAIL|panic:|--- FAIL)|^ +--- (PASS|FAIL|SKIP): [^ ]+/(sqlite|mysql|postgres) |^ +--- FAIL|_test\.go:[0-9]+:'

test-web: web/node_modules/.installed build
	cd web && npm run test:unit
	cd web && CAMPUSCHARGE_BIN=../$(BIN) npm run test:e2e

## fuzz: run the OCPP fuzz targets for a while (FUZZTIME=2m)
FUZZTIME ?= 1m
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseFrame -fuzztime $(FUZZTIME) ./internal/ocpp/
	$(GO) test -run '^$$' -fuzz FuzzValidateRequest -fuzztime $(FUZZTIME) ./internal/ocpp/

## bench: the Go benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin web/dist/assets web/dist/index.html web/dist/admin .test-go.log
