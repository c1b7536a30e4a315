#!/usr/bin/python3
"""Exact reference for the loan book's schedules, accrual and allocation.

Recomputes, with Python's fractions (exact rationals) and its own calendar
(datetime), what include/puhui/schedule.h computes in C, for N random loans
(default 10,000): every instalment of every schedule and rebuild, the day by
day accrual of each period (random prepayments, draws on revolving lines and
an LPR repricing, some on a due date), and random repayment allocations. The C
side is tests/reference/loan_reference_driver.c, fed the same random cases on
stdin. Exit status 0 when every fen agrees, 1 with the first differences
printed otherwise.

    /usr/bin/python3 tests/reference/loan_reference.py DRIVER [--loans N] [--seed S]

The rules recomputed (docs/loans.md, "Schedules", "Accrual", "Allocation"):
- due(k) = anchor + k calendar months, the day clamped to the month's length,
  always from the anchor's own day;
- interest of a period = round_half_up(balance * rate * days / (basis * 1e8))
  (+ the interest accrued before a mid-period rebuild);
- the equal-instalment level payment: the whole-fen p minimising the last
  month's adjustment of a walk at rate / 12 (ties to the smaller; never one
  that makes the last payment negative), found here from the exact annuity;
- accrual to date = closed segments + round_half_up(fen-days * rate / basis);
- allocation: each bucket in order takes min(left, owed).
"""
import argparse
import datetime
import random
import subprocess
import sys
from fractions import Fraction

RATE_ONE = 10**8
EPOCH = datetime.date(1970, 1, 1).toordinal()
METHODS = ["equal_installment", "equal_principal", "interest_only", "seasonal", "revolving"]
BUCKETS = ["penalty", "fee", "interest", "principal"]


def rhu(x):
    """Round a Fraction half away from zero to an int."""
    num, d = x.numerator, x.denominator  # d > 0: the sign is the numerator's
    q, r = divmod(abs(num), d)
    if 2 * r >= d:
        q += 1
    return q if num >= 0 else -q


def to_date(days):
    return datetime.date.fromordinal(EPOCH + days)


def from_date(d):
    return d.toordinal() - EPOCH


def days_in_month(y, m):
    nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - datetime.date(y, m, 1)).days


def due(anchor, k):
    a = to_date(anchor)
    t = a.year * 12 + a.month - 1 + k
    y, m = divmod(t, 12)
    m += 1
    return from_date(datetime.date(y, m, min(a.day, days_in_month(y, m))))


def basis(dc):
    return 365 if dc == 1 else 360


def interest(balance, rate, days, dc):
    return rhu(Fraction(balance * rate * days, basis(dc) * RATE_ONE))


def level_payment(amount, n, rate):
    i = Fraction(rate, 12 * RATE_ONE)

    def excess(p):
        bal = amount
        for _ in range(n - 1):
            bal += rhu(bal * i) - p
            if bal > 2**100:
                return 2**100
        return bal + rhu(bal * i) - p

    annuity = Fraction(amount, n) if i == 0 else amount * i / (1 - (1 + i) ** -n)
    # h = the smallest p with excess(p) <= 0, searched outward from the exact annuity
    p = max(1, int(annuity))
    step = 1
    if excess(p) <= 0:
        hi = p
        while True:
            lo = hi - step
            if lo <= 0:
                lo = 0
                break
            if excess(lo) > 0:
                break
            hi, step = lo, step * 2
    else:
        lo = p
        while True:
            hi = lo + step
            if excess(hi) <= 0:
                break
            lo, step = hi, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if excess(mid) > 0:
            lo = mid
        else:
            hi = mid
    under, over = excess(lo), -excess(hi)
    return lo if under <= over or over > hi else hi


def split(total, n):
    q, r = divmod(total, n)
    return [q + (1 if j < r else 0) for j in range(n)]


