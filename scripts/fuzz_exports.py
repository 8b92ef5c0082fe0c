#!/usr/bin/env python3
"""Structure-aware fuzzing of whole exports through `dolbom run` (docs/fuzzing.md).

    scripts/fuzz_exports.py [--runs N] [--seed S] [--bin PATH] [--timeout SECONDS] [--keep DIR]

Each run takes one export of samples/exports, applies one to three mutations that real exports suffer
(rows and cells swapped, duplicated, deleted; quotes injected; a byte-order mark added or removed; CP949
and UTF-8 mixed; a huge cell; blank lines, titles and notes above the header; the header repeated; the file
cut short; line endings changed; a random byte), runs `dolbom run` on it with samples/dolbom.yaml, and checks:

- the exit code is one the README documents for such a run (0, or 65 when the input could not be read,
  or only in part); 70 (the row-accounting check failed), a signal or any other code is a failure;
- when outputs were written: summary.json's `data_rows` = the rows of applicants.jsonl's `sources` +
  the lines of rejects.jsonl, every row in exactly one of them, and `per_file` adds up;
- for mutations that leave the CSV structure alone (no quote, byte or cut involved), `data_rows` is the
  number of non-blank records under the header as Python's csv module reads the file.

A failing input is kept (under --keep, default .build-fuzz/exports-failures/) with the command's stderr.
The binary defaults to .build/release/dolbom, else .build/debug/dolbom (build one first). A run that
times out is reported apart (the address normalizer is known to be slow on very long cells) and does not
fail the script unless --strict-timeouts is given. Exit status: 0 when every run passed, 1 otherwise.
"""
import argparse
import codecs
import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
EXPORTS = os.path.join(ROOT, "samples", "exports")
CONFIG = os.path.join(ROOT, "samples", "dolbom.yaml")
BOM = b"\xef\xbb\xbf"
csv.field_size_limit(1 << 30)  # the huge-cell mutation
# What `dolbom run` may exit with on one export without --strict (README, ExitCodes.swift).
ALLOWED = {0: "ok", 65: "input unreadable (or only in part)"}


def decode(data):
    body = data[3:] if data.startswith(BOM) else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return body.decode("cp949", "replace"), "cp949"


class Export:
    """An export as lines of bytes (each with its line break), the header first."""

    def __init__(self, name, data):
        self.name = name
        self.bom = data.startswith(BOM)
        self.encoding = decode(data)[1]
        body = data[3:] if self.bom else data
        self.lines = body.splitlines(keepends=True)
        self.above = 0  # lines put above the header
        self.structural = True  # the CSV structure is as Python's csv module reads it

    def bytes(self):
        return (BOM if self.bom else b"") + b"".join(self.lines)

    def enc(self, text):
        return text.encode("cp949" if self.encoding == "cp949" else "utf-8")

    def data_range(self):
        return range(self.above + 1, len(self.lines))


def cells(line):
    return line.rstrip(b"\r\n").split(b",")


def ending(line):
    return line[len(line.rstrip(b"\r\n")):] or b"\n"


# Mutations: each takes (Export, Random) and returns a short description.
def swap_rows(e, r):
    rows = list(e.data_range())
    if len(rows) < 2:
        return "swap rows (too few)"
    a, b = r.sample(rows, 2)
    e.lines[a], e.lines[b] = e.lines[b], e.lines[a]
    # A last line without a line break moved up would join the next one.
    for i in (a, b):
        if not e.lines[i].endswith(b"\n") and i != len(e.lines) - 1:
            e.lines[i] += b"\n"
    return f"swap rows {a + 1} and {b + 1}"


def duplicate_row(e, r):
    rows = list(e.data_range())
    if not rows:
        return "duplicate row (none)"
    a = r.choice(rows)
    line = e.lines[a] if e.lines[a].endswith(b"\n") else e.lines[a] + b"\n"
    e.lines.insert(r.choice(rows + [len(e.lines)]), line)
    if not e.lines[-2].endswith(b"\n"):
        e.lines[-2] += b"\n"
    return f"duplicate row {a + 1}"


def delete_row(e, r):
    rows = list(e.data_range())
    if not rows:
        return "delete row (none)"
    a = r.choice(rows)
    del e.lines[a]
    return f"delete row {a + 1}"


def _unquoted_row(e, r):
    rows = [i for i in e.data_range() if b'"' not in e.lines[i]]
    return r.choice(rows) if rows else None


def swap_cells(e, r):
    a = _unquoted_row(e, r)
    if a is None:
        return "swap cells (no unquoted row)"
    c = cells(e.lines[a])
    if len(c) >= 2:
        i, j = r.sample(range(len(c)), 2)
        c[i], c[j] = c[j], c[i]
    e.lines[a] = b",".join(c) + ending(e.lines[a])
    return f"swap cells in row {a + 1}"


def delete_cell(e, r):
    a = _unquoted_row(e, r)
    if a is None:
        return "delete cell (no unquoted row)"
    c = cells(e.lines[a])
    del c[r.randrange(len(c))]
    e.lines[a] = b",".join(c) + ending(e.lines[a])
    return f"delete a cell in row {a + 1}"


