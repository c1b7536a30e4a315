"""For the demo: three core enterprises, each with its deepest supply path
(up to five tiers) inside its own chain, through active registered firms.
Prints one line per core: the core's USCC, then the path down. With a third
argument (a file of USCCs with a loan in the book), the third line is a
chain whose tier-1 supplier is such a borrower: the demo's late payment."""
import csv, sys

links = list(csv.DictReader(open(sys.argv[1], errors='replace')))
active = set(r['uscc'] for r in csv.DictReader(open(sys.argv[2], errors='replace'))
             if r.get('status') == 'active')
borrowers = set(open(sys.argv[3]).read().split()) if len(sys.argv) > 3 else set()
ok = lambda u: len(u or '') == 18
suppliers = {}
for r in links:
    if ok(r['supplier_uscc']) and ok(r['buyer_uscc']) and ok(r['core_uscc']) \
            and r['supplier_uscc'] in active:
        suppliers.setdefault((r['core_uscc'], r['buyer_uscc']), set()).add(r['supplier_uscc'])


def deepest(core, buyer, seen, left):
    best = [buyer]
    for s in sorted(suppliers.get((core, buyer), ())) if left else ():
        if s not in seen:
            p = deepest(core, s, seen | {s}, left - 1)
            if len(p) + 1 > len(best):
                best = [buyer] + p
    return best


def path_from(core, t1):
    return [core] + deepest(core, t1, {core, t1}, 4)


cores = sorted(set(c for c, _ in suppliers))
paths = sorted((deepest(c, c, {c}, 5) for c in cores), key=lambda p: (-len(p), p[0]))
late = None
for core in cores:
    for t1 in sorted(suppliers.get((core, core), ())):
        p = path_from(core, t1)
        if t1 in borrowers and len(p) == 6 and (late is None or p < late):
            late = p
chosen = [p for p in paths if late is None or p[0] != late[0]][:2] + [late or paths[2]]
for p in chosen:
    print(' '.join(p))
