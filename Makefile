# One command each: `make run` serves the portal with demo data, `make test` runs every check CI runs.
.PHONY: help setup run test lint clean schema bench-supervision

help:
	@echo "make run    install what is missing, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test   setup, ruff, mypy, import layers, migrations and system checks, pytest on SQLite then PostgreSQL + Redis"
	@echo "make setup  only install what is missing (Debian packages, .venv, npm, compiled translations)"
	@echo "make lint   ruff, mypy and import layers without the tests"
	@echo "make schema write the OpenAPI schema to docs/openapi.yaml (commit it with an API change)"
	@echo "make bench-supervision SCALE=0.01  the supervision benchmark (dashboard, indicator sweep) on DATABASE_URL"
	@echo "make clean  remove caches and the local SQLite database (keeps .venv and node_modules)"

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy portal filings selection certificates supervision
	.venv/bin/lint-imports

clean:
	rm -rf .mypy_cache .ruff_cache .pytest_cache .import_linter_cache test-results var/portal.sqlite3
	find . -path ./.venv -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -exec rm -rf {} +

schema: setup
	DATABASE_URL=postgres://schema:schema@127.0.0.1:9/schema DJANGO_SETTINGS_MODULE=portal.settings.test .venv/bin/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

# Benchmarks are not part of `make test`: docs/performance.md. SCALE=1 loads 10M certificates into DATABASE_URL (a
# throwaway, migrated PostgreSQL database; the rows stay and a later run reuses them); REPEAT runs of each side.
SCALE ?= 1
REPEAT ?= 15
bench-supervision:
	@test -n "$$DATABASE_URL" || { echo "set DATABASE_URL to a throwaway PostgreSQL database"; exit 2; }
	DJANGO_SETTINGS_MODULE=portal.settings.test .venv/bin/python manage.py migrate -v0
	.venv/bin/python -u -W ignore bench/supervision_scale.py --scale $(SCALE) --repeat $(REPEAT) $(BENCH_ARGS)
