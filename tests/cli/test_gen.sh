#!/usr/bin/env bash
# End-to-end: puhui gen writes a complete province that its manifest describes
# exactly (rows, bytes, BLAKE2b-256 checksums checked with wc and b2sum), the
# same arguments give the same bytes whatever the thread count, and bad
# options are refused with the option named, before anything is written.
set -e
. "$(dirname "$0")/lib.sh"
# python3 reads the JSON (the manifest, the summary); without it this test
# would check nothing, so it fails rather than skips.
command -v python3 >/dev/null || { echo "not ok - test_gen.sh needs python3 (apt-get install python3)"; exit 1; }

# 1,500 firms over half a year: every file gets rows. A run costs about
# 0.3 s (1 s under ASan), mostly per month (the PD tables), not per firm.
SMALL=(--enterprises 1500 --months 6)

# jget FILE EXPR: the Python expression EXPR over the JSON document d in FILE
jget() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# differ A B: the two files are not byte-identical
differ() { ! cmp -s "$1" "$2"; }

# manifest_entries DIR: one "path rows bytes checksum" line per listed file
manifest_entries() {
    jget "$1/manifest.json" \
        '"\n".join("%s %d %d %s" % (f["path"], f["rows"], f["bytes"], f["checksum"]) for f in d["files"])'
}

# verify_manifest DIR: every listed file exists with exactly the rows (lines
# after the header), bytes and checksum listed, and nothing else was written
verify_manifest() {
    local dir=$1 entries path rows bytes sum lines size hash bad=0
    entries=$(manifest_entries "$dir")
    while read -r path rows bytes sum; do
        if [ ! -f "$dir/$path" ]; then
            echo "  $path: listed but not written"
            bad=1
            continue
        fi
        lines=$(($(wc -l <"$dir/$path") - 1))
        size=$(($(wc -c <"$dir/$path")))
        hash="blake2b-256:$(b2sum -l 256 "$dir/$path" | cut -d' ' -f1)"
        [ "$lines" = "$rows" ] || { echo "  $path: $rows rows listed, $lines lines after the header"; bad=1; }
        [ "$size" = "$bytes" ] || { echo "  $path: $bytes bytes listed, $size on disk"; bad=1; }
        [ "$hash" = "$sum" ] || { echo "  $path: checksum listed $sum, b2sum says $hash"; bad=1; }
    done <<<"$entries"
    local written listed
    written=$(cd "$dir" && find . -type f ! -name manifest.json | sed 's|^\./||' | sort)
    listed=$(cut -d' ' -f1 <<<"$entries" | sort)
    [ "$written" = "$listed" ] || { echo "  files written and files listed differ"; bad=1; }
    [ "$(wc -l <<<"$listed")" -eq 30 ] || { echo "  $(wc -l <<<"$listed") files listed, expected 30"; bad=1; }
    [ "$bad" -eq 0 ]
}

# files_table_matches DIR: the summary's Files table has each listed file's rows and bytes
files_table_matches() {
    local path rows bytes sum bad=0
    while read -r path rows bytes sum; do
        grep -Eq "^${path//./\\.} +$rows +$bytes\$" <<<"$OUT" ||
            { echo "  no '$path $rows $bytes' row in the Files table"; bad=1; }
    done < <(manifest_entries "$1")
    [ "$bad" -eq 0 ]
}

# ---- a run and its manifest ----------------------------------------------------
run 0 gen "${SMALL[@]}" --out "$WORK/a"
check "run line names the options" \
    contains "$OUT" "puhui gen: 1500 enterprises x 6 months from 2024-01, seed 1, baseline -> $WORK/a"
for title in "The province" "Firms by city" "Firms by industry" "Firms by size (2011 rule)" \
    "Data coverage" "Files"; do
    check "summary has the table '$title'" grep -qx "$title" <<<"$OUT"
