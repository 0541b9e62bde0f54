# The two commands a learner needs: `make lab` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.dlstudy-installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb)) $(sort $(wildcard notebooks/solutions/*.ipynb))

# Jupyter refuses to run as root (e.g. in a container) unless told to.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test test-portable execute ko doctor clean html

# Create the environment once; reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[test]"
	@# JupyterLab saves each widget's state with the notebook, so a reopened notebook shows its pictures.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

lab: $(STAMP)
	@$(BIN)/python -c "from dlstudy.graph import GRAPHVIZ_HINT as h, graphviz_status as s; \
		s() == 'ok' or print(f\"Graphviz 'dot' is {s()}: matplotlib will draw the graphs. For Graphviz, {h}.\")"
	$(BIN)/jupyter lab notebooks/ $(ROOT_FLAG)

# Two workers (pytest-xdist), one notebook each at a time: twice as fast on two cores, and light
# enough for any laptop.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Every notebook again, as another learner's machine would run it: plainest CPU kernels,
# matrix products rounded differently, no Graphviz (tools/test_portable.sh).
test-portable: $(STAMP)
	PYTHON=$(BIN)/python tools/test_portable.sh

# Re-run every notebook top to bottom and store its outputs, as nbval will compare them.
execute: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 $(NOTEBOOKS:notebooks/%=%)

# Every notebook as an HTML page that works offline (jupyter/offline_html.py): each widget as the last
# picture the learner saw, maths typeset by MathJax from an installed package, nothing from the network.
html: $(STAMP)
	$(BIN)/python jupyter/offline_html.py $(NOTEBOOKS) --output build/html
	@echo "Open build/html/00_tensors_and_devices.html in a browser (works offline)."

# The Korean edition: write notebooks/ko from the English notebooks and i18n/ko, then run the Korean
# notebooks whose cells changed (their outputs are committed, like the English ones). After editing a chapter:
# `make ko`; tests/test_korean_edition.py names every cell whose translation is missing or out of date.
ko: $(STAMP)
	$(BIN)/python tools/ko.py build
	$(BIN)/python tools/ko.py execute

doctor: $(STAMP)
	$(BIN)/python -m dlstudy doctor

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
