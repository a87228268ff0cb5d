"""A leads CSV import through the service against the `sqlite3` command line's `.import` of the
same file, on fresh SQLite files.

    .venv/bin/python bench/lead_import.py [--rows 100000] [--runs 5] [--postgres ADMIN_URL]

The file has distinct e-mails with first and last name, city, region, company, title, source and
consent. The service parses and checks every row (e-mail rule, consent, time zone), enriches and
scores it against an ICP, and stores it with its batch, indexes and foreign keys, in one
transaction; `sqlite3 .import` only copies text into a table with the same columns. Each side runs
`--runs` times (default 5) on fresh files (the machine's noise moves single runs by a tenth or
more); the ratio is of the medians. The service's time is `leads.import_text`, commit included;
the WAL checkpoint it leaves to the application's checkpoint thread is timed apart (closing the
app waits for it). The last line is `import/sqlite3=<ratio>` (goal: at most 5).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from aicmo.adapters.db.migrate import upgrade  # noqa: E402
from aicmo.bootstrap import build_app  # noqa: E402
from aicmo.config import Settings  # noqa: E402
from aicmo.domain.roles import Principal, Role  # noqa: E402
from aicmo.domain.schemas.resources import ClientCreate  # noqa: E402
from aicmo.services import clients, leads  # noqa: E402

OPERATOR = Principal(name="bench", role=Role.OPERATOR)
TITLES = ("Head of People", "Recruiter", "VP Talent", "Office manager", "Founder", "Homeowner")
CITIES = (("Bristol", "England"), ("Cardiff", "Wales"), ("Leeds", "England"), ("Glasgow", "Scotland"))
HEADER = "email,first_name,last_name,city,region,company,title,source,consent"


def csv_text(rows: int) -> str:
    lines = [HEADER]
    for n in range(rows):
        city, region = CITIES[n % 4]
        domain = "gmail.com" if n % 7 == 0 else f"company{n % 500}.example"
        lines.append(
            f"lead{n}@{domain},First{n},Last{n},{city},{region},"
            f"Company {n % 500},{TITLES[n % 6]},Referral,yes"
        )
    return "\n".join(lines) + "\n"


def sqlite3_import(csv_file: Path, db_file: Path) -> float:
    columns = ", ".join(f"{c} TEXT" for c in HEADER.split(","))
    script = f"CREATE TABLE leads ({columns});\n.mode csv\n.import --skip 1 {csv_file} leads\n"
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(db_file)], input=script, text=True, check=True)
    return time.perf_counter() - started


def postgres_import(admin_url: str, tmp: Path, text: str) -> tuple[float, int]:
    """Seconds the service takes to import `text` on a fresh PostgreSQL database, and rows created."""
    import psycopg

    name = f"aicmo_bench_leads_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://{admin_url.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
        app = None
        try:
            upgrade(url)
            app = build_app(Settings(_env_file=None, data_dir=tmp, database_url=url))
            with app.uow() as uow:
                client = clients.create_client(uow, OPERATOR, ClientCreate(name="Bench Ltd"))
            started = time.perf_counter()
            with app.uow() as uow:
                result = leads.import_text(uow, OPERATOR, client.id, text)
            return time.perf_counter() - started, result.created
        finally:
            if app is not None:
                app.close()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def service_import(text: str) -> tuple[float, float, int, int, int]:
    """Seconds `leads.import_text` takes on a fresh SQLite file, seconds closing the app then takes
    (the checkpoint left behind), leads created, leads stored and rows skipped."""
    tmp = Path(tempfile.mkdtemp(prefix="aicmo-bench-leads-"))
    try:
        url = f"sqlite:///{tmp / 'app.db'}"
        upgrade(url)
        app = build_app(Settings(_env_file=None, data_dir=tmp, database_url=url))
        try:
            with app.uow() as uow:
                client = clients.create_client(uow, OPERATOR, ClientCreate(name="Bench Ltd"))
            started = time.perf_counter()
            with app.uow() as uow:
                result = leads.import_text(uow, OPERATOR, client.id, text)
            took = time.perf_counter() - started
            with app.uow() as uow:
                stored = uow.leads.list(client_id=client.id, limit=1, offset=0)[1]
        finally:
            closing = time.perf_counter()
            app.close()
            closed = time.perf_counter() - closing
        return took, closed, result.created, stored, len(result.skipped)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each side (the medians are compared)")
    parser.add_argument(
        "--postgres",
        metavar="ADMIN_URL",
        help="also time the service's import on PostgreSQL (a scratch database made through this "
        "admin URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres, and dropped after)",
    )
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        sys.exit("the sqlite3 command-line shell is needed (apt-get install sqlite3)")
    text = csv_text(args.rows)
    tmp = Path(tempfile.mkdtemp(prefix="aicmo-bench-leads-"))
    csv_file = tmp / "leads.csv"
    csv_file.write_text(text, encoding="utf-8")
    service_runs, shell_runs = [], []
    try:
        for run in range(args.runs):  # alternated: a slow minute of the machine hits both sides
            took, closed, created, stored, skipped = service_import(csv_file.read_text(encoding="utf-8"))
            service_runs.append(took)
            print(
                f"run {run + 1}: service import {took:.2f} s (then {closed:.2f} s closing: the checkpoint"
                f" it left); created {created}, stored {stored}, skipped {skipped}"
            )
            shell_runs.append(sqlite3_import(csv_file, tmp / f"sqlite3-{run}.db"))
            print(f"run {run + 1}: sqlite3 .import {shell_runs[-1]:.2f} s")
        if args.postgres:
            postgres_s, created = postgres_import(args.postgres, tmp, text)
            print(
                f"service import on PostgreSQL {postgres_s:.2f} s"
                f" ({args.rows / postgres_s:,.0f} rows/s, {created} created)"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    service_s, sqlite_s = statistics.median(service_runs), statistics.median(shell_runs)
    print(f"rows {args.rows} ({len(text) / 1e6:.1f} MB), medians of {args.runs} runs:")
    print(f"service import  {service_s:.2f} s ({args.rows / service_s:,.0f} rows/s)")
    print(f"sqlite3 .import {sqlite_s:.2f} s ({args.rows / sqlite_s:,.0f} rows/s)")
    print(f"import/sqlite3={service_s / sqlite_s:.2f}")


if __name__ == "__main__":
    main()
