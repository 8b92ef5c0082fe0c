#!/usr/bin/env python3
"""Derives the fuzzers' seed corpora from samples/exports (docs/fuzzing.md).

    scripts/fuzz_seeds.py OUTDIR        writes OUTDIR/<target>/<name> for every target of scripts/fuzz.sh

csv-reader: each sample export's header with its first 3 and 15 rows, and each with a title, a note with a
stray quote and one with an unbalanced quote above the header. Normalizers: the distinct cells of the
columns that feed them (decoded from the sample's encoding, as UTF-8), at most 300 a target.
Deterministic: the same samples give the same files.
"""
import csv
import hashlib
import io
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
EXPORTS = os.path.join(ROOT, "samples", "exports")

# Header words (as in HeaderDetector, simplified) → normalizer target.
COLUMNS = [
    ("consent", ["동의"]),
    ("timestamp", ["타임스탬프", "제출일시", "접수일시", "신청일시", "일시"]),
    ("language", ["언어"]),
    ("contact-window", ["시간대", "통화가능", "상담가능", "가능시간"]),
    ("phone", ["연락처", "휴대폰", "휴대전화", "전화"]),
    ("address", ["주소", "거주지"]),
    ("flags", ["가구", "해당"]),
    ("care-type", ["서비스", "돌봄"]),
    ("child-age", ["생년월일", "나이", "학년", "연령"]),
    ("name", ["성명", "이름", "신청인", "아동명"]),
]
TARGETS = ["csv-reader"] + [t for t, _ in COLUMNS]


def decode(data):
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", "replace"), "utf-8"


def target_of(header):
    folded = header.replace(" ", "")
    for target, words in COLUMNS:
        if any(w in folded for w in words):
            return target
    return None


def write(folder, content):
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(content).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(content)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build-fuzz", "seeds")
    cells = {t: set() for t, _ in COLUMNS}
    for name in sorted(os.listdir(EXPORTS)):
        if not name.endswith(".csv"):
            continue
        data = open(os.path.join(EXPORTS, name), "rb").read()
        text, encoding = decode(data)
        reader_dir = os.path.join(out, "csv-reader")
        # Not whole files: libFuzzer's inputs grow to the largest seed, and small ones run many times faster.
        lines = data.splitlines(keepends=True)
        write(reader_dir, b"".join(lines[:4]))
        write(reader_dir, b"".join(lines[:16]))
        bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
        body = data[len(bom):]
        enc = "utf-8" if encoding != "cp949" else "cp949"
        for preamble in ["2024년 7월 돌봄 신청 현황,,,\n", "내보내기: \"응답\" 시트\n\n", "\"신청 현황 (미완\n"]:
            write(reader_dir, bom + preamble.encode(enc) + b"".join(body.splitlines(keepends=True)[:6]))
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            continue
        header = rows[0]
        for i, h in enumerate(header):
            t = target_of(h)
            if t is None:
                continue
            for row in rows[1:]:
                if i < len(row) and len(cells[t]) < 300:
                    cells[t].add(row[i])
    for t, values in cells.items():
        for v in sorted(values):
            write(os.path.join(out, t), v.encode("utf-8"))
    for t in TARGETS:
        os.makedirs(os.path.join(out, t), exist_ok=True)
    counts = {t: len(os.listdir(os.path.join(out, t))) for t in TARGETS}
    print("fuzz seeds: " + ", ".join(f"{t} {n}" for t, n in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