def duplicate_cell(e, r):
    a = _unquoted_row(e, r)
    if a is None:
        return "duplicate cell (no unquoted row)"
    c = cells(e.lines[a])
    i = r.randrange(len(c))
    c.insert(i, c[i])
    e.lines[a] = b",".join(c) + ending(e.lines[a])
    return f"duplicate a cell in row {a + 1}"


def inject_quote(e, r):
    rows = list(e.data_range())
    if not rows:
        return "inject quote (no rows)"
    a = r.choice(rows)
    line = e.lines[a]
    at = r.randrange(max(1, len(line.rstrip(b"\r\n"))))
    e.lines[a] = line[:at] + b'"' + line[at:]
    e.structural = False
    return f"quote injected in row {a + 1} at byte {at}"


def unbalanced_quote_cell(e, r):
    rows = list(e.data_range())
    if not rows:
        return "unbalanced quote (no rows)"
    a = r.choice(rows)
    c = cells(e.lines[a])
    i = r.randrange(len(c))
    c[i] = b'"' + c[i]
    e.lines[a] = b",".join(c) + ending(e.lines[a])
    e.structural = False
    return f"unbalanced quote opens cell {i + 1} of row {a + 1}"


def toggle_bom(e, r):
    e.bom = not e.bom
    return "byte-order mark " + ("added" if e.bom else "removed")


def mix_encodings(e, r):
    rows = list(e.data_range())
    if not rows:
        return "mix encodings (no rows)"
    a = r.choice(rows)
    other = "utf-8" if e.encoding == "cp949" else "cp949"
    word = "똠방각하 김민준".encode(other, "replace")
    line = e.lines[a].rstrip(b"\r\n")
    e.lines[a] = line + b"," + word + ending(e.lines[a])
    return f"{other} text appended to row {a + 1} of a {e.encoding} file"


