"""Time of a leads CSV import through the service, on a fresh SQLite file.

    .venv/bin/python bench/lead_import.py [--rows 20000]

Rows have distinct e-mails (a tenth repeated, to exercise the dedupe); a second import of the same
file shows the cost of recognising every row as already known.
"""

from __future__ import annotations

import argparse
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
from aicmo.domain.schemas.leads import LeadImport  # noqa: E402
from aicmo.domain.schemas.resources import ClientCreate  # noqa: E402
from aicmo.services import clients, leads  # noqa: E402

OPERATOR = Principal(name="bench", role=Role.OPERATOR)
TITLES = ("Head of People", "Recruiter", "VP Talent", "Office manager", "Founder", "Nurse")


def csv_text(rows: int) -> str:
    lines = ["email,name,company,title,source,consent"]
    for i in range(rows):
        n = i if i % 10 else i // 10  # every tenth row repeats an earlier e-mail
        lines.append(
            f"lead{n}@company{n % 500}.example,Lead {n},Company {n % 500},{TITLES[n % 6]},Referral,yes"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="aicmo-bench-leads-"))
    url = f"sqlite:///{tmp / 'app.db'}"
    upgrade(url)
    app = build_app(Settings(_env_file=None, data_dir=tmp, database_url=url))
    text = csv_text(args.rows)
    try:
        with app.uow() as uow:
            client = clients.create_client(uow, OPERATOR, ClientCreate(name="Bench Ltd"))
        body = LeadImport(client_id=client.id, csv=text)
        for label in ("first import", "same file again"):
            started = time.perf_counter()
            with app.uow() as uow:
                result = leads.import_leads(uow, OPERATOR, body)
            seconds = time.perf_counter() - started
            print(
                f"{label:<16} {args.rows} rows ({len(text) / 1e6:.1f} MB): {seconds:.2f} s, "
                f"{args.rows / seconds:,.0f} rows/s; created {result.created}, "
                f"repeated in file {result.duplicates_in_file}, already known {result.already_known}"
            )
    finally:
        app.close()


if __name__ == "__main__":
    main()
