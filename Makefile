# Two commands on a fresh machine:
#   make demo   installs gradtrace and explains a broken GAN (examples/gan_with_predict.py)
#   make test   installs gradtrace with its test dependencies and runs the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# gradtrace exits 1 when it found an error; that is the demo working.
demo: $(STAMP)
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/gradtrace run examples/gan_with_predict.py || [ $$? -eq 1 ]

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

bench: $(STAMP)
	$(BIN)/python bench/overhead.py
	$(BIN)/python bench/monitor_overhead.py
	$(BIN)/python bench/lint_speed.py

clean:
	rm -rf $(VENV) build src/*.egg-info
