# brainsyn: `make install` builds the Go engine into the Python package;
# `make test` runs every test (Go, then Python against the installed package);
# `make wheels` builds the sdist and a manylinux wheel per Python and checks
# each in a fresh venv without Go; `make test-wheel` does that for python3
# and runs tests_py/ against its wheel.
PYTHON ?= python3
PYTHONS ?= 3.9 3.10 3.11 3.12 3.13

# Go is found as setup.py finds it: `go` on PATH, else /usr/local/go/bin/go.
ifeq ($(shell command -v go 2>/dev/null),)
export PATH := /usr/local/go/bin:$(PATH)
endif

.PHONY: install test test-go test-py fuzz bench instructions docs wheels test-wheel

install:
	$(PYTHON) -m pip install -q ".[test]"

test: install test-go test-py

test-go:
	go vet ./capi/... ./core/... ./pyapi/... ./tests_go/...
	CGO_ENABLED=0 go test -count=1 ./core/...
	go test -count=1 ./capi/... ./tests_go/...
	go test -count=1 -tags purego ./core/neuron/ ./tests_go/
	go test -race -count=1 ./capi/... ./core/... ./tests_go/

test-py:
	cd tests_py && $(PYTHON) -m pytest -q -p no:cacheprovider

# Each fuzz target runs for FUZZTIME (CI: 10 targets x 12 s, about 2.7 min);
# a failing input is saved under testdata/fuzz/ and replayed by `go test`.
# New inputs are minimised for at most 2 s so the time goes to fuzzing.
FUZZTIME ?= 15s
FUZZ_CONN = FuzzParseBuild FuzzFromIJ
FUZZ_CAPI = FuzzNewNeuron FuzzNewConn FuzzNewSynapse FuzzNewNetwork FuzzRun FuzzABI FuzzGoSlice FuzzLoadState

fuzz:
	@for t in $(FUZZ_CONN); do CGO_ENABLED=0 capi/fuzz.sh ./core/conn/ $$t $(FUZZTIME) || exit 1; done
	@for t in $(FUZZ_CAPI); do capi/fuzz.sh ./capi/ $$t $(FUZZTIME) || exit 1; done

bench:
	$(PYTHON) bench/run.py

# Instructions per COBA step under callgrind (needs valgrind): a
# regression signal free of the machine's timing noise.
instructions:
	$(PYTHON) bench/instructions.py

# The docs site: built from docs/ (executes examples/synaptic_models.ipynb) into
# docs/_build/html; warnings are errors. Needs brainsyn installed and
# `pip install -r docs/requirements.txt`.
docs:
	$(PYTHON) -m sphinx -b html -E -W --keep-going docs docs/_build/html

# Wheels go to wheelhouse/, the sdist to dist/ (packaging/wheels.sh).
wheels:
	packaging/wheels.sh $(PYTHONS)

test-wheel:
	packaging/wheels.sh --pytest $(PYTHON)
