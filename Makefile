# tokendyn — the executable companion of "Demystifying the Token Dynamics of
# Deep Selective State Space Models" (Vo, Pham, Tong, Nguyen; ICLR 2025).
#
#   make setup     install everything the other targets need (idempotent)
#   make figures   regenerate every figure and table into figures/ (EXPERIMENTS=quick|full), and the claims ledger
#   make claims    the claims ledger only: every claim of the paper, its check and verdict (figures/claims.*)
#   make test      go vet, go test, short fuzz runs, one committed run of each experiment replayed, every notebook executed
#   make notebooks execute every notebook headless into build/notebooks/ (+ HTML)
#   make report    figures, then the notebooks with them, then the offline site build/site/
#   make test-site open build/site in headless chromium: math typeset, charts drawn, no console error
#   make bench     the speed benchmarks (scan, training, theory)
#   make clean     remove build/, figures/ and the test caches
#
# Everything runs on the CPU. See README.md for what each target writes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
PYTHON    := /usr/bin/python3
GOPATHBIN := $(shell $(GO) env GOPATH)/bin
export PATH := $(GOPATHBIN):$(dir $(shell command -v $(GO))):$(PATH)
# Reproducible floating point and binaries: no FMA-dependent pixels.
export GOAMD64 := v1

BUILD     := $(CURDIR)/build
STAMPS    := $(BUILD)/stamps
# The kernel used for headless runs lives in build/ and prints raw errors.
NB_JUPYTER_DATA := $(BUILD)/jupyter
NB_OUT    := $(BUILD)/notebooks
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# Fuzz budgets are execution counts (pkg:Target:N below), not durations: with a
# duration, go1.26's coordinator can report a spurious "context deadline
# exceeded" when -fuzztime expires on a loaded machine (golang/go#75804, fixed
# in go1.27). FUZZTIME=30s (say) overrides every count for a longer local run.
FUZZTIME  ?=

DEB_PACKAGES := jupyter-notebook python3-nbconvert python3-nbclient jupyter-client python3-ipykernel \
                dict-gcide dataset-fashion-mnist
GOPLS_VERSION     := v0.21.1
GOIMPORTS_VERSION := v0.52.0
GONB_VERSION      := v0.11.5

.PHONY: help setup setup-deb setup-go-tools setup-npm setup-kernel figures claims test test-go test-fuzz test-figures test-replay \
        report test-site \
        notebooks bench clean tokendyn

help:
	@sed -n 's/^#   //p' Makefile

## ---------------------------------------------------------------- setup

setup: setup-deb setup-go-tools setup-npm setup-kernel
	@echo "setup: done (Debian packages, goimports, gopls $(GOPLS_VERSION), echarts from npm, GoNB $(GONB_VERSION) kernel)"

# Debian packages: installed when missing if we are root, otherwise the exact
# command is printed and make stops.
setup-deb:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -z "$$missing" ]; then echo "setup: Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "setup: missing Debian packages:$$missing"; \
	  echo "setup: run:  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; \
	fi; \
	echo "setup: installing Debian packages:$$missing"; \
	apt-get update -qq; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	echo "setup: Debian packages installed"

# GoNB needs goimports and gopls on PATH (gopls pinned: newer ones need Go 1.27).
setup-go-tools:
	@if ! command -v goimports >/dev/null; then \
	  echo "setup: installing goimports $(GOIMPORTS_VERSION)"; \
	  $(GO) install golang.org/x/tools/cmd/goimports@$(GOIMPORTS_VERSION); fi
	@if ! gopls version 2>/dev/null | grep -q "$(GOPLS_VERSION)"; then \
	  echo "setup: installing gopls $(GOPLS_VERSION)"; \
	  $(GO) install golang.org/x/tools/gopls@$(GOPLS_VERSION); fi
	@echo "setup: goimports and gopls $(GOPLS_VERSION) present"

# ECharts for the interactive charts and MathJax for the site, from npm,
# pinned by package-lock.json.
setup-npm: $(STAMPS)/npm
$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	@echo "setup: installing echarts and mathjax from npm (package-lock.json)"
	@npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

