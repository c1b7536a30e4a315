"""For the demo: three core enterprises, each with its deepest supply path
(up to five tiers) inside its own chain, through active registered firms.
Prints one line per core: the core's USCC, then the path down."""
import csv, sys
links = list(csv.DictReader(open(sys.argv[1], errors='replace')))
active = set(r['uscc'] for r in csv.DictReader(open(sys.argv[2], errors='replace'))
             if r.get('status') == 'active')
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
cores = sorted(set(c for c, _ in suppliers))
paths = sorted((deepest(c, c, {c}, 5) for c in cores), key=lambda p: (-len(p), p[0]))
for p in paths[:3]:
    print(' '.join(p))
