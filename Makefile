# clvkit: two commands on a fresh Debian/Ubuntu machine: `make demo` and `make test`.
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release demo test bench bench-markdown bench-10m fuzz notebooks check-boundary lint format clean check-campaign-null check-intervals check-covariate-coverage \
	spark-deps spark-test

all: build

# Installs the BLAS/LAPACK headers and libraries when they are missing (apt-get, with sudo when
# not root); on a machine without apt-get, says what to install.
deps:
	@if [ -e /usr/include/lapacke.h ] && { [ -e /usr/include/cblas.h ] || ls /usr/include/*/cblas.h >/dev/null 2>&1; } \
	    && ldconfig -p 2>/dev/null | grep -q libopenblas; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing $(APT_PACKAGES) with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	else \
	  echo "clvkit needs OpenBLAS and LAPACKE (Debian/Ubuntu: $(APT_PACKAGES)); please install them." >&2; exit 1; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The main job on the bundled demo data: summarize, train, evaluate, score, target, report.
demo: release
	.build/release/clv demo --out clv-demo

# The release-mode benchmark: simulated order logs (seeded, cached under .build/bench-data) at
# 10k, 100k and 1M customers: the in-process stages, then each command as users run it (a child
# process: wall, CPU, peak RSS) and, when .venv-bench exists (scripts/bench/make-venv.sh),
# lifetimes 0.11.3 on the same file with the ratio; prints tables and writes
# .build/bench-results.json. Then the churn-logit fit on 1M customers x 10 features, and the
# sBG and BdW on 1M simulated subscribers (read, fit, score). The tables of
# notebooks-md/guides/performance.md, ready to paste, go to .build/bench-results.md
# (`make bench-markdown` prints them again from .build/bench-results.json).
bench: release
	.build/release/clv-bench --sizes 10000,100000,1000000
	.build/release/clv-bench --markdown .build/bench-results.json > .build/bench-results.md
	@echo "wrote .build/bench-results.md (the guide's tables)"
	.build/release/churn-benchmark
	.build/release/subscriber-benchmark

bench-markdown: release
	.build/release/clv-bench --markdown .build/bench-results.json

# The same at 10M customers, to show how cost grows (about 700 MB of simulated orders).
bench-10m: release
	.build/release/clv-bench --sizes 10000000 --json .build/bench-results-10m.json

# The seeded mutation fuzzer of every file reader (orders, summaries, model files, scores, run
# files, attributes, customer lists), release build: FUZZ_SECONDS=600 for ten minutes,
# FUZZ_SEED for another sequence. The test suite runs it for 20 s (FuzzCommandTests).
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 1
fuzz: release
	.build/release/clv-fuzz --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED)

# Null campaigns: how often the readout's 95% intervals cover 0 over 1,000 seeds of 5,000
# customers, against an exact binomial bar (issue 15; release build; CONTROL=10% for a 10%
# control group; METHODS="welch bootstrap-t", the --interval methods of clv measure, both by
# default, on the same campaigns; notebooks-md/guides/campaigns.md records the results).
CONTROL ?= 50%
METHODS ?= welch bootstrap-t
check-campaign-null: deps
	scripts/check-campaign-null.sh 5000 1000 $(CONTROL) "$(METHODS)"

# Coverage of the 90% parameter-draw intervals over 200 seeds (predicted holdout totals and
# per-customer expected purchases against their values at the true parameters), then their
# speed at 1M customers (issue 17; release; notebooks-md/guides/intervals.md).
check-intervals: deps
	$(SWIFT) build -c release --product interval-check
	.build/release/interval-check

# Covariates: coverage of the 95% intervals of BG/NBD with a channel attribute over 20 seeds of
# 50,000 simulated customers (issue 16; release; prints one count per parameter).
check-covariate-coverage: deps
	scripts/check-covariate-coverage.sh

# Only Sources/CLVNumerics/LinearAlgebra may import the C module (STYLE.md; also a unit test).
check-boundary:
	@bad=$$(grep -rlE '^\s*(@_[a-zA-Z]+\s+)?import\s+([a-z]+\s+)?CLAPACK\b' Sources --include='*.swift' | grep -v '^Sources/CLVNumerics/LinearAlgebra/' || true); \
	if [ -n "$$bad" ]; then echo "CLAPACK imported outside Sources/CLVNumerics/LinearAlgebra: $$bad" >&2; exit 1; fi

# swift-format with the committed .swift-format; any warning fails the build.
lint:
	$(SWIFT) format lint --strict -r Sources Tests Benchmarks Examples Fuzz Package.swift

# Formats the tree in place.
format:
	$(SWIFT) format format -i -r Sources Tests Benchmarks Examples Fuzz Package.swift

test: deps check-boundary lint
	$(SWIFT) test

# Apache Spark (integrations/spark): Java 17 and python3-venv from apt when missing, then a venv
# with the pinned pyspark and pytest from PyPI (integrations/spark/requirements.txt).
SPARK_VENV ?= .build/spark-venv
SPARK_APT_PACKAGES := openjdk-17-jre-headless python3-venv
spark-deps:
	@if command -v java >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing $(SPARK_APT_PACKAGES) with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SPARK_APT_PACKAGES); \
	else \
	  echo "integrations/spark needs Java 17 and Python 3 with venv; please install them." >&2; exit 1; \
	fi
	@[ -x $(SPARK_VENV)/bin/python ] || python3 -m venv $(SPARK_VENV)
	@$(SPARK_VENV)/bin/python -c 'import pyspark, pytest' 2>/dev/null \
	  || $(SPARK_VENV)/bin/pip install -q -r integrations/spark/requirements.txt

# Spark in local[2] against the clv binary (debug build): summaries equal clv summarize on
# CDNOW master and the demo data, weighted fits on Spark's distinct rows equal full fits,
# sharded scores equal clv score, and the spark-submit script runs as the guide shows.
spark-test: build spark-deps
	cd integrations/spark && CLV_BIN=$(CURDIR)/.build/debug/clv \
	  $(CURDIR)/$(SPARK_VENV)/bin/python -m pytest -q -p no:cacheprovider tests

# Re-runs every notebook's commands and rewrites their recorded output (review the diff!).
notebooks: deps
	CLV_UPDATE_NOTEBOOKS=1 $(SWIFT) test --filter NotebookTests

clean:
	rm -rf .build