def build(principal, anchor, first_k, term, period_start, method, rate, dc, harvest, accrued_before):
    ks = list(range(first_k, term + 1))
    dues = [due(anchor, k) for k in ks]
    shares = []
    if method == 1:
        shares = split(principal, len(ks))
    elif method == 3:
        h = sum(1 for d in dues if harvest >> (to_date(d).month - 1) & 1)
        shares = split(principal, h) if h else []
    level = level_payment(principal, len(ks), rate) if method == 0 else 0
    out, bal, start, nxt = [], principal, period_start, 0
    for j, (k, d) in enumerate(zip(ks, dues)):
        own = interest(bal, rate, d - start, dc)
        it = own + (accrued_before if j == 0 else 0)
        if k == term:
            pr = bal
        elif method == 0:
            pr = max(0, level - own)
        elif method == 1 or (method == 3 and harvest >> (to_date(d).month - 1) & 1):
            pr = shares[nxt]
            nxt += 1
        else:
            pr = 0
        pr = min(pr, bal)
        bal -= pr
        out.append((k, d, start, pr, it, bal))
        start = d
    return out


class Accrual:
    def __init__(self):
        self.closed = 0
        self.bd = 0
        self.posted = 0

    def day(self, balance, rate, dc):
        self.bd += balance
        to_date_ = self.closed + rhu(Fraction(self.bd * rate, basis(dc) * RATE_ONE))
        delta = to_date_ - self.posted
        self.posted = to_date_
        return delta

    def close(self, rate, dc):
        self.closed += rhu(Fraction(self.bd * rate, basis(dc) * RATE_ONE))
        self.bd = 0

    def end(self):
        v = self.posted
        self.closed = self.bd = self.posted = 0
        return v


