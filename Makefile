# The two commands a learner needs: `make lab` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.dlstudy-installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb)) $(sort $(wildcard notebooks/solutions/*.ipynb))
DOT_HINT := Graphviz 'dot' was not found: computation graphs will show as text. Install it with 'sudo apt install graphviz', 'brew install graphviz' or 'conda install -c conda-forge graphviz'.

# Jupyter refuses to run as root (e.g. in a container) unless told to.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test execute doctor clean

# Create the environment once; reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[test]"
	@touch $(STAMP)

lab: $(STAMP)
	@command -v dot >/dev/null 2>&1 || echo "$(DOT_HINT)"
	$(BIN)/jupyter lab notebooks/ $(ROOT_FLAG)

test: $(STAMP)
	$(BIN)/python -m pytest

# Re-run every notebook top to bottom and store its outputs, as nbval will compare them.
execute: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 $(NOTEBOOKS:notebooks/%=%)

doctor: $(STAMP)
	$(BIN)/python -m dlstudy doctor

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