done
check "province table has the default rate" grep -Eq '^annual default rate +[0-9.]+% +1\.5-3%$' <<<"$OUT"
check "city table has Jinan" grep -Eq '^370100 +济南市 +[0-9]+ ' <<<"$OUT"
check "coverage table has VAT" grep -Eq '^vat +[0-9]+ +[0-9.]+% +[0-9.]+%$' <<<"$OUT"
check "no progress on a non-terminal stderr" [ -z "$ERR" ]
check "manifest.json written" [ -f "$WORK/a/manifest.json" ]
check "every listed file has its rows, bytes and checksum" verify_manifest "$WORK/a"
check "Files table agrees with the manifest" files_table_matches "$WORK/a"
check "one registration row per enterprise" \
    grep -Eq '^feeds/registration\.csv 1500 ' <<<"$(manifest_entries "$WORK/a")"
check "manifest has the options, the enterprises and how to check a file" \
    [ "$(jget "$WORK/a/manifest.json" '"%(enterprises)s %(months)s %(start)s %(seed)s %(scenario)s \
%(dirty_rate)s" % d["options"] + " | %s | %s" % (d["summary"]["enterprises"], d["checksum_tool"])')" \
    = "1500 6 2024-01 1 baseline 0.000000 | 1500 | b2sum -l 256 FILE" ]
run 0 --format json feeds list
cp "$WORK/out" "$WORK/catalog.json"
check "manifest lists the feed catalog's files, with their column counts as headers" python3 -c '
import json, sys
catalog = {f["path"]: f for f in json.load(open(sys.argv[1]))}
files = json.load(open(sys.argv[2] + "/manifest.json"))["files"]
assert sorted(catalog) == sorted(f["path"] for f in files), "paths differ"
for f in files:
    assert f["feed"] == catalog[f["path"]]["name"], f["path"]
    assert f["area"] == f["path"].split("/")[0], f["path"]
    header = open(sys.argv[2] + "/" + f["path"], encoding="utf-8").readline()
    assert len(header.split(",")) == catalog[f["path"]]["columns"], f["path"]
' "$WORK/catalog.json" "$WORK/a"
run 0 csv check "$WORK"/a/*/*.csv
check "every file is well-formed CSV" [ "$(grep -c '  ok$' <<<"$OUT")" -eq 30 ]
check "truth/dirty.csv of a clean run has only its header" \
    [ "$(cat "$WORK/a/truth/dirty.csv")" = "file,line,kind,field,detail" ]

# ---- determinism ------------------------------------------------------------------
run 0 gen "${SMALL[@]}" --out "$WORK/b"
check "the same arguments give the same files" diff -r "$WORK/a" "$WORK/b"
# Threads fill blocks of 2,048 firms; 16,500 firms make 9 blocks, more than
# the 7 slots three threads use (5 for two, 3 for one), so slots are reused
# and blocks finish out of order. Dirty rows check that line numbers survive
# that too.
MANY=(--enterprises 16500 --months 2 --dirty 0.01)
run 0 gen "${MANY[@]}" --threads 1 --out "$WORK/t1"
run 0 gen "${MANY[@]}" --threads 2 --out "$WORK/t2"
check "--threads 1 and --threads 2 give the same files" diff -r "$WORK/t1" "$WORK/t2"
check "the nine-block run's manifest is exact" verify_manifest "$WORK/t2"
# Each file's checksum is taken block by block by whichever thread is free;
# three workers and the writer race for those jobs, and must still hash
# every file's blocks in order, before a block's slot is reused.
run 0 gen "${MANY[@]}" --threads 3 --out "$WORK/t3"
check "--threads 3 gives the same files" diff -r "$WORK/t1" "$WORK/t3"
check "the three-thread run's manifest is exact" verify_manifest "$WORK/t3"
rm -rf "$WORK/t1" "$WORK/t2" "$WORK/t3"

# ---- progress: shown on a terminal (forced here with PUHUI_PROGRESS=1), never in a pipe --------
PUHUI_PROGRESS=1 run 0 gen "${SMALL[@]}" --out "$WORK/p"
check "the progress line counts firms, with a rate" \
    contains "$ERR" "puhui gen: 1,500 / 1,500 enterprises, "
check "and ends with the time it took" contains "$ERR" " elapsed"
check "the files are those of an unmetered run" diff -r "$WORK/a" "$WORK/p"
unset PUHUI_PROGRESS # the default: standard error here is a file, not a terminal
run 0 gen "${SMALL[@]}" --out "$WORK/q" --force
check "no progress line when standard error is not a terminal" [ -z "$ERR" ]
if command -v script >/dev/null; then
    script -qec "'$PUHUI' gen ${SMALL[*]} --out '$WORK/r'" /dev/null >"$WORK/tty" 2>&1 || true
    check "on a real terminal (script(1)) the line is drawn" grep -q "enterprises, .*/s" "$WORK/tty"
