"""The people list's SQL, rebuilt in Python for timing outside the server:
`current` mirrors crates/store/src/people.rs (fa094e2) for an administrator
(reach = everything, status = active, sort = name, page 1), `capped` the change
in people-search.diff, `proposed` the same page query with an exact count.

    harness.py FILE.db VARIANT [REPS]      times every case on SQLite
"""
import sqlite3, sys, time, statistics

def sort_key(t):
    m = {' ':1,'-':1,"'":1,'.':1,',':1,'æ':38,'ø':39,'ö':39,'å':40}
    out = ''
    for ch in t.strip().lower():
        if ch in m: r = m[ch]
        elif '0' <= ch <= '9': r = 2 + ord(ch) - 48
        elif 'a' <= ch <= 'z': r = 12 + ord(ch) - 97
        else: r = 41
        out += '%02d' % r
    return out

def prefix_end(p):
    return p[:-1] + chr(ord(p[-1]) + 1)

COLS = "p.id, p.municipality_id, p.given_name, p.family_name, p.email, p.employee_number, p.left_at, m.name"

def search_params(t):
    k = sort_key(t); e = t.lower()
    return [k, prefix_end(k), k, prefix_end(k), e, prefix_end(e), t]

SEARCH = "((p.name_sort >= ? AND p.name_sort < ?) OR (p.given_sort >= ? AND p.given_sort < ?) OR (p.email >= ? AND p.email < ?) OR p.employee_number = ?)"

# The app's queries today (admin: reach = everything, status = active).
def current(q, muni):
    where = "1 = 1"; params = []
    if q: where += " AND " + SEARCH; params += search_params(q)
    if muni: where += " AND p.municipality_id = ?"; params.append(muni)
    where += " AND p.left_at IS NULL"
    count = (f"SELECT COUNT(*) FROM person p JOIN municipality m ON m.id = p.municipality_id WHERE {where}", params)
    page = (f"SELECT {COLS} FROM person p JOIN municipality m ON m.id = p.municipality_id WHERE {where} ORDER BY p.name_sort, p.id LIMIT ? OFFSET ?", params + [50, 0])
    return [count, page]

# Proposed: one branch per search column, each able to use one index on its own.
BRANCHES = [
    ("(p.name_sort >= ? AND p.name_sort < ?)", lambda t: [sort_key(t), prefix_end(sort_key(t))]),
    ("(p.given_sort >= ? AND p.given_sort < ?)", lambda t: [sort_key(t), prefix_end(sort_key(t))]),
    ("(p.email >= ? AND p.email < ?)", lambda t: [t.lower(), prefix_end(t.lower())]),
    ("p.employee_number = ?", lambda t: [t]),
]

def proposed(q, muni, offset=0, per_page=50):
    base = "1 = 1"; bparams = []
    if muni: base += " AND p.municipality_id = ?"; bparams.append(muni)
    base += " AND p.left_at IS NULL"
    if not q:
        # No search: the count needs only an index that covers its filters.
        return current(q, muni)
    # COUNT: distinct ids over the branches.
    parts = []; cparams = []
    for cond, ps in BRANCHES:
        parts.append(f"SELECT p.id FROM person p WHERE {cond} AND {base}")
        cparams += ps(q) + bparams
    count = ("SELECT COUNT(*) FROM (" + " UNION ".join(parts) + ") AS hits", cparams)
    # PAGE: each branch gives its first offset+per_page rows in list order; merge.
    parts = []; pparams = []
    n = offset + per_page
    for cond, ps in BRANCHES:
        parts.append(f"SELECT * FROM (SELECT p.id, p.name_sort FROM person p WHERE {cond} AND {base} ORDER BY p.name_sort, p.id LIMIT ?) AS b{len(parts)}")
        pparams += ps(q) + bparams + [n]
    page = (f"SELECT {COLS} FROM (" + " UNION ".join(parts) + f") AS hit JOIN person p ON p.id = hit.id JOIN municipality m ON m.id = p.municipality_id ORDER BY hit.name_sort, hit.id LIMIT ? OFFSET ?", pparams + [per_page, offset])
    return [count, page]

def timed(db, stmts, reps):
    out = []
    for sql, params in stmts:
        ts = []; res = None
        for _ in range(reps):
            t0 = time.perf_counter(); res = db.execute(sql, params).fetchall(); ts.append((time.perf_counter() - t0) * 1000)
        out.append((statistics.median(ts), res))
    return out


CAP = 1000
def capped(q, muni):
    """Proposed: the count stops at CAP+1 rows; the page merges per-column branches."""
    cur = current(q, muni)
    count_sql, count_params = cur[0]
    inner = count_sql.replace("SELECT COUNT(*) FROM", "SELECT 1 FROM", 1)
    count = (f"SELECT COUNT(*) FROM ({inner} LIMIT ?) AS capped", count_params + [CAP + 1])
    page = proposed(q, muni)[1] if q else cur[1]
    return [count, page]

if __name__ == "__main__":
    path = sys.argv[1]; variant = sys.argv[2]; reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    db = sqlite3.connect(path)
    if len(sys.argv) > 4: db.executescript(sys.argv[4])
    cases = [("Han", None), ("Ø", None), ("Bråt", None), ("Kari", None), ("kari.er", None), ("100507", None),
             (None, 9), (None, 184), (None, 3), ("Han", 9), (None, None)]
    fn = {"current": current, "proposed": proposed, "capped": capped}[variant]
    for q, muni in cases:
        stmts = fn(q, muni)
        r = timed(db, stmts, reps)
        total = r[0][1][0][0]; ids = [row[0] for row in r[1][1]]
        print(f"{variant:9} q={q!s:8} muni={muni!s:4} count={r[0][0]:7.1f}ms page={r[1][0]:7.1f}ms sum={r[0][0]+r[1][0]:7.1f}ms total={total} first={ids[:3]} h={hash(tuple(ids)) & 0xffff}")
