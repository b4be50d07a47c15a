# Set-up and everyday commands. `make run` and `make test` each build the
# environment they need from nothing.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Debian packages the test suite reads output with (PDF text, Word rendering, fonts and
# the English hyphenation dictionary for LibreOffice) and the libraries Qt needs to run
# offscreen.
SYSTEM_PACKAGES := poppler-utils libreoffice-writer-nogui fonts-noto-core fonts-hosny-amiri \
	hyphen-en-gb \
	libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0

.PHONY: run test lint bench chart-cache bundle bundle-test system-deps clean screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

# Installs what the tests need from Debian when it is missing (needs root, as in CI).
system-deps:
	@if ! command -v pdftotext >/dev/null || ! command -v soffice >/dev/null \
		|| ! fc-list 2>/dev/null | grep -q Amiri || ! [ -e /usr/share/hyphen/hyph_en_GB.dic ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
		else \
			echo "missing Debian packages; run as root: apt-get install $(SYSTEM_PACKAGES)"; \
			exit 1; \
		fi; \
	fi

test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check briefing tests
	$(VENV)/bin/mypy

# Compiled first, as an installed copy is: where PYTHONDONTWRITEBYTECODE is set, every
# run would otherwise compile the program's modules again (about 0.15 s).
bench: $(STAMP) system-deps
	$(PY) -m compileall -q briefing
	QT_QPA_PLATFORM=offscreen $(PY) -m briefing.bench

# Draws the library's charts with its own figures into resources/chart-cache, makes the
# bundled fonts' Word subsets into resources/font-subsets and their measures (with the
# shipped templates' checks) into resources/font-measures, and the default brief's
# paragraph layouts, shaped runs and PDF font subsets into resources/text-caches, shipped
# so that a first export draws no chart, subsets no font, parses no bundled font for its
# measures and lays out no paragraph of the library's; run after changing the chart
# drawing, the text layout (briefing/text), numbers.py, figures, content, fonts, templates,
# matplotlib, reportlab, fontTools, uharfbuzz, python-bidi or pyphen
# (tests/test_chart_shipped_cache.py, tests/test_font_subsets.py, tests/test_font_cache.py
# and tests/test_text_shipped_cache.py say when they are stale).
chart-cache: $(STAMP)
	$(PY) -m briefing.chart_cache

bundle: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bundle]'
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/briefing.spec
	@du -sh dist/briefing

# Runs the bundle's own programs with no Python on PATH and checks what they export.
bundle-test: $(STAMP) system-deps
	BRIEFING_TEST_BUNDLE=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/test_bundle.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache

# Documentation screenshots (committed under docs/screenshots).
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m briefing.gui.screenshots docs/screenshots