fi
rm -rf "$WORK/p" "$WORK/q" "$WORK/r"

# ---- another seed, and the JSON summary ----------------------------------------------
run 0 --format json gen "${SMALL[@]}" --seed 2 --out "$WORK/e"
cp "$WORK/out" "$WORK/e.json"
check "a different seed gives a different registration.csv" \
    differ "$WORK/a/feeds/registration.csv" "$WORK/e/feeds/registration.csv"
check "with the same header" \
    [ "$(head -1 "$WORK/a/feeds/registration.csv")" = "$(head -1 "$WORK/e/feeds/registration.csv")" ]
check "json summary parses" python3 -c 'import json,sys; json.load(sys.stdin)' <"$WORK/e.json"
check "json summary has every table" [ "$(jget "$WORK/e.json" \
    '" ".join(k for k in ("province", "cities", "industries", "sizes", "coverage", "files") if k in d)')" \
    = "province cities industries sizes coverage files" ]
check "json summary has the options" \
    [ "$(jget "$WORK/e.json" '"%(enterprises)s %(months)s %(seed)s %(scenario)s" % d')" = "1500 6 2 baseline" ]
check "json files agree with the manifest" python3 -c '
import json, sys
summary = json.load(open(sys.argv[1]))["files"]
manifest = json.load(open(sys.argv[2]))["files"]
assert [(f["file"], f["rows"], f["bytes"]) for f in summary] == \
       [(f["path"], f["rows"], f["bytes"]) for f in manifest]
' "$WORK/e.json" "$WORK/e/manifest.json"

# ---- stress and dirty data ----------------------------------------------------------
run 0 gen "${SMALL[@]}" --scenario stress --dirty 0.02 --out "$WORK/s"
check "run line says stress and dirty" contains "$OUT" "seed 1, stress, dirty -> $WORK/s"
check "manifest options say stress" [ "$(jget "$WORK/s/manifest.json" 'd["options"]["scenario"]')" = stress ]
check "manifest options give the dirty rate" \
    [ "$(jget "$WORK/s/manifest.json" 'd["options"]["dirty_rate"]')" = 0.020000 ]
