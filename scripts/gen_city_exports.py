#!/usr/bin/env python3
"""The three exports a city sends, at benchmark size (the layouts of scripts/gen_samples.py, more families).

    python3 scripts/gen_city_exports.py ROWS OUTDIR [--seed S]

Writes OUTDIR/exports/ (about ROWS data rows in all) and OUTDIR/truth/truth.jsonl:
  asan_google_form_2024-07.csv  Google Forms: UTF-8, no BOM, LF, all quoted, one row per child (~50% of rows)
  asan_city_form_excel.csv      Excel "CSV (쉼표로 분리)": CP949, CRLF, minimal quoting (~33%)
  dreamstart_family_form.csv    Excel "CSV UTF-8": BOM, CRLF, one row per family, numbered child columns (~17%)
with the samples' resubmissions (a family sending again, in the same file or another, written otherwise),
test rows, empty rows and rows to reject. Python builds every row in memory: about 4 minutes of CPU and
2 GB per million rows.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_samples as G  # noqa: E402

ROWS_PER_HOUSEHOLD = 32298 / 22200  # measured: gen_samples' mix of families, children and resubmissions


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=G.SEED)
    a = ap.parse_args()
    G.N_HOUSEHOLDS = max(222, round(a.rows / ROWS_PER_HOUSEHOLD))
    G.SEED = a.seed
    g = G.Gen()
    g.run()
    truth = g.write(a.out)
    print(f"{len(truth)} rows in {a.out}/exports", file=sys.stderr)


if __name__ == "__main__":
    main()