def huge_cell(e, r):
    a = _unquoted_row(e, r)
    if a is None:
        return "huge cell (no unquoted row)"
    c = cells(e.lines[a])
    i = r.randrange(len(c))
    size = r.choice([10_000, 100_000, 1_000_000])
    c[i] = c[i] + e.enc("아산시 배방읍 ")[:12] * (size // 12)
    e.lines[a] = b",".join(c) + ending(e.lines[a])
    return f"cell {i + 1} of row {a + 1} grown to ~{size} bytes"


def blank_lines_above(e, r):
    n = r.randint(1, 4)
    e.lines[0:0] = [r.choice([b"\n", b"\r\n"]) for _ in range(n)]
    e.above += n
    return f"{n} blank lines above the header"


def notes_above(e, r):
    notes = ["2024년 7월 돌봄 신청 현황,,,", "내보내기: \"응답\" 시트", "\"신청 현황 (미완", "※ 개인정보 \"취급\" 주의", "출력일시,2024-07-15"]
    picked = r.sample(notes, r.randint(1, 3))
    e.lines[0:0] = [e.enc(n) + b"\n" for n in picked]
    e.above += len(picked)
    if any('"' in n for n in picked):
        e.structural = False  # Python's csv module reads a broken note across lines
    return f"{len(picked)} title/note lines above the header: {picked}"


def repeat_header(e, r):
    header = e.lines[e.above]
    header = header if header.endswith(b"\n") else header + b"\n"
    at = r.randint(e.above + 1, len(e.lines))
    if at == len(e.lines) and not e.lines[-1].endswith(b"\n"):
        e.lines[-1] += b"\n"
    e.lines.insert(at, header)
    return f"header repeated at line {at + 1}"


def cut_short(e, r):
    data = b"".join(e.lines)
    cut = r.randrange(len(data) // 2, len(data)) if data else 0
    body = data[:cut]
    e.lines = body.splitlines(keepends=True) or [b""]
    e.structural = False
    return f"cut at byte {cut}"


def line_endings(e, r):
    to = r.choice([b"\n", b"\r\n", b"\r"])
    e.lines = [l.rstrip(b"\r\n") + to if l.endswith((b"\n", b"\r")) else l for l in e.lines]
    if to == b"\r":
        e.structural = False  # quoted cells' own line breaks stay; keep the check to the plain ones
    return f"line endings {to!r}"


def random_byte(e, r):
    a = r.randrange(len(e.lines))
    line = bytearray(e.lines[a])
    if not line:
        return "random byte (empty line)"
    line[r.randrange(len(line))] = r.randrange(256)
    e.lines[a] = bytes(line)
    e.structural = False
    return f"a random byte in line {a + 1}"


MUTATIONS = [swap_rows, duplicate_row, delete_row, swap_cells, delete_cell, duplicate_cell, inject_quote,
             unbalanced_quote_cell, toggle_bom, mix_encodings, huge_cell, blank_lines_above, notes_above,
             repeat_header, cut_short, line_endings, random_byte]


def python_data_rows(e):
    """Non-blank records under the header, as Python's csv module reads the mutated file."""
    text, _ = decode(e.bytes())
    records = list(csv.reader(io.StringIO(text, newline="")))
    # The header is the first record after the lines put above it (blank lines are empty records).
    return sum(1 for rec in records[e.above + 1:] if rec)


def check(outdir, expected_rows):
    """Problems with the outputs' row accounting (empty when it holds)."""
    problems = []
    summary = json.load(open(os.path.join(outdir, "summary.json"), encoding="utf-8"))
    rows = summary["counts"]["data_rows"]
    landed = []
    with open(os.path.join(outdir, "applicants.jsonl"), encoding="utf-8") as f:
        for line in f:
            for s in json.loads(line)["sources"]:
                if s.get("from_state") is None:
                    landed.append((s["file"], s["row"]))
    accepted = len(landed)
    rejects_path = os.path.join(outdir, "rejects.jsonl")
    if os.path.exists(rejects_path):
        with open(rejects_path, encoding="utf-8") as f:
            for line in f:
                rj = json.loads(line)
                landed.append((rj["file"], rj["row"]))
    if rows != len(landed):
        problems.append(f"data_rows {rows} != {accepted} applicants' rows + {len(landed) - accepted} rejects")
    if len(set(landed)) != len(landed):
        problems.append("a row landed twice")
    if sum(p["data_rows"] for p in summary["per_file"]) != rows:
        problems.append("per_file data_rows do not add up")
    if not summary["invariant"].startswith("ok:"):
        problems.append(f"invariant: {summary['invariant']}")
    if expected_rows is not None and rows != expected_rows:
        problems.append(f"data_rows {rows}, Python's csv module reads {expected_rows} records under the header")
    return problems, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--keep", default=os.path.join(ROOT, ".build-fuzz", "exports-failures"))
    ap.add_argument("--strict-timeouts", action="store_true")
    args = ap.parse_args()
    binary = args.bin or next((p for p in (os.path.join(ROOT, ".build", c, "dolbom") for c in ("release", "debug"))
                               if os.path.exists(p)), None)
    if not binary:
        sys.exit("fuzz_exports: no dolbom binary; run `swift build` (or -c release) first, or pass --bin")
    samples = sorted(n for n in os.listdir(EXPORTS) if n.endswith(".csv"))
    r = random.Random(args.seed)
    started = time.time()
    failures, timeouts, codes, kinds = [], [], {}, {}
    checked = structural = 0
    work = tempfile.mkdtemp(prefix="dolbom-fuzz-exports-")
    try:
        for run in range(args.runs):
            name = r.choice(samples)
            e = Export(name, open(os.path.join(EXPORTS, name), "rb").read())
            chosen = r.sample(MUTATIONS, r.randint(1, 3))
            applied = [m(e, r) for m in chosen]
            for m in chosen:
                kinds[m.__name__] = kinds.get(m.__name__, 0) + 1
            folder = os.path.join(work, f"run{run}")
            os.makedirs(folder)
            path = os.path.join(folder, name)
            open(path, "wb").write(e.bytes())
            out = os.path.join(folder, "out")
            cmd = [binary, "run", "-q", "--config", CONFIG, "--as-of", "2024-07-15", "--out", out, path]
            try:
                p = subprocess.run(cmd, capture_output=True, timeout=args.timeout, cwd=ROOT)  # the config's paths are relative
            except subprocess.TimeoutExpired:
                timeouts.append((run, name, applied))
                shutil.rmtree(folder, ignore_errors=True)
                continue
            codes[p.returncode] = codes.get(p.returncode, 0) + 1
            problems = []
            if p.returncode not in ALLOWED:
                problems.append(f"exit code {p.returncode}")
            elif os.path.exists(os.path.join(out, "summary.json")):
                expected = python_data_rows(e) if e.structural else None
                found, _ = check(out, expected)
                checked += 1
                structural += expected is not None
                problems += found
            else:
                problems.append(f"exit code {p.returncode} but no summary.json")
            if problems:
                keep = os.path.join(args.keep, f"seed{args.seed}-run{run}")
                os.makedirs(keep, exist_ok=True)
                shutil.copy(path, keep)
                open(os.path.join(keep, "stderr.txt"), "wb").write(p.stderr)
                open(os.path.join(keep, "mutations.txt"), "w").write("\n".join(applied + problems) + "\n")
                failures.append((run, name, applied, problems))
                print(f"FAIL run {run} ({name}): {'; '.join(applied)} -> {'; '.join(problems)}", file=sys.stderr)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.time() - started
    print(f"fuzz_exports: {args.runs} runs (seed {args.seed}, {os.path.relpath(binary, ROOT)}) in {elapsed:.0f} s; "
          f"exit codes {dict(sorted(codes.items()))}; accounting checked on {checked} ({structural} also against Python's csv count); "
          f"{len(failures)} failures; {len(timeouts)} timeouts (> {args.timeout:.0f} s)")
    print("mutations applied: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    for run, name, applied, _ in timeouts:
        print(f"timeout run {run} ({name}): {'; '.join(applied)}")
    sys.exit(1 if failures or (timeouts and args.strict_timeouts) else 0)


if __name__ == "__main__":
    main()