check "the stress scenario changes the macro path" differ "$WORK/b/truth/macro.csv" "$WORK/s/truth/macro.csv"
check "dirty run's manifest is exact" verify_manifest "$WORK/s"
dirty_rows=$(($(wc -l <"$WORK/s/truth/dirty.csv") - 1))
check "truth/dirty.csv lists bad rows" [ "$dirty_rows" -gt 0 ]
check "summary counts them" contains "$OUT" "$dirty_rows bad rows injected, listed in truth/dirty.csv"
check "manifest counts them" [ "$(jget "$WORK/s/manifest.json" 'd["summary"]["dirty_rows"]')" = "$dirty_rows" ]
check "every listed (file, line) exists, and duplicates repeat the line above" python3 -c '
import csv, sys
root, lines = sys.argv[1], {}
with open(root + "/truth/dirty.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        path, n = row["file"], int(row["line"])
        assert path.startswith(("feeds/", "reference/")), path
        if path not in lines:
            lines[path] = open(root + "/" + path, "rb").read().split(b"\n")[:-1]
        assert 2 <= n <= len(lines[path]), (path, n, len(lines[path]))
        if row["kind"] == "duplicate_row":
            assert lines[path][n - 1] == lines[path][n - 2], (path, n)
' "$WORK/s"

# ---- an existing directory, and --force ----------------------------------------------
run 2 gen "${SMALL[@]}" --out "$WORK/a"
check "a non-empty directory is named" \
    contains "$ERR" "field out, value '$WORK/a': the directory is not empty"
check "and --force suggested" contains "$ERR" "pass --force to replace an earlier run"
check "the earlier run is untouched" diff -r "$WORK/a" "$WORK/b"
TINY=(--enterprises 200 --months 2 --seed 3)
run 0 gen "${TINY[@]}" --out "$WORK/a" --force
run 0 gen "${TINY[@]}" --out "$WORK/f"
check "--force replaces the earlier run entirely" diff -r "$WORK/a" "$WORK/f"

# ---- bad options: exit 2 for usage, 1 for the file system -----------------------------
X="$WORK/x"
run 2 gen "${SMALL[@]}"
check "--out is required" contains "$ERR" "puhui: error: --out DIR is required"
check "with a pointer to the help" contains "$ERR" "see 'puhui help gen'"
run 2 gen --out
check "--out needs a value" contains "$ERR" "--out needs a value"
run 2 gen --out "$X" --start 2024-13
check "month 13 refused" contains "$ERR" "field --start, value '2024-13': month 13 does not exist"
run 2 gen --out "$X" --start 2015-12
check "start before 2016 refused" contains "$ERR" "field start, value '2015-12': expected a month from 2016-01 to 2030-12"
run 2 gen --out "$X" --months 0
check "zero months refused" contains "$ERR" "--months takes a whole number from 1 to 120, got '0'"
run 2 gen --out "$X" --months 121
check "more than ten years refused" contains "$ERR" "--months takes a whole number from 1 to 120, got '121'"
run 2 gen --out "$X" --enterprises 0
check "zero enterprises refused" \
    contains "$ERR" "--enterprises takes a whole number from 1 to 20000000, got '0'"
run 2 gen --out "$X" --seed -1
check "negative seed refused" contains "$ERR" "--seed takes a whole number from 0 to"
run 2 gen --out "$X" --threads 65
check "too many threads refused" contains "$ERR" "--threads takes a whole number from 0 to 64, got '65'"
run 2 gen --out "$X" --scenario boom
check "unknown scenario named" contains "$ERR" "field --scenario, value 'boom': expected baseline or stress"
run 2 gen --out "$X" --dirty 0.9
check "dirty rate above half refused" contains "$ERR" "--dirty takes a rate from 0 to 0.5 (or 50%), got '0.9'"
run 2 gen --out "$X" --dirty abc
check "dirty rate must be a rate" contains "$ERR" "field --dirty, value 'abc': unexpected 'a' at position 1"
run 2 gen --out "$X" --bogus
check "unknown option named" contains "$ERR" "unknown option '--bogus' for 'gen'"
run 2 gen --out "$X" extra
check "stray argument named" contains "$ERR" "unexpected argument 'extra' for 'gen'"
check "no refused run created its directory" [ ! -e "$X" ]
: >"$WORK/plain"
run 1 gen --out "$WORK/plain"
check "a file in the way is named" contains "$ERR" "field out, value '$WORK/plain': cannot open: Not a directory"
run 1 gen --enterprises 5 --months 1 --out "$WORK/missing/parent"
check "a missing parent is named" \
    contains "$ERR" "value '$WORK/missing/parent': cannot create the directory: No such file or directory"
check "and no manifest" [ ! -e "$WORK/missing/parent/manifest.json" ]
run 0 gen --help
check "help for gen" contains "$OUT" "usage: puhui gen --out DIR"

finish