# Two kernel installs of the pinned GoNB: one in build/ with raw text errors
# for headless runs, one in the user's Jupyter directory for interactive use.
setup-kernel: $(STAMPS)/kernel
$(STAMPS)/kernel: go.mod | setup-go-tools
	@mkdir -p $(STAMPS)
	@echo "setup: installing the GoNB $(GONB_VERSION) kernel"
	@JUPYTER_DATA_DIR=$(NB_JUPYTER_DATA) $(GO) tool gonb --install --raw_error >/dev/null 2>&1 \
	  || { JUPYTER_DATA_DIR=$(NB_JUPYTER_DATA) $(GO) tool gonb --install --raw_error; exit 1; }
	@$(GO) tool gonb --install >/dev/null 2>&1 || { $(GO) tool gonb --install; exit 1; }
	@$(PYTHON) .ci/kernel_env.py "$(NB_JUPYTER_DATA)/kernels/gonb/kernel.json" "$$($(PYTHON) -c 'import jupyter_core.paths as p; print(p.jupyter_data_dir())')/kernels/gonb/kernel.json"
	@touch $@

## ---------------------------------------------------------------- main job

# The binary carries the echarts bundle (-tags embedassets), so it writes the
# HTML pages from any directory: npm's copy is put into internal/echartsjs/dist/
# (gitignored) and checked against the SHA-256 recorded for package-lock.json's
# echarts before it is embedded (and again when the binary uses it).
ECHARTS_EMBED := internal/echartsjs/dist/echarts.min.js
tokendyn: setup-npm
	@mkdir -p $(BUILD)/bin $(dir $(ECHARTS_EMBED))
	@cp node_modules/echarts/dist/echarts.min.js $(ECHARTS_EMBED)
	@cd internal/echartsjs && sha256sum --check --quiet --strict echarts.min.js.sha256 \
	  || { echo "tokendyn: node_modules/echarts is not the echarts of package-lock.json: run npm ci"; rm -f dist/echarts.min.js; exit 1; }
	@$(GO) build -tags embedassets -trimpath -buildvcs=auto -o $(BUILD)/bin/tokendyn ./cmd/tokendyn

# FIGURES_FLAGS=--quick FIGURES_OUT=build/figures-quick is the smoke run that
# `make test` does (seconds), so the target itself is exercised by CI.
# The two experiments run first (tokendyn experiment: reuses a stored result
# whose key holds, trains and stores it otherwise, with progress and ETA);
# tokendyn figures then draws their stored results.
# EXPERIMENTS=quick (the default) retrains the first seeds of the LM design and
# checks them bit for bit against the committed docs/results/lm.json, then draws
# from it; EXPERIMENTS=full retrains all of it (about an hour on 2 cores). The
# reordering experiment is small enough to retrain in full either way (11 min).
FIGURES_FLAGS ?=
FIGURES_OUT   ?= figures
EXPERIMENTS   ?= quick
EXPERIMENT_FLAGS ?= $(filter --quick,$(FIGURES_FLAGS))
LM_FLAGS := $(if $(EXPERIMENT_FLAGS),$(EXPERIMENT_FLAGS),$(if $(filter quick,$(EXPERIMENTS)),--replay docs/results/lm.json))
figures: setup-deb setup-npm tokendyn
	@case "$(EXPERIMENTS)" in quick|full) ;; *) echo "figures: EXPERIMENTS=$(EXPERIMENTS): want quick or full"; exit 2;; esac
	@$(BUILD)/bin/tokendyn experiment lm $(LM_FLAGS)
	@$(BUILD)/bin/tokendyn experiment reorder $(EXPERIMENT_FLAGS)
	@$(BUILD)/bin/tokendyn figures $(FIGURES_FLAGS) --out $(FIGURES_OUT)
	@$(BUILD)/bin/tokendyn claims --out $(FIGURES_OUT) | tail -1
	@$(BUILD)/bin/tokendyn verify $(FIGURES_OUT) | { grep -v ' ok$$' || true; }

# The claims ledger alone (seconds): one line a claim on stdout, and
# $(FIGURES_OUT)/claims.{json,md,html}.
claims: tokendyn
	@$(BUILD)/bin/tokendyn claims --out $(FIGURES_OUT)

