# Quick start: `make demo` runs the lesson, `make test` runs the tests.
# Each target creates .venv on first use and installs what it needs into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: help test demo lint bench bench-quick install-all clean notebook notebooks wheel docs docs-figures

help:
	@echo "make demo         run the lesson 'Loss e Derivadas' end to end (writes ./tinygrad-edu-demo/)"
	@echo "make test         run the test suite (pytest + hypothesis, doctests in docs/)"
	@echo "make lint         ruff and mypy --strict on the package"
	@echo "make bench        benchmark against micrograd and plain Python floats"
	@echo "make bench-quick  the same, in under a minute"
	@echo "make install-all  install every optional extra into .venv (what CI does; torch, JupyterLab, Sphinx, Playwright)"
	@echo "make notebook     open the lesson notebooks (pt-BR) in JupyterLab (installs the 'notebook' extra on first use)"
	@echo "make notebooks    regenerate notebooks/*.ipynb from their one source, notebooks/src/*.py"
	@echo "make docs         build the documentation site into docs/_build/html (Sphinx; warnings are errors)"
	@echo "make docs-figures regenerate the pictures in docs/images (graphs, explorer screenshots) and their manifest"
	@echo "make wheel        build a wheel in dist/ (to install the package on Colab)"
	@echo "make clean        remove .venv and generated files"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { \
	  echo "error: '$(PYTHON)' is missing or older than Python 3.10; install Python 3.10+ or run make PYTHON=python3.11 ..." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) >/dev/null 2>&1 || { rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv' could not create a virtual environment." >&2; \
	  echo "       On Debian/Ubuntu install the venv module: sudo apt-get install python3-venv" >&2; exit 1; }
	@echo "created $(VENV)"

$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	@echo "installing tinygrad_edu with the extras [$(subst +,$(comma),$*)] into $(VENV) (the first time takes a while)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$(subst +,$(comma),$*)]'
	@touch $@

comma := ,

test: $(VENV)/.installed-test+testing+plot
	@command -v dot >/dev/null || { \
	  echo "error: the tests render graphs with the Graphviz 'dot' program, which is missing." >&2; \
	  echo "       Install it (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz)" >&2; \
	  echo "       and run make test again." >&2; exit 1; }
	$(BIN)/python -m pytest

demo: $(VENV)/.installed-plot
	@command -v dot >/dev/null || echo "note: the Graphviz 'dot' program is missing; the demo writes a .dot file instead of a picture (Debian/Ubuntu: sudo apt-get install graphviz)"
	$(BIN)/tinygrad-edu demo

ALL_EXTRAS := test+testing+plot+bench+lint+torch+notebook+docs+browser

install-all: $(VENV)/.installed-$(ALL_EXTRAS)

lint: $(VENV)/.installed-lint+testing+test
	$(BIN)/ruff check tinygrad_edu tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_engine.py

bench-quick: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_engine.py --quick

notebook: $(VENV)/.installed-notebook+plot
	@echo "opening notebooks/ in JupyterLab (Ctrl-C stops it)"
	$(BIN)/jupyter lab notebooks/

notebooks: $(VENV)/.installed-notebook
	$(BIN)/python notebooks/build.py

docs: $(VENV)/.installed-docs+torch+plot
	$(BIN)/python -m sphinx -W --keep-going -n -b html docs docs/_build/html
	@echo "open docs/_build/html/index.html"

docs-figures: $(VENV)/.installed-plot+test+browser
	$(BIN)/python docs/images/make_images.py
	TINYGRAD_EDU_SCREENSHOTS=docs/images $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_explore_browser.py -k screenshots
	$(BIN)/python docs/images/make_images.py --manifest

wheel: | $(BIN)/python
	@echo "building the wheel into dist/"
	$(BIN)/python -m pip wheel --quiet --disable-pip-version-check --no-deps -w dist .
	@ls dist/*.whl

clean:
	rm -rf $(VENV) tinygrad-edu-demo .pytest_cache .hypothesis .mypy_cache .ruff_cache
