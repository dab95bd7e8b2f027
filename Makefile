# Two commands on a fresh machine:
#   make demo   installs gradtrace and explains a broken GAN (examples/gan_with_predict.py)
#   make test   installs gradtrace with its test dependencies (and, for the HTML report's
#               browser tests, Debian's chromium and graphviz) and runs the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test bench clean browser-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# gradtrace exits 1 when it found an error; that is the demo working.
demo: $(STAMP)
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/gradtrace run examples/gan_with_predict.py || [ $$? -eq 1 ]

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest -n auto

# The HTML report is tested in a real browser, and laid out by Graphviz when present.
browser-deps:
	@command -v chromium >/dev/null && command -v dot >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium graphviz \
	    fonts-dejavu-core >/dev/null; }

bench: $(STAMP)
	$(BIN)/python bench/overhead.py
	$(BIN)/python bench/monitor_overhead.py
	$(BIN)/python bench/lint_speed.py

clean:
	rm -rf $(VENV) build src/*.egg-info
