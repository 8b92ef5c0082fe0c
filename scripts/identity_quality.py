#!/usr/bin/env python3
"""Measures identity over two days of cumulative exports, for several seeds (docs/quality.md, "Identity").

    python3 scripts/identity_quality.py [--seeds 1 2 3] [--households 600] [--binary .build/release/dolbom] [--work DIR]

For each seed: scripts/gen_identity.py writes day-1 and day-2 exports with their truth; dolbom runs on
day 1 with a fresh state, then on day 2 with the same state (as cron would). Reported on day 2:
pairwise precision and recall (pairs of rows in one household), primary-phone accuracy (households
whose rows are one true family: is the primary number the one most of its rows give), review pairs
per 1,000 rows, and duplicate ids (an id twice in applicants.jsonl, or an id that passed from one
family on day 1 to another on day 2). Exit status 1 when an aim is missed.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import combinations

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AIMS = {"precision": 0.999, "recall": 0.99, "primary_phone": 0.995, "review_per_1000": 5.0, "duplicate_ids": 0}


def digits(p):
    return "".join(c for c in (p or "") if c.isdigit())


def applicants(out):
    with open(os.path.join(out, "applicants.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def pairs(groups):
    s = set()
    for g in groups:
        for a, b in combinations(sorted(g), 2):
            s.add((a, b))
    return s


def run(binary, args):
    r = subprocess.run([binary] + args, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.stderr.write(r.stderr)
        raise SystemExit("dolbom exited %d" % r.returncode)


def measure(seed, households, binary, work):
    d = os.path.join(work, "seed%d" % seed)
    subprocess.run(["rm", "-rf", d], check=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_identity.py"), d, "--seed", str(seed),
                    "--households", str(households)], check=True, capture_output=True)
    truth = [json.loads(line) for line in open(os.path.join(d, "truth.jsonl"), encoding="utf-8")]
    state = os.path.join(d, "state.sqlite")
    for day in ("day1", "day2"):
        run(binary, ["run", "-q", "--state", state, "--as-of", "2024-07-20", "--out", os.path.join(d, "out-" + day),
                     os.path.join(d, day)])
    truth_of = {t["row"]: t for t in truth}
    day1 = applicants(os.path.join(d, "out-day1"))
    day2 = applicants(os.path.join(d, "out-day2"))

    # Rows in each applicant (day 2), and the true family of each row.
    groups = [[s["row"] for s in a["sources"]] for a in day2]
    found = pairs(groups)
    true_groups = defaultdict(list)
    for t in truth:
        true_groups[t["household"]].append(t["row"])
    expected = pairs(true_groups.values())
    tp = len(found & expected)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(expected) if expected else 1.0

    # Primary phone, on households that are exactly one true family.
    right = total = 0
    for a in day2:
        fams = {truth_of[s["row"]]["household"] for s in a["sources"]}
        if len(fams) != 1:
            continue
        fam = fams.pop()
        if sorted(s["row"] for s in a["sources"]) != sorted(true_groups[fam]):
            continue
        total += 1
        right += digits(a["guardian"]["phone"]) == digits(truth_of[a["sources"][0]["row"]]["primary"])

    # Duplicate ids: twice in one file, or passed to another family between the days.
    ids = Counter(a["applicant_id"] for a in day2)
    dup = sum(c - 1 for c in ids.values() if c > 1)
    fam1 = {a["applicant_id"]: {truth_of[s["row"]]["household"] for s in a["sources"]} for a in day1}
    for a in day2:
        before = fam1.get(a["applicant_id"])
        now = {truth_of[s["row"]]["household"] for s in a["sources"]}
        if before is not None and before.isdisjoint(now):
            dup += 1

    with open(os.path.join(d, "out-day2", "review.csv"), encoding="utf-8-sig") as f:
        review = max(0, sum(1 for _ in csv.reader(f)) - 1)
    wrong_merges = sum(1 for g in groups if len({truth_of[r]["household"] for r in g}) > 1)
    split = sum(1 for fam, rows in true_groups.items()
                if len({i for i, g in enumerate(groups) for r in g if r in set(rows)}) > 1)
    return {"seed": seed, "rows": len(truth), "households": len(true_groups), "applicants": len(day2),
            "precision": precision, "recall": recall, "pairs": len(expected), "pairs_found": len(found),
            "primary_phone": right / total if total else 1.0, "primary_checked": total,
            "review": review, "review_per_1000": review * 1000 / len(truth), "duplicate_ids": dup,
            "wrong_merges": wrong_merges, "split_families": split}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--households", type=int, default=600)
    release = os.path.join(ROOT, ".build", "release", "dolbom")
    ap.add_argument("--binary", default=release if os.path.exists(release) else os.path.join(ROOT, ".build", "debug", "dolbom"))
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "identity"))
    a = ap.parse_args()
    results = [measure(s, a.households, a.binary, a.work) for s in a.seeds]
    print("| seed | rows | families | households | precision | recall | primary phone | review /1,000 rows | duplicate ids | wrong merges | split families |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print("| %d | %d | %d | %d | %.4f (%d/%d) | %.4f | %.4f (%d) | %.1f (%d) | %d | %d | %d |" % (
            r["seed"], r["rows"], r["households"], r["applicants"], r["precision"], r["pairs_found"] and round(r["precision"] * r["pairs_found"]),
            r["pairs_found"], r["recall"], r["primary_phone"], r["primary_checked"], r["review_per_1000"], r["review"],
            r["duplicate_ids"], r["wrong_merges"], r["split_families"]))
    missed = [(r["seed"], k) for r in results for k, aim in AIMS.items()
              if (r[k] > aim if k in ("review_per_1000", "duplicate_ids") else r[k] < aim)]
    if missed:
        print("aims missed: " + ", ".join("seed %d %s" % m for m in missed))
        return 1
    print("all aims met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
