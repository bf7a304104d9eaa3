# brainsyn: `make install` builds the Go engine into the Python package;
# `make test` runs every test (Go, then Python against the installed package).
PYTHON ?= python3

.PHONY: install test test-go test-py fuzz bench

install:
	$(PYTHON) -m pip install -q ".[test]"

test: install test-go test-py

test-go:
	go vet ./capi/... ./core/... ./pyapi/... ./tests_go/...
	CGO_ENABLED=0 go test -count=1 ./core/...
	go test -count=1 ./capi/... ./tests_go/...

test-py:
	cd tests_py && $(PYTHON) -m pytest -q -p no:cacheprovider

bench:
	$(PYTHON) bench/run.py
