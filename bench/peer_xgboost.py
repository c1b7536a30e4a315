#!/usr/bin/python3
"""The XGBoost side of bench_model_score: build the model and the rows, time
XGBoost's own CPU predictor on one thread, write what it predicted.

    /usr/bin/python3 bench/peer_xgboost.py --dir DIR [--rows N] [--trees T]
        [--depth D] [--features F] [--shap-rows S] [--train-rows R]

Writes into DIR:
  model.json      T trees of depth D, binary:logistic, features f00..f{F-1}
                  (trained on R rows with 2 threads: setting up, not timed)
  rows.f32        N x F float32, row-major, about 5% NaN
  prob.f32        XGBoost's probabilities for the N rows (float32)
  contribs.f32    XGBoost's pred_contribs for the first S rows, S x (F + 1)
  timings.txt     "key value" lines: seconds of the best of 3 runs (of fewer
                  when they take long: pred_contribs costs ~5 ms a row), wall
                  clock (KEY_seconds) and CPU time (KEY_cpu_seconds)
Everything is seeded: the same options give the same files.

End to end (CSV in, scores out), one run, both sides on the same files:

    /usr/bin/python3 bench/peer_xgboost.py --dir DIR --e2e PUHUI [--e2e-rows N]
        [--e2e-threads 1,2] [--e2e-runs K] [--trees T] [--depth D] [--features F]

builds the model as above (T trees, default 500; or loads DIR/model.json when
an earlier run left it there), writes DIR/rows.csv (N rows,
default 200,000: an id column and F features as float32 written exactly, about
5% empty = missing), then for each thread count runs, alternately, K times
each (default 3, best kept):
  puhui    PUHUI model score --model model.json --input rows.csv --id id
           --out puhui_T.csv --threads T   (a child process: its wall time and
           its user+sys CPU seconds from getrusage)
  XGBoost  pandas.read_csv, DMatrix(nthread=T), predict with nthread=T, and
           the id and PD written with 10 decimals by DataFrame.to_csv, in this
           process (wall, and process CPU seconds of all its threads)
and prints per thread count both sides' wall and CPU seconds, the ratios
XGBoost / puhui (>= 3 is the goal), the input's size and puhui's MB/s, and the
largest |pd_puhui - pd_xgboost| over the rows (must be <= 1e-6). Exit 1 when
the outputs disagree.
"""
import argparse
import os
import resource
import subprocess
import sys
import time

import numpy as np
import xgboost as xgb


def make_rows(rng, n, f):
    x = rng.normal(size=(n, f)).astype(np.float32)
    x[rng.random(x.shape) < 0.05] = np.nan
    return x


