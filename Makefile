# Two promises of the README, each one command on a fresh machine with Python and pip:
#   make demo   — set up .venv and run the main job against the embedded default
#   make test   — set up .venv and run the whole default test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test venv i18n bench clean test-slow help standalone test-packaging

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[server,test,province]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/hnsubmit demo

# pytest exits 5 when it collects no test: that is a failure of the suite, not a pass.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow

# Extract interface strings, update the Chinese catalog, compile it (the .mo is committed, so a
# plain install has it).
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k UsageError -k PolicyError -k ConfigError \
	  -k CredentialsError -k NetworkError -k RefusedError -k HnsubmitError \
	  --no-location --sort-output --project hnsubmit -o hnsubmit/i18n/locale/hnsubmit.pot .
	$(BIN)/pybabel update -i hnsubmit/i18n/locale/hnsubmit.pot -d hnsubmit/i18n/locale -D hnsubmit -l zh_CN --no-fuzzy-matching
	$(BIN)/python scripts/fill_zh_catalog.py
	$(BIN)/pybabel compile -d hnsubmit/i18n/locale -D hnsubmit -l zh_CN --statistics

# A one-folder hnsubmit for the running platform (no Python needed on the target): dist/hnsubmit/.
standalone: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[server,test,standalone]'
	$(BIN)/python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/hnsubmit.spec
	@du -sh dist/hnsubmit

# The slow packaging tests (issue 20): the wheel in a clean venv, the standalone built from a fresh clone.
# The standalone's keyring test needs a Secret Service: Debian packages dbus and gnome-keyring.
test-packaging: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[server,test,standalone]'
	$(BIN)/python -m pytest -q -m slow tests/test_packaging.py tests/test_packaging_standalone.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) hnsubmit-fixed .pytest_cache

# Re-render the stored help of the root and every command (help without importing Typer) after changing
# a command, an option, its help text or its translation (tests/test_stored_help.py says when it is stale).
help: $(STAMP)
	$(BIN)/python scripts/render_root_help.py

# The long fuzz run (docs/fuzzing.md): every target for FUZZ_SECONDS with a corpus kept under
# build/fuzz/, then the structured hypothesis tests with FUZZ_EXAMPLES examples each.
FUZZ_SECONDS  ?= 300
FUZZ_EXAMPLES ?= 1000
.PHONY: fuzz
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/long_run.py --seconds $(FUZZ_SECONDS) --jobs 2 --examples $(FUZZ_EXAMPLES)