## ---------------------------------------------------------------- tests

test: test-go test-fuzz test-figures test-replay notebooks
	@echo "test: all passed"

# One run of each committed result, docs/results/lm.json then
# docs/results/reorder.json, picked by the same commit, retrained at its full
# configuration and compared bit for bit (about a minute each on 2 cores).
test-replay: tokendyn
	@pick="$$(git rev-parse HEAD 2>/dev/null || echo no-git)"; \
	$(BUILD)/bin/tokendyn experiment lm --check docs/results/lm.json --pick "$$pick"; \
	$(BUILD)/bin/tokendyn experiment reorder --check docs/results/reorder.json --pick "$$pick"

# The figures target as a user runs it, in quick mode into a scratch folder.
test-figures:
	@rm -rf $(BUILD)/figures-quick
	@$(MAKE) --no-print-directory figures FIGURES_FLAGS=--quick FIGURES_OUT=$(BUILD)/figures-quick

test-go: setup-deb setup-npm
	@echo "test: go vet ./..."
	@$(GO) vet ./...
	@echo "test: go test ./..."
	@$(GO) test -count=1 ./...
	@echo "test: go test -tags purego (the portable path of every hand kernel)"
	@$(GO) vet -tags purego ./...
	@$(GO) test -count=1 -tags purego ./pkg/mamba/... ./pkg/model/... ./pkg/optim/... ./pkg/train/... ./internal/safetensors/...