def simulate(loan):
    """The expected output lines of one loan (as the driver's header describes)."""
    lid, principal, anchor, term, method, rate, dc, harvest, days, events = loan
    lines = []
    sched = build(principal, anchor, 1, term, anchor, method, rate, dc, harvest, 0)
    lines += ["S,%d,%d,%d,%d,%d,%d,%d" % ((lid,) + s) for s in sched]
    acc, bal, cur, tot, wsum = Accrual(), principal, 0, 0, 0
    problems = []
    for off in range(days):
        d = anchor + off
        if d == sched[cur][1]:
            billed = acc.end()
            if billed != sched[cur][4]:
                problems.append("loan %d instalment %d: accrual %d != schedule interest %d"
                                % (lid, sched[cur][0], billed, sched[cur][4]))
            lines.append("B,%d,%d,%d,%d,%d,%d,%d" % (lid, sched[cur][0], d, billed, sched[cur][4], tot, wsum))
            tot = wsum = 0
            bal -= sched[cur][3]
            cur += 1
            if cur == len(sched):
                break
        for kind, eoff, val in events:
            if eoff != off or bal == 0:
                continue
            acc.close(rate, dc)
            if kind == "p":
                bal = max(1, bal * val // 10**6)
            else:
                rate = val
            sched = build(bal, anchor, sched[cur][0], term, d, method, rate, dc, harvest, acc.closed)
            lines += ["S,%d,%d,%d,%d,%d,%d,%d" % ((lid,) + s) for s in sched]
            cur = 0
        delta = acc.day(bal, rate, dc)
        if delta < 0:
            problems.append("loan %d day %d: negative accrual %d" % (lid, d, delta))
        tot += delta
        wsum += delta * (off + 1)
    return lines, problems


def allocate(case):
    aid, order, amount, owed = case
    names = order.split(";")
    if sorted(names) != sorted(BUCKETS) or amount <= 0:
        return "E,%d,PH_EINVAL" % aid
    left, paid = amount, [0] * 4
    for name in names:
        b = BUCKETS.index(name)
        paid[b] = min(left, owed[b])
        left -= paid[b]
    assert sum(paid) + left == amount
    return "P,%d,%d,%d,%d,%d,%d" % ((aid,) + tuple(paid) + (left,))


def random_loan(rng, lid):
    # principal: 1 fen .. 100 million yuan, log-uniform, some round numbers
    principal = int(10 ** rng.uniform(0, 10)) if rng.random() < 0.8 else rng.choice([1, 100, 10**6, 12 * 10**6])
    principal = max(1, principal)
    # anchors 2000..2040, a third of them at a month's end or on 29 February
    y, m = rng.randint(2000, 2040), rng.randint(1, 12)
    r = rng.random()
    if r < 0.25:
        day = days_in_month(y, m)
    elif r < 0.3:
        y, m, day = rng.choice([2024, 2028, 2000, 2032]), 2, 29
    else:
        day = rng.randint(1, days_in_month(y, m))
    anchor = from_date(datetime.date(y, m, day))
    r = rng.random()
    term = rng.randint(1, 36) if r < 0.7 else rng.randint(37, 120) if r < 0.95 else rng.randint(121, 360)
    method = rng.randrange(5)
    rate = rng.choice([0, 3850000, 3450000, 2400000, 24000000, 100000000]) if rng.random() < 0.2 \
        else rng.randint(0, 24000000)
    dc = rng.randrange(2)
    harvest = rng.randint(1, 0xfff)
    days = min(due(anchor, term) - anchor, rng.randint(30, 200))
    events = []
    maturity = due(anchor, term)
    for _ in range(rng.randint(0, 3)):
        if rng.random() < 0.4:
            # on a due date (prepayment ON the due date) or any day
            k = rng.randint(1, term)
            off = due(anchor, k) - anchor
        else:
            off = rng.randrange(max(1, days))
        if off >= days or anchor + off >= maturity:
            continue
        if rng.random() < 0.35:
            events.append(("r", off, rng.randint(0, 24000000)))
        else:
            top = 1500000 if method == 4 else 999999
            events.append(("p", off, rng.randint(1, top)))
    events.sort(key=lambda e: e[1])
    return (lid, principal, anchor, term, method, rate, dc, harvest, days, events)


def random_allocation(rng, aid):
    order = BUCKETS[:]
    rng.shuffle(order)
    if rng.random() < 0.02:
        order[rng.randrange(4)] = rng.choice(BUCKETS)  # a repeated bucket: refused
    owed = [rng.choice([0, rng.randint(0, 10**6), rng.randint(0, 10**10)]) for _ in range(4)]
    amount = rng.choice([0, -5, 1, rng.randint(1, sum(owed) + 2), sum(owed), sum(owed) + rng.randint(1, 10**6)])
    return (aid, ";".join(order), amount, owed)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("driver")
    ap.add_argument("--loans", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    loans = [random_loan(rng, i) for i in range(args.loans)]
    allocs = [random_allocation(rng, i) for i in range(args.loans)]

    inp = []
    for ln in loans:
        ev = "".join(",%s:%d:%d" % e for e in ln[9])
        inp.append("L,%d,%d,%d,%d,%d,%d,%d,%d,%d%s" % (ln[:9] + (ev,)))
    for a in allocs:
        inp.append("A,%d,%s,%d,%d,%d,%d,%d" % ((a[0], a[1], a[2]) + tuple(a[3])))
    run = subprocess.run([args.driver], input="\n".join(inp) + "\n", capture_output=True,
                         text=True, check=False)
    if run.returncode != 0:
        print("driver failed (%d): %s" % (run.returncode, run.stderr), file=sys.stderr)
        return 1
    got = run.stdout.splitlines()

    expected, problems = [], []
    for ln in loans:
        lines, probs = simulate(ln)
        expected += lines
        problems += probs
    expected += [allocate(a) for a in allocs]

    diffs = 0
    for i in range(max(len(got), len(expected))):
        g = got[i] if i < len(got) else "<missing>"
        e = expected[i] if i < len(expected) else "<missing>"
        if g != e:
            diffs += 1
            if diffs <= 10:
                print("line %d: C %s\n        reference %s" % (i + 1, g, e))
    for p in problems[:10]:
        print("reference invariant:", p)
    n_sched = sum(1 for e in expected if e[0] == "S")
    n_bill = sum(1 for e in expected if e[0] == "B")
    print("%d loans, %d instalments built, %d periods accrued day by day, %d allocations: "
          "%d lines differ, %d invariant failures" % (len(loans), n_sched, n_bill, len(allocs),
                                                      diffs, len(problems)))
    return 0 if diffs == 0 and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
