# opendatacommunities: the two commands that matter are `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

STORE_DIR ?= var/store

.PHONY: install check test test-fast lint typecheck layers format bench bench-map bench-publish bench-publish-one bench-cubes bench-serve bench-sparql bench-swap bench-search bench-first-run bench-places bench-backends
.PHONY: clean serve publish check-data derive

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The best-fit lookups and ward-level summaries (data/derived/, committed) are derived again
# when one of their sources is newer (places/derivation.py INPUTS lists the same files).
DERIVE_INPUTS := $(addprefix data/,\
	geography/DZ11_IZ11_LAD17_lookup_Scotland_derived.csv \
	geography/lsoa_latlong.csv \
	geography/ward_S12000049_Glasgow_City.geojson \
	geography/LSOA11_WD19_LAD19_EW_lookup_Dec2019.csv \
	geography/ward_E08000003_Manchester.geojson \
	geography/lsoa11_E08000003_Manchester.geojson \
	scotland/simd2020v2_withinds_by_datazone.csv \
	england-iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv \
	england-iod2019/File_6_-_IoD2019_Population_Denominators.csv)
DERIVED := $(addprefix data/derived/,\
	glasgow_data_zone_wards.csv manchester_lsoa_wards.csv \
	glasgow_ward_simd2020_deciles.csv glasgow_ward_simd2020.csv \
	manchester_ward_imd2019_deciles.csv manchester_ward_imd2019.csv)

# A project without these sources (a new one, say) has nothing to derive.
ifeq ($(words $(wildcard $(DERIVE_INPUTS))),$(words $(DERIVE_INPUTS)))
DERIVED_TABLES := $(DERIVED)
endif

# One run of `odc derive` writes them all (a grouped target).
$(DERIVED) &: $(DERIVE_INPUTS) | $(STAMP)
	$(BIN)/odc derive

derive: $(STAMP)
	$(BIN)/odc derive

# `odc serve --publish-if-stale` publishes first when nothing is published, the live release
# was published for another address (with ODC_BASE_IRI unset, the base IRI is the address
# served), or a mapping, shape, ontology or source file is newer than the live release.
# WORKERS=N: N server processes sharing the port (default ODC_WORKERS, else 1).
serve: $(STAMP) $(DERIVED_TABLES)
	ODC_STORE_DIR=$(STORE_DIR) $(BIN)/odc serve --host $(HOST) --port $(PORT) \
		$(if $(WORKERS),--workers $(WORKERS)) --publish-if-stale

# Published for the address `make serve` serves (HOST, PORT) unless ODC_BASE_IRI is set.
publish: $(STAMP) $(DERIVED_TABLES)
	ODC_STORE_DIR=$(STORE_DIR) ODC_HOST=$(HOST) ODC_PORT=$(PORT) $(BIN)/odc publish $(MAPPING)

# Check one dataset against the live release, publishing nothing: make check-data MAPPING=...
check-data: $(STAMP)
	@test -n "$(MAPPING)" || { echo "usage: make check-data MAPPING=mappings/x.cube.json" >&2; exit 2; }
	ODC_STORE_DIR=$(STORE_DIR) $(BIN)/odc check $(MAPPING)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

layers: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck layers

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: check
	$(BIN)/pytest -q -n auto --dist loadgroup

# The quick loop while working: every test but those that publish all the bundled data.
test-fast: $(STAMP)
	$(BIN)/pytest -q -n auto -m "not slow"

bench: bench-map bench-publish bench-publish-one bench-cubes bench-serve bench-sparql bench-swap bench-search bench-first-run bench-places bench-backends

bench-map: $(STAMP)
	$(BIN)/python bench/bench_map.py

bench-publish: $(STAMP) $(DERIVED_TABLES)
	$(BIN)/python bench/bench_publish.py

bench-publish-one: $(STAMP)
	$(BIN)/python bench/bench_publish_one.py

bench-cubes: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(BIN)/python bench/bench_cubes.py

bench-serve: $(STAMP) $(DERIVED_TABLES)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(BIN)/python bench/bench_serve.py

bench-sparql: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(BIN)/python bench/bench_sparql.py

bench-swap: $(STAMP)
	$(BIN)/python bench/bench_swap.py

bench-first-run: $(STAMP)
	$(BIN)/python bench/bench_first_run.py

bench-search: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(BIN)/python bench/bench_search.py $(if $(STORE),--store $(STORE))

bench-places: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(BIN)/python bench/bench_places.py $(if $(STORE),--store $(STORE))

# The same site on the embedded store, Oxigraph server and Virtuoso, and one server process
# against two (ENGINES=oxigraph,virtuoso by default; ENGINES= for the embedded store alone).
bench-backends: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(BIN)/python bench/bench_backends.py $(if $(filter undefined,$(origin ENGINES)),,--engines "$(ENGINES)")

clean:
	rm -rf $(VENV) .venv-morph .venv-oxigraph .mypy_cache .ruff_cache .pytest_cache
