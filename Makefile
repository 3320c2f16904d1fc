# AISec suite. Every target sets itself up on first use.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# pip's notes about this machine's unreachable local indexes are noise
PIP_QUIET := 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PROTO_SRCS := $(shell find protos -name '*.proto')
PROTO_STAMP := protos/.generated

.PHONY: setup protos run test test-fast lint bench clean
.DEFAULT_GOAL := setup

setup: $(VENV)/.setup-done $(PROTO_STAMP)

$(VENV)/.setup-done: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt $(PIP_QUIET)
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e . $(PIP_QUIET)
	# generated protos import as their proto package path (aisec.<service>.v1)
	echo "$(CURDIR)/protos" > "$$($(PY) -c 'import sysconfig;print(sysconfig.get_path("purelib"))')/aisec-protos.pth"
	touch $@

protos: $(VENV)/.setup-done
	rm -f $(PROTO_STAMP)
	$(MAKE) $(PROTO_STAMP)

$(PROTO_STAMP): $(PROTO_SRCS) $(VENV)/.setup-done
	find protos -name '*_pb2*.py*' -delete
	$(PY) -m grpc_tools.protoc -I protos \
	  -I "$$($(PY) -c 'import grpc_tools, os;print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')" \
	  --python_out=protos --pyi_out=protos --grpc_python_out=protos $(PROTO_SRCS)
	touch $@

run: setup
	$(PY) -m services.common.devstack

test: setup
	$(PY) -m pytest -q -p no:cacheprovider

lint: setup
	$(VENV)/bin/ruff check services tests bench
	$(VENV)/bin/mypy services

bench: setup
	$(PY) -m bench.run_all

clean:
	rm -rf $(VENV) .aisec $(PROTO_STAMP)
	find protos -name '*_pb2*.py*' -delete
