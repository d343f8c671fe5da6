"""Interleaved timing of the people-list SQL (count + first page, as the admin
sees it): for each case every configuration runs once per round, ROUNDS
rounds, and the median per configuration is printed, with the count returned.

    compare.py sqlite ROUNDS label=FILE.db:VARIANT ...
    compare.py pg ROUNDS label=postgresql://...:VARIANT ...   (needs psycopg)

VARIANT: current (the queries of crates/store/src/people.rs at fa094e2),
capped (people-search.diff), proposed (people-search.diff's page query with an
exact count over a UNION of the branches). See bench/README.md."""
import sys, time, statistics
sys.path.insert(0, __import__('os').path.dirname(__file__))
import harness

kind, rounds = sys.argv[1], int(sys.argv[2])
configs = []
for arg in sys.argv[3:]:
    label, rest = arg.split('=', 1)
    target, variant = rest.rsplit(':', 1)
    if kind == 'sqlite':
        import sqlite3
        conn = sqlite3.connect(target)
        run = (lambda c: lambda sql, params: c.execute(sql, params).fetchall())(conn)
    else:
        import psycopg
        conn = psycopg.connect(target, autocommit=True, prepare_threshold=0)
        run = (lambda c: lambda sql, params: c.execute(sql.replace('?', '%s'), params).fetchall())(conn)
    configs.append((label, run, {"current": harness.current, "capped": harness.capped, "proposed": harness.proposed}[variant]))

cases = [("Han", None), ("Ø", None), ("Bråt", None), ("Kari", None), ("kari.er", None), ("100507", None),
         (None, 9), (None, 184), (None, 3), ("Han", 9), (None, None)]
print(f"{'case':22}" + "".join(f"{label:>24}" for label, _, _ in configs))
for q, muni in cases:
    times = {label: [] for label, _, _ in configs}
    totals = {}
    # warm-up (and PostgreSQL's switch to a generic plan after five executions)
    for label, run, fn in configs:
        for _ in range(6):
            for sql, params in fn(q, muni): run(sql, params)
    for _ in range(rounds):
        for label, run, fn in configs:
            t0 = time.perf_counter()
            res = [run(sql, params) for sql, params in fn(q, muni)]
            times[label].append((time.perf_counter() - t0) * 1000)
            totals[label] = res[0][0][0]
    case = f"q={q or '-'} m={muni or '-'}"
    print(f"{case:22}" + "".join(f"{statistics.median(times[l]):10.1f} ms (n={totals[l]:>6})" for l, _, _ in configs))
