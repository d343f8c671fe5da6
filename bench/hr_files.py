#!/usr/bin/env python3
"""HR export files for bench/run-hr-import.sh, generated from a benchmark database (never committed).

  hr_files.py export DB_URL MUNICIPALITY_NUMBER OUT.csv
      The municipality's current HR state as a Visma-like semicolon file (the columns and formats of
      crates/store/tests/hr_import.rs): one line per active person with an employee number and an open unit
      with a code. Importing it unchanged changes nothing.
  hr_files.py grow IN.csv ROWS OUT.csv
      IN.csv plus synthetic new employees (numbers from 5,000,001, units taken round-robin from IN.csv)
      up to ROWS data rows.
  hr_files.py change IN.csv OUT.csv
      A deterministic monthly update of IN.csv: every 10th row a new e-mail, every 50th row a new position
      title and percent, every 100th row moved to another unit, every 100th row (offset 5) removed (leaving),
      and 1 % new rows.
  hr_files.py pick DB_URL ROWS
      The number of the municipality whose count of people with an employee number is closest to ROWS.

DB_URL is sqlite:///path or postgres://user@host:port/db (read with psql). Output is deterministic.
"""

import csv
import io
import sqlite3
import subprocess
import sys
import urllib.parse

HEADER = ["Ansattnr", "Fornavn", "Etternavn", "E-post", "Mobil", "Enhetskode", "Stilling", "Stillingskode",
          "Stillingsprosent", "Leder", "Startdato", "Sluttdato"]

EXPORT_SQL = """
SELECT p.employee_number, p.given_name, p.family_name, COALESCE(p.email, ''), COALESCE(p.mobile, ''), u.code,
       COALESCE(e.position_title, ''), COALESCE(e.position_code, ''), e.percent,
       CASE WHEN EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id AND g.unit_id = u.id
                         AND g.role = 'manager' AND g.source = 'hr-import') THEN 'Ja' ELSE 'Nei' END,
       COALESCE(e.start_date, ''), COALESCE(e.end_date, '')
FROM person p
JOIN municipality m ON m.id = p.municipality_id
JOIN employment e ON e.id = (SELECT MAX(x.id) FROM employment x WHERE x.person_id = p.id)
JOIN unit u ON u.id = e.unit_id AND u.closed_at IS NULL AND u.code IS NOT NULL
WHERE m.number = '{number}' AND p.employee_number IS NOT NULL AND p.left_at IS NULL
ORDER BY p.id
"""

PICK_SQL = """
SELECT m.number, COUNT(*) AS n FROM person p JOIN municipality m ON m.id = p.municipality_id
WHERE p.employee_number IS NOT NULL GROUP BY m.number ORDER BY ABS(COUNT(*) - {rows}), m.number LIMIT 1
"""

GIVEN = ["Kari", "Ola", "Ingrid", "Lars", "Anne", "Per", "Sigrid", "Jon", "Åse", "Øystein", "Marit", "Bjørn",
         "Hanne", "Knut", "Liv", "Erik", "Solveig", "Arne", "Ragnhild", "Tor"]
FAMILY = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Berg", "Haugen", "Bråten", "Dahl", "Lie",
          "Strand", "Ødegård", "Kristiansen", "Moen", "Aasen", "Solberg", "Bakken", "Nilsen", "Eide", "Sæther"]
TITLES = ["Lærer", "Sykepleier", "Helsefagarbeider", "Konsulent", "Rådgiver", "Assistent", "Barnehagelærer",
          "Fagarbeider", "Saksbehandler", "Renholder"]


def query(url, sql):
    if url.startswith("sqlite:"):
        path = urllib.parse.urlparse(url).path or url.split(":", 1)[1]
        with sqlite3.connect(path) as db:
            return [tuple("" if v is None else str(v) for v in row) for row in db.execute(sql)]
    out = subprocess.run(["psql", url, "-X", "-q", "-A", "-t", "-c",
                          f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"], check=True, capture_output=True, text=True)
    return [tuple(row) for row in csv.reader(io.StringIO(out.stdout))]


def percent(text):
    if text == "":
        return ""
    value = float(text)
    return str(int(value)) if value == int(value) else f"{value:g}".replace(".", ",")


def norwegian_date(iso):
    if len(iso) != 10:
        return iso
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(HEADER)
        w.writerows(rows)


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    return rows[1:]


def export(url, number, out):
    rows = []
    for r in query(url, EXPORT_SQL.format(number=number)):
        r = list(r)
        r[8] = percent(r[8])
        r[10] = norwegian_date(r[10])
        rows.append(r)
    write(out, rows)
    print(f"{out}: {len(rows)} rows exported from municipality {number}")


def synthetic(n, units):
    given, family = GIVEN[n % len(GIVEN)], FAMILY[(n // len(GIVEN)) % len(FAMILY)]
    slug = lambda s: s.lower().replace("å", "aa").replace("ø", "o").replace("æ", "ae")
    return [str(5_000_000 + n), given, family, f"{slug(given)}.{slug(family)}.{n}@bench.kommune.no", "",
            units[n % len(units)], TITLES[n % len(TITLES)], "", ["100", "80", "60", "50,5"][n % 4],
            "Ja" if n % 200 == 0 else "Nei", f"{1 + n % 28:02d}.{1 + n % 12:02d}.{1990 + n % 35}", ""]


def grow(src, total, out):
    rows = read(src)
    units = sorted({r[5] for r in rows})
    n = 1
    while len(rows) < total:
        rows.append(synthetic(n, units))
        n += 1
    write(out, rows)
    print(f"{out}: {len(rows)} rows ({len(units)} units)")


def change(src, out):
    rows = read(src)
    units = sorted({r[5] for r in rows})
    result = []
    for i, r in enumerate(rows):
        if i % 100 == 5:
            continue  # leaving
        r = list(r)
        if i % 10 == 0:
            r[3] = f"endret{i}@bench.kommune.no"
        if i % 50 == 0:
            r[6], r[8] = "Spesialrådgiver", "75"
        if i % 100 == 0:
            r[5] = units[(units.index(r[5]) + 1) % len(units)]
        result.append(r)
    for n in range(len(rows) // 100):
        result.append(synthetic(900_000 + n, units))
    write(out, result)
    print(f"{out}: {len(result)} rows changed from {len(rows)}")


def main(args):
    match args:
        case ["export", url, number, out]:
            export(url, number, out)
        case ["grow", src, total, out]:
            grow(src, int(total), out)
        case ["change", src, out]:
            change(src, out)
        case ["pick", url, rows]:
            print(query(url, PICK_SQL.format(rows=int(rows)))[0][0])
        case _:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
