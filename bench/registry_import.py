"""Registry bulk import vs. a raw psycopg COPY of the same rows, in the same run.

Generates N enterprises with 3 fiscal years each as one CSV (long form, the import template's
columns) from the demo generator: its 3,000 firms are cycled with fresh credit codes, so the
figures stay realistic and every code stays valid. Then, each into its own fresh, migrated
PostgreSQL database (created here and dropped at the end):

* the real path: ``registry.handlers.imports.run_job`` — the very function the HTTP job runs —
  parses, validates every cell, writes enterprises and figures, an audit row and a
  ``registry.enterprise.changed`` outbox row per enterprise, and commits;
* the baseline: stdlib ``csv`` split into the two tables, loaded with psycopg ``COPY``; run
  once before and once after the import (each into its own fresh database) and averaged, so
  load drifting on a shared machine does not favour either side.

Prints ``registry_import: rows=N seconds=S ratio_to_copy=R`` last (rows = CSV data rows;
seconds = the import; R = import / baseline). Target R ≤ 4.

    .venv/bin/python bench/registry_import.py            # 100,000 enterprises
    .venv/bin/python bench/registry_import.py --n 5000
"""

from __future__ import annotations

import argparse
import csv
import io
import time
import uuid
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import create_engine
from sqlalchemy import text

from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.columns import ENTERPRISE_KEYS
from registry.adapters.files.columns import FIGURE_KEYS
from registry.adapters.sql.migrations import upgrade_head
from registry.handlers.imports import create_job
from registry.handlers.imports import run_job
from registry.handlers.journal import Who
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory
from yumiao_common.identifiers import USCC_ALPHABET
from yumiao_common.identifiers import generate_uscc
from yumiao_demo.firms.generator import generate_demo

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TOWN_OF = "town_code"


def _body(i: int) -> str:
    """A distinct 8-character organisation body per index (``MA3`` + 5 base-31 digits)."""
    digits = []
    for _ in range(5):
        i, r = divmod(i, 31)
        digits.append(USCC_ALPHABET[r])
    return "MA3" + "".join(reversed(digits))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def make_csv(n: int) -> bytes:
    """N enterprises × 3 years as CSV bytes, headers exactly as the template writes them."""
    base = [f for f in generate_demo() if len(f.profile["financials"]) == 3]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.header for c in COLUMNS])
    for i in range(n):
        firm = base[i % len(base)]
        ent = dict(firm.profile["enterprise"], town_code=firm.town_code,
                   uscc=generate_uscc("91", "371502", _body(i)))
        head = [_cell(ent.get(k)) for k in ENTERPRISE_KEYS]
        for year in firm.profile["financials"]:
            writer.writerow([*head, str(year["year"]), *(_cell(year.get(k)) for k in FIGURE_KEYS)])
    return out.getvalue().encode()


def fresh_database(tag: str) -> str:
    name = f"yb_{int(time.time())}_{uuid.uuid4().hex[:6]}_{tag}"
    with create_engine(ADMIN, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN.rsplit("/", 1)[0] + "/" + name
    upgrade_head(url)
    return url


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with create_engine(ADMIN, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def real_import(url: str, data: bytes) -> tuple[float, int]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        job = create_job(session, kind="csv", file_name="bench.csv", size=len(data),
                         total_rows=None, dry_run=False, who=Who(actor="bench"))
        job_id = job.id
    started = time.perf_counter()
    status = run_job(factory, job_id, data)
    seconds = time.perf_counter() - started
    assert status == "succeeded", status
    with engine.connect() as conn:
        count = conn.scalar(text("SELECT count(*) FROM annual_financials")) or 0
        events = conn.scalar(text("SELECT count(*) FROM outbox")) or 0
        audits = conn.scalar(text("SELECT count(*) FROM audit_log")) or 0
    engine.dispose()
    print(f"import: {count} figure rows, {events} outbox rows, {audits} audit rows")
    return seconds, count


def _split(data: bytes) -> tuple[list[list[Any]], list[list[Any]]]:
    reader = csv.reader(io.StringIO(data.decode()))
    next(reader)
    n_ent, ids = len(ENTERPRISE_KEYS), dict[str | None, int]()
    now = datetime.now(UTC)
    enterprises, figures = [], []
    for row in reader:
        cells = [c or None for c in row]
        code = cells[0]
        if code not in ids:
            ids[code] = len(ids) + 1
            mpf = cells[n_ent - 1]
            enterprises.append([ids[code], *cells[:n_ent - 1],
                                '["' + mpf.replace(";", '","') + '"]' if mpf else "[]",
                                "371502", "[]", 1, 1, now, now])
        figures.append([ids[code], *cells[n_ent:], 1, now])
    return enterprises, figures


def _copy(cursor: psycopg.Cursor[Any], table: str, columns: list[str],
          rows: Iterator[list[Any]] | list[list[Any]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def copy_baseline(url: str, data: bytes) -> float:
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    ent_cols = ["id", *ENTERPRISE_KEYS, "division_code", "quality_items", "version",
                "profile_version", "created_at", "updated_at"]
    fin_cols = ["enterprise_id", "year", *FIGURE_KEYS, "version", "updated_at"]
    with psycopg.connect(dsn) as conn:
        started = time.perf_counter()
        enterprises, figures = _split(data)
        with conn.cursor() as cursor:
            _copy(cursor, "enterprise", ent_cols, enterprises)
            _copy(cursor, "annual_financials", fin_cols, figures)
        conn.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="enterprises (3 years each)")
    args = parser.parse_args()
    started = time.perf_counter()
    data = make_csv(args.n)
    print(f"csv: {args.n} enterprises, {len(data) / 1e6:.1f} MB, "
          f"generated in {time.perf_counter() - started:.1f}s")
    # Baseline before and after the import, averaged: on a shared machine the load drifts, and
    # bracketing the import keeps that drift from favouring either side.
    urls = [fresh_database("copy_a"), fresh_database("import"), fresh_database("copy_b")]
    try:
        before = copy_baseline(urls[0], data)
        cpu = time.process_time()
        seconds, rows = real_import(urls[1], data)
        cpu = time.process_time() - cpu
        after = copy_baseline(urls[2], data)
        baseline = (before + after) / 2
        print(f"copy baseline: {before:.2f}s before, {after:.2f}s after; "
              f"import client CPU {cpu:.2f}s")
    finally:
        for url in urls:
            drop_database(url)
    print(f"registry_import: rows={rows} seconds={seconds:.2f} "
          f"ratio_to_copy={seconds / baseline:.2f}")


if __name__ == "__main__":
    main()
