# Hvalfangst: the Heroes API, its confidential client and a local Entra ID, in Swift.
# `make help` lists the targets.

SHELL := /bin/bash
SWIFT ?= swift
TEST_LOG := .build/test.log

.DEFAULT_GOAL := help
.PHONY: help deps browser-tools msal-tools build test image-check lint lint-infra clean run-server run-server-postgres run-authority run-client demo demo-tls dev bench-jose bench-validation bench-http count-http cpu-http

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## Install the system packages the build needs (apt-get; sudo when not root)
	@scripts/install-system-packages.sh

browser-tools: ## Install headless Chromium and selenium (venv in .build) for the real-browser test
	@scripts/install-browser-test-tools.sh

build: deps ## Debug build of every target, tests included
	$(SWIFT) build --build-tests

msal-tools: ## Install pinned MSAL Python and azure-identity (venv in .build) for the MSAL test
	@scripts/install-msal-test-tools.sh

test: deps browser-tools msal-tools ## Build and run every test (the real-browser and MSAL ones included), then print the summary
	@mkdir -p .build
	@set -o pipefail; HVALFANGST_REQUIRE_BROWSER=1 HVALFANGST_REQUIRE_MSAL=1 $(SWIFT) test 2>&1 | tee $(TEST_LOG); status=$$?; \
	echo; echo "== Test summary =="; \
	grep -aE 'Test run with [0-9]+ tests?' $(TEST_LOG) | tail -n 1 || echo "No test summary: see $(TEST_LOG)"; \
	exit $$status

demo: deps ## Run the whole system and show it working: sign in, create, list, get, delete, restart (exit 0 when every step passed)
	$(SWIFT) build
	$$($(SWIFT) build --show-bin-path)/hero-demo

demo-tls: deps ## The demo with local-entra on HTTPS (its development CA, trusted by hero-server and hero-client through HVALFANGST_CA_FILE)
	$(SWIFT) build
	$$($(SWIFT) build --show-bin-path)/hero-demo --tls --data data/demo-tls

dev: deps ## Start the three processes for interactive use; Ctrl-C stops them
	$(SWIFT) build
	$$($(SWIFT) build --show-bin-path)/hero-demo --dev --data data/dev

run-authority: deps ## Run local-entra, the development Entra ID, on 127.0.0.1:9000 (state in data/local-entra)
	$(SWIFT) run local-entra serve

run-server: deps ## Run hero-server, the Heroes API, on 127.0.0.1:8080 (settings from the environment or .env)
	$(SWIFT) run hero-server

run-server-postgres: deps ## Run hero-server on a local PostgreSQL cluster in data/postgres (127.0.0.1:5433; stops with it)
	@scripts/run-server-postgres.sh

run-client: deps ## Run hero-client, the signed-in proxy of the Heroes API, on 127.0.0.1:8000 (settings from .env_oauth)
	$(SWIFT) run hero-client serve

bench-jose: deps ## JOSE RS256 verify benchmarks against a bare CryptoExtras verify and jwt-kit (release build; slow the first time)
	$(SWIFT) package --package-path Benchmarks --scratch-path $(CURDIR)/.build-bench benchmark --target JOSEBenchmarks

bench-validation: deps ## Access-token validation of 1,000 distinct tokens from 1 and 8 tasks (release build; slow the first time)
	$(SWIFT) package --package-path Benchmarks --scratch-path $(CURDIR)/.build-bench benchmark --target TokenValidationBenchmarks

bench-http: deps ## hero-server under wrk on SQLite and PostgreSQL: req/s, p50, p99, ratios to GET /, RSS, start time (release build in .build-release)
	python3 Benchmarks/bench-http.py

count-http: deps ## hero-server's instructions per request under valgrind's callgrind, per case and against GET / (repeatable; release build in .build-release)
	python3 Benchmarks/count-http.py

cpu-http: deps ## Whose CPU a request costs under wrk: hero-server's user and system time, context switches, the database server's time (release build in .build-release)
	python3 Benchmarks/cpu-http.py

image-check: deps ## Build hero-server as the Dockerfile does and run it in a debootstrap of the runtime image (root; slow the first time)
	@scripts/image-check.sh

lint: ## Check formatting against .swift-format
	$(SWIFT) format lint --recursive --strict Package.swift Modules Apps Tests Tools

lint-infra: ## Check the Dockerfile, workflows, Terraform and deployment scripts (hadolint, actionlint, zizmor, shellcheck, checkov, contract test)
	@scripts/lint-infra.sh

clean: ## Remove build products (keeps data/)
	rm -rf .build .build-*