# Short fuzz runs of the file readers (go test -fuzz allows one package and one target per run).
test-fuzz:
	@mkdir -p $(BUILD)
	@for spec in internal/safetensors:FuzzRead:150000 internal/safetensors:FuzzParseHeaderAgainstEncodingJSON:10000 \
	    data/idx:FuzzIDX:100000 data/text:FuzzParseDictdIndex:100000 data/text:FuzzLoadGCIDEFiles:4000 \
	    data/text:FuzzLoadWikiText103:10000 cmd/tokendyn:FuzzParseTokens:30000 cmd/tokendyn:FuzzParseSeeds:30000 \
	    pkg/lmrun:FuzzParseConfig:20000 pkg/checkpoint:FuzzParsePointer:15000 pkg/checkpoint:FuzzCheckpointMetadata:60000 \
	    pkg/experiment/runner:FuzzLoadCache:2000 pkg/experiment/runner:FuzzReadCache:3000 \
	    pkg/figures:FuzzWT103Artifacts:4 pkg/figures:FuzzReorderArtifacts:4; do \
	  pkg=$${spec%%:*}; rest=$${spec#*:}; fn=$${rest%%:*}; budget=$(if $(FUZZTIME),$(FUZZTIME),$${rest##*:}x); \
	  grep -qs "func $$fn(" ./$$pkg/*_test.go || { echo "test-fuzz: no $$fn in ./$$pkg (update the list in the Makefile)"; exit 1; }; \
	  echo "test: fuzzing $$fn in ./$$pkg for $$budget"; \
	  $(GO) test -run='^$$' -fuzz="^$$fn$$" -fuzztime=$$budget ./$$pkg >$(BUILD)/fuzz-$$fn.log 2>&1 \
	    || { cat $(BUILD)/fuzz-$$fn.log; exit 1; }; \
	done

# Execute every notebook headless with the pinned kernel; a failing cell fails
# the target and its error is printed. Widget cells (skip-execution) cannot run
# headless: they are compiled instead (build/_cellcheck, ignored by ./...). Outputs go to build/notebooks/ (the
# committed notebooks stay output-free), each with an HTML export beside it.
notebooks: setup
	@mkdir -p $(NB_OUT)
	@$(PYTHON) .ci/compile_skipped_cells.py $(BUILD)/_cellcheck $(NOTEBOOKS)
	@for nb in $(NOTEBOOKS); do \
	  name=$$(basename $$nb .ipynb); start=$$(date +%s); \
	  if ! JUPYTER_DATA_DIR=$(NB_JUPYTER_DATA) $(PYTHON) -m nbconvert --to notebook --execute \
	      --ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.record_timing=False \
	      --ExecutePreprocessor.timeout=900 --output-dir $(NB_OUT) $$nb >$(NB_OUT)/$$name.log 2>&1; then \
	    echo "notebooks: $$nb FAILED; the error:"; \
	    if grep -q -E 'Traceback|CellExecutionError' $(NB_OUT)/$$name.log; then \
	      awk '/Traceback|CellExecutionError/{p=1} p' $(NB_OUT)/$$name.log | grep -v -E '^[IWE][0-9]{4} ' | tail -60; \
	    else tail -60 $(NB_OUT)/$$name.log; fi; exit 1; \
	  fi; \
	  $(PYTHON) .ci/check_notebook.py $(NB_OUT)/$$name.ipynb; \
	  JUPYTER_DATA_DIR=$(NB_JUPYTER_DATA) $(PYTHON) -m nbconvert --to html --output-dir $(NB_OUT) \
	    $(NB_OUT)/$$name.ipynb >>$(NB_OUT)/$$name.log 2>&1; \
	  echo "notebooks: $$nb ok ($$(( $$(date +%s) - start ))s) -> build/notebooks/$$name.{ipynb,html}"; \
	done

## ---------------------------------------------------------------- report

# The site a reader opens offline: every executed notebook (07 and 08 read the
# experiment artifacts from figures/, so figures come first), a gallery of
# every artifact and MathJax, all copied into build/site/.
# Each gallery card says whether its artifact is fresh (tokendyn verify: exit 1
# for a stale or missing one still writes the JSON; anything else fails).
SITE := $(BUILD)/site
report: figures notebooks
	@rc=0; $(BUILD)/bin/tokendyn verify --json figures >$(BUILD)/verify.json || rc=$$?; [ $$rc -le 1 ]
	@$(PYTHON) .ci/build_site.py --notebooks $(NB_OUT) --figures figures --verify $(BUILD)/verify.json \
	  --mathjax node_modules/mathjax/es5 --readme README.md --out $(SITE)

# About 20 s; not part of `make test` (it needs the full report first).
test-site:
	@command -v chromium >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "test-site: run: sudo apt-get install -y chromium"; exit 1; fi; }
	@$(PYTHON) .ci/test_site.py $(SITE)

## ---------------------------------------------------------------- speed

# The Go benchmarks, the inference scan ((B,D,L), tokendyn bench scan), the
# training scan (token-major forward + backward, BenchmarkScanTokensTrain),
# the training step on 1 and 2 threads, and, when python3-torch is installed,
# the same training step in plain PyTorch side by side (.ci/bench_torch.py).
bench: tokendyn
	@$(GO) test -run='^$$' -bench=. -benchtime=2x ./pkg/...
	@echo "== inference scan"
	@$(BUILD)/bin/tokendyn bench scan -B 1 -D 128 -L 1024 -N 16
	@$(BUILD)/bin/tokendyn bench scan -B 4 -D 512 -L 2048 -N 16
	@echo "== training scan (forward with checkpoints + backward)"
	@$(GO) test -run='^$$' -bench='^BenchmarkScanTokensTrain$$' -benchtime=20x -count=3 ./pkg/mamba | grep '^Benchmark'
	@echo "== training step"
	@for t in 1 2; do \
	  out=$$($(BUILD)/bin/tokendyn bench train --threads $$t) || exit 1; echo "$$out"; \
	  ours=$$(echo "$$out" | sed -n 's/^tokens_per_s=//p'); \
	  out=$$($(PYTHON) .ci/bench_torch.py --threads $$t 2>&1); echo "$$out"; \
	  ref=$$(echo "$$out" | sed -n 's/^torch_tokens_per_s=//p'); \
	  if [ -n "$$ref" ]; then \
	    awk -v t=$$t -v a=$$ours -v b=$$ref 'BEGIN { printf "side by side, %d thread(s): tokendyn %.0f tokens/s, plain PyTorch %.0f tokens/s (%.1fx)\n", t, a, b, a / b }'; \
	  else echo "side by side, $$t thread(s): tokendyn $$ours tokens/s (no PyTorch reference)"; fi; \
	done

clean:
	rm -rf build figures
	$(GO) clean -testcache
