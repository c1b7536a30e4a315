#!/usr/bin/python3
"""Exact reference for risk sharing (include/puhui/riskshare.h).

Runs tests/reference/share_reference_driver (path given as the first argument) for
COUNT random losses (default 10,000) and recomputes every line with
Python's fractions, by the rules docs/loans.md ("Risk sharing") states:

  loss:      every party but the residue taker gets floor(loss * bp / 10000);
             the bank takes the rest (or, without a bank share, the first
             party with the largest share); the pool then pays
             min(floor(bank * pool_bp / 10000), balance) out of the bank's part
  recovery:  the running total R is shared in the order guarantor,
             reguarantor, government, pool, bank: floor(R_p * paid_p / L_p),
             the bank the rest; a recovery is the difference of two totals
  leverage:  outstanding / capital in 1e-8, half up; within = outstanding <=
             cap * capital exactly
  comp rate: compensated / matured in 1e-8, half up; 0 for 0 / 0

Beyond the rules it checks the properties they promise: every split sums to
its amount, no part is negative, the bank bears less than 3 fen more than
its exact share, no party ever gets back more than it paid, and a loss
recovered in full returns exactly what each paid. Exit 1 on any difference.

    /usr/bin/python3 tests/reference/share_reference.py build/share_reference_driver [COUNT] [SEED]
"""
import subprocess
import sys
from fractions import Fraction

BANK, GUARANTOR, REGUARANTOR, GOVERNMENT, POOL = range(5)
RECOVERY_ORDER = [GUARANTOR, REGUARANTOR, GOVERNMENT, POOL, BANK]
ONE = 10**8


def floor(q):
    return q.numerator // q.denominator


def half_up(q):
    # q >= 0 here
    return floor(q + Fraction(1, 2))


def loss_split(bp, loss, pool_bp, balance):
    shares = bp + [0]
    if shares[BANK] > 0:
        rest = BANK
    else:
        rest = max(range(5), key=lambda p: (shares[p], -p))
    parts = [0] * 5
    for p in range(5):
        if p != rest:
            parts[p] = floor(Fraction(loss * shares[p], 10000))
    parts[rest] = loss - sum(parts)
    paid = 0
    if pool_bp > 0:
        paid = min(floor(Fraction(parts[BANK] * pool_bp, 10000)), balance)
        parts[BANK] -= paid
        parts[POOL] += paid
    return parts, balance - paid


def recovered(paid, total):
    got = [0] * 5
    left, loss_left = total, sum(paid)
    for i, p in enumerate(RECOVERY_ORDER):
        if i == 4:
            got[p] = left
            break
        got[p] = floor(Fraction(left * paid[p], loss_left)) if loss_left else 0
        left -= got[p]
        loss_left -= paid[p]
    return got


def main():
    driver = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    seed = sys.argv[3] if len(sys.argv) > 3 else "20260117"
    out = subprocess.run([driver, seed, str(count)], check=True, capture_output=True, text=True)
    errors = []
    losses = recoveries = ratios = full = 0
    paid = None
    back = None

    def bad(lineno, line, why):
        errors.append(f"line {lineno}: {why}: {line}")

    for lineno, line in enumerate(out.stdout.splitlines(), 1):
        f = line.split(",")
        kind, v = f[0], [int(x) for x in f[1:]]
        if kind == "L":
            losses += 1
            bp, loss, pool_bp, before = v[0:4], v[4], v[5], v[6]
            got, after = v[7:12], v[12]
            want, want_after = loss_split(bp, loss, pool_bp, before)
            if got != want or after != want_after:
                bad(lineno, line, f"loss split: expected {want} balance {want_after}")
            if sum(got) != loss or min(got) < 0:
                bad(lineno, line, "parts do not sum to the loss or one is negative")
            if bp[BANK] > 0:
                exact_bank = Fraction(loss * bp[BANK], 10000)
                if not 0 <= got[BANK] + got[POOL] - exact_bank < 3:
                    bad(lineno, line, "the bank's residue is not in [0, 3) fen")
            paid, back = got, [0] * 5
        elif kind == "R":
            recoveries += 1
            so_far, r, got = v[0], v[1], v[2:7]
            want = [a - b for a, b in zip(recovered(paid, so_far + r), recovered(paid, so_far))]
            if got != want:
                bad(lineno, line, f"recovery: expected {want}")
            if sum(got) != r or min(got) < 0:
                bad(lineno, line, "recovery parts do not sum or one is negative")
            back = [a + b for a, b in zip(back, got)]
            if any(b > p for b, p in zip(back, paid)):
                bad(lineno, line, "a party got back more than it paid")
            if so_far + r == sum(paid):
                full += 1
                if back != paid:
                    bad(lineno, line, f"full recovery {back} differs from the loss {paid}")
        elif kind == "V":
            ratios += 1
            outstanding, capital, cap, lev, within = v
            if lev != half_up(Fraction(outstanding * ONE, capital)):
                bad(lineno, line, "leverage")
            if within != int(outstanding * ONE <= cap * capital):
                bad(lineno, line, "within cap")
        elif kind == "C":
            compensated, matured, rate = v
            want = 0 if matured == 0 else half_up(Fraction(compensated * ONE, matured))
            if rate != want:
                bad(lineno, line, f"compensation rate: expected {want}")
        else:
            bad(lineno, line, "unknown line")

    for e in errors[:20]:
        print(e)
    print(f"share reference: {losses} losses, {recoveries} recoveries ({full} to the whole loss), "
          f"{ratios} leverage and compensation ratios; {len(errors)} differences")
    if losses < count:
        print(f"share reference: expected {count} losses")
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