def label(rng, x):
    """A target with interactions, so trees grow to full depth."""
    z = np.nan_to_num(x, nan=0.5)
    f = x.shape[1]
    s = z[:, : f // 2].sum(axis=1) * 0.3 - z[:, f // 2:].sum(axis=1) * 0.2
    s += np.sin(3 * z[:, 0]) * z[:, 1] + (z[:, 2] > 0.3) * z[:, 3] - np.abs(z[:, 4] * z[:, 5])
    return (rng.random(len(s)) < 1 / (1 + np.exp(-s))).astype(np.float32)


def best_of(runs, fn, setup=lambda: None, budget=60.0):
    """Best wall-clock and best CPU seconds of `runs` runs of fn(setup()),
    timing fn only; fewer runs when they have taken `budget` seconds already
    (pred_contribs is slow)."""
    best, best_cpu, out, spent = float("inf"), float("inf"), None, 0.0
    for _ in range(runs):
        arg = setup()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(arg)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        best, best_cpu, spent = min(best, took), min(best_cpu, cpu), spent + took
        if spent > budget:
            break
    return (best, best_cpu), out


def write_csv(path, x):
    """An id column and the float32 values written so they read back exactly
    (%.9g), NaN as an empty field."""
    import pandas as pd
    frame = pd.DataFrame(x.astype(np.float64), columns=["f%02d" % i for i in range(x.shape[1])])
    frame.insert(0, "id", ["r%d" % i for i in range(len(frame))])
    frame.to_csv(path, index=False, float_format="%.9g", na_rep="")


def run_puhui(puhui, d, threads):
    out = os.path.join(d, "puhui_%d.csv" % threads)
    cmd = [puhui, "model", "score", "--model", os.path.join(d, "model.json"), "--input",
           os.path.join(d, "rows.csv"), "--id", "id", "--out", out, "--threads", str(threads)]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, out


def run_xgboost(booster, d, threads):
    import pandas as pd
    out = os.path.join(d, "xgboost_%d.csv" % threads)
    t0, c0 = time.perf_counter(), time.process_time()
    frame = pd.read_csv(os.path.join(d, "rows.csv"))
    ids = frame.pop("id")
    booster.set_param({"nthread": threads})
    pdv = booster.predict(xgb.DMatrix(frame, nthread=threads))
    pd.DataFrame({"id": ids, "pd": pdv}).to_csv(out, index=False, float_format="%.10f")
    return time.perf_counter() - t0, time.process_time() - c0, out


def max_diff(ours, theirs):
    import pandas as pd
    a, b = pd.read_csv(ours), pd.read_csv(theirs)
    if list(a["id"]) != list(b["id"]):
        return float("inf")
    return float(np.max(np.abs(a["pd"].to_numpy() - b["pd"].to_numpy())))


def end_to_end(a, booster, rng):
    rows_csv = os.path.join(a.dir, "rows.csv")
    write_csv(rows_csv, make_rows(rng, a.e2e_rows, a.features))
    mb = os.path.getsize(rows_csv) / 1e6
    print("end to end: %d rows x %d features, %.1f MB CSV, %d trees of depth %d, xgboost %s"
          % (a.e2e_rows, a.features, mb, a.trees, a.depth, xgb.__version__))
    print("%-7s %-8s %9s %9s   %s" % ("threads", "side", "wall s", "cpu s", ""))
    worst, ratios = 0.0, []
    for threads in [int(t) for t in a.e2e_threads.split(",")]:
        best = {"puhui": [float("inf")] * 2, "xgboost": [float("inf")] * 2}
        for _ in range(a.e2e_runs):
            for side in ("puhui", "xgboost"):
                wall, cpu, out = (run_puhui(a.e2e, a.dir, threads) if side == "puhui"
                                  else run_xgboost(booster, a.dir, threads))
                best[side] = [min(best[side][0], wall), min(best[side][1], cpu)]
                if side == "puhui":
                    ours = out
                else:
                    theirs = out
        diff = max_diff(ours, theirs)
        worst = max(worst, diff)
        pw, pc = best["puhui"]
        xw, xc = best["xgboost"]
        print("%-7d %-8s %9.3f %9.3f   %.1f MB/s" % (threads, "puhui", pw, pc, mb / pw))
        print("%-7d %-8s %9.3f %9.3f" % (threads, "xgboost", xw, xc))
        print("%-7d ratio    %8.2fx %8.2fx   (xgboost / puhui; goal >= 3)   max |dpd| %.2g"
              % (threads, xw / pw, xc / pc, diff))
        ratios.append((threads, xw / pw, xc / pc))
    for name in os.listdir(a.dir):
        if name.endswith(".csv"):
            os.remove(os.path.join(a.dir, name))
    return 0 if worst <= 1e-6 else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--trees", type=int, default=500)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--features", type=int, default=50)
    ap.add_argument("--shap-rows", type=int, default=5_000)
    ap.add_argument("--train-rows", type=int, default=50_000)
    ap.add_argument("--e2e", metavar="PUHUI", help="time CSV-to-scores end to end with this binary")
    ap.add_argument("--e2e-rows", type=int, default=200_000)
    ap.add_argument("--e2e-threads", default="1,2")
    ap.add_argument("--e2e-runs", type=int, default=3)
    a = ap.parse_args()
    names = ["f%02d" % i for i in range(a.features)]
    rng = np.random.default_rng(12345)

    model_json = os.path.join(a.dir, "model.json")
    if a.e2e and os.path.exists(model_json):
        # A model left by an earlier run in a kept DIR: training is setting up, not timed.
        booster = xgb.Booster(model_file=model_json)
        make_rows(rng, a.train_rows, a.features)  # the same random stream as when training
        sys.exit(end_to_end(a, booster, rng))
    t0 = time.perf_counter()
    xt = make_rows(rng, a.train_rows, a.features)
    dtrain = xgb.DMatrix(xt, label=label(rng, xt), feature_names=names, nthread=2)
    booster = xgb.train({"objective": "binary:logistic", "max_depth": a.depth, "eta": 0.1,
                         "tree_method": "hist", "nthread": 2, "seed": 1, "base_score": 0.4},
                        dtrain, num_boost_round=a.trees)
    booster.save_model(os.path.join(a.dir, "model.json"))
    train_s = time.perf_counter() - t0
    if a.e2e:
        sys.exit(end_to_end(a, booster, rng))

    x = make_rows(rng, a.rows, a.features)
    x.tofile(os.path.join(a.dir, "rows.f32"))

    booster.set_param({"nthread": 1})
    inplace_s, p_inplace = best_of(3, lambda _: booster.inplace_predict(x))
    # A fresh DMatrix per run: predict() caches what it predicted for one.
    dmatrix_s, p_dmatrix = best_of(3, lambda dm: booster.predict(dm),
                                   lambda: xgb.DMatrix(x, feature_names=names, nthread=1))
    if not np.array_equal(p_inplace, p_dmatrix):
        print("peer_xgboost: inplace_predict and predict disagree", file=sys.stderr)
    np.asarray(p_inplace, dtype=np.float32).tofile(os.path.join(a.dir, "prob.f32"))

    shap_s, contribs = best_of(3, lambda ds: booster.predict(ds, pred_contribs=True),
                               lambda: xgb.DMatrix(x[: a.shap_rows], feature_names=names,
                                                   nthread=1), budget=20.0)
    np.asarray(contribs, dtype=np.float32).tofile(os.path.join(a.dir, "contribs.f32"))

    with open(os.path.join(a.dir, "timings.txt"), "w") as out:
        out.write("xgboost_version %s\n" % xgb.__version__)
        out.write("rows %d\nshap_rows %d\n" % (a.rows, a.shap_rows))
        out.write("train_seconds %.6f\n" % train_s)
        for key, (wall, cpu) in (("inplace_predict", inplace_s), ("dmatrix_predict", dmatrix_s),
                                 ("pred_contribs", shap_s)):
            out.write("%s_seconds %.6f\n%s_cpu_seconds %.6f\n" % (key, wall, key, cpu))


if __name__ == "__main__":
    main()
