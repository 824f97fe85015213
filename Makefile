# Two promises: `make run` and `make test` work on a fresh machine with only
# Python 3.10+ and make. Everything else is installed into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEPS   := setup.cfg pyproject.toml

.PHONY: run test lint bench bench-speed bench-adversarial profile fuzz corpus clean-out

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python $(DEPS)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python $(DEPS)
	$(BIN)/pip install --quiet -e '.[test,ray]'
	touch $@ $(VENV)/.installed

## Clean the bundled sample pages into out/ (JSON Lines) and print the summary.
run: $(VENV)/.installed
	$(BIN)/cleanup --format jsonl -o out samples/raw
	@echo "articles written to out/ (one JSON object per article)"

## Lint, type-check and run the whole test suite.
test: $(VENV)/.installed-test
	$(BIN)/ruff check cleanup tests bench
	$(BIN)/mypy cleanup --ignore-missing-imports
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check cleanup tests bench

## Fuzz the library and the CLI's per-file path with 100,000 random and mutated inputs.
fuzz: $(VENV)/.installed-test
	$(BIN)/python bench/fuzz.py --count 100000

$(VENV)/.installed-bench: $(BIN)/python $(DEPS)
	$(BIN)/pip install --quiet -e '.[test,ray,bench]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

## Quality tables: cleanup and the baselines on the samples, 60 generated pages,
## the pages real extractors made (bench/extract), one table per extractor, and
## the precision and recall of the OCR passes on the OCR pages.
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/quality.py --pages 60
	$(BIN)/python bench/extract/score.py
	$(BIN)/python bench/ocr_repair.py --split all

## Rebuild the extraction corpus (needs Debian's chromium, fonts-wqy-zenhei,
## fonts-arphic-uming, poppler-utils, tesseract-ocr, tesseract-ocr-chi-sim).
corpus: $(VENV)/.installed-corpus
	$(BIN)/python bench/extract/make_corpus.py

$(VENV)/.installed-corpus: $(BIN)/python $(DEPS)
	$(BIN)/pip install --quiet -e '.[corpus]'
	touch $@ $(VENV)/.installed

## Speed table: MB/s, the regex ceiling, memory, per pass, scaling.
bench-speed: $(VENV)/.installed
	$(BIN)/python bench/speed.py --mb 10 --per-pass --scaling --jobs --big-file 50

## Every pass on adversarial inputs at 100 KB and 1 MB: time ratio and peak memory; fails when superlinear.
bench-adversarial: $(VENV)/.installed
	$(BIN)/python bench/adversarial.py

profile: $(VENV)/.installed-bench
	$(BIN)/python bench/speed.py --mb 10 --repeat 1 --profile
