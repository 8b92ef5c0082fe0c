#!/usr/bin/env python3
"""Stream N rows in the Google Forms layout (UTF-8, no BOM, LF, all quoted) for benchmarks.

    python3 scripts/gen_bulk.py N OUT.csv [--seed S] [--truth OUT.jsonl]

One row per child; siblings are consecutive submissions; ~10% of rows are duplicate
resubmissions of an earlier household (different formatting of name/phone/address),
~2% are rows to reject. Memory stays bounded (only the pending resubmissions are kept),
so 1M rows is fine. --truth writes the same format as samples/truth/truth.jsonl
(households are "B0000001"...).
"""
import argparse
import csv
import datetime as dt
import heapq
import json
import math
import os
import random
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import samplegen as S  # noqa: E402
from samplegen import pools as P  # noqa: E402
from samplegen.core import _child_birthdates as child_birthdates  # noqa: E402

START = dt.datetime(2024, 6, 20, 0, 0, 0)
SPAN = 25 * 86400
P_RESUB = 0.17          # per household; ~10% of all rows end up being resubmissions
SPECIAL_MEMOS = ["memo_newline", "memo_newline2", "memo_quotes", "memo_comma", "memo_formula_eq",
                 "memo_formula_minus", "memo_formula_plus", "memo_padded"]


def phone_bijection(seed):
    r = random.Random(seed * 7 + 1)
    m = 80_000_000
    while True:
        a = r.randrange(1_000_003, m)
        if math.gcd(a, m) == 1:
            break
    b = r.randrange(m)
    return lambda i: 20_000_000 + (a * i + b) % m


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20240715)
    ap.add_argument("--truth", metavar="OUT.jsonl")
    ap.add_argument("--address-kinds", type=float, default=0.0, metavar="SHARE",
                    help="write this share of addresses in issue 18's kinds of writing (labelled in the truth)")
    a = ap.parse_args()
    n_rows = a.n
    rng = random.Random(a.seed)
    kinds_rng = random.Random(a.seed + 18)  # its own draws: without --address-kinds nothing changes
    fname = os.path.basename(a.out)
    phone_of = phone_bijection(a.seed)
    gap = max(1.0, SPAN / max(n_rows, 1))   # mean seconds between rows
    t = 0

    fout = open(a.out, "w", encoding="utf-8", newline="")
    w = csv.writer(fout, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(S.GOOGLE_HEADER)
    tout = open(a.truth, "w", encoding="utf-8", newline="\n") if a.truth else None
    dumps = json.dumps

    # Household templates: full make_household() realism (streets, flags, services), then each
    # bulk household gets what makes a family distinct drawn afresh: phone, guardian name,
    # children (given names and birth dates), unit and 지번. Only what different families
    # really share stays common: streets and apartment complexes, common names by chance.
    trng = random.Random(a.seed + 1)
    pool = [S.make_household(trng, "tmpl", 20000000) for _ in range(6000)]

    def new_household(i):
        base = pool[rng.randrange(len(pool))]
        hh = dict(base)
        hh["id"] = "B%07d" % i
        hh["phone"] = S.phone_canonical(phone_of(i))
        # A home landline belongs to one family: drawn afresh, not shared through the template.
        hh["landline"] = "041-%d-%04d" % (rng.randint(530, 589), rng.randint(0, 9999))
        role = base["role"]
        if base["latin"]:
            hh["guardian"] = rng.choice(P.LATIN_GUARDIANS)
        elif role == "부":
            hh["guardian"] = base["surname"] + rng.choice(P.FATHER_GIVEN)
        elif role == "모":
            hh["guardian"] = S.weighted(rng, S.SURNAME_TABLE) + rng.choice(P.MOTHER_GIVEN)
        elif role == "조모":
            hh["guardian"] = S.weighted(rng, S.SURNAME_TABLE) + rng.choice(P.GRANDMA_GIVEN)
        else:
            hh["guardian"] = base["surname"] + rng.choice(P.GRANDPA_GIVEN)
        kids = base["children"]
        births = child_birthdates(rng, len(kids))
        givens = rng.sample(P.CHILD_GIVEN, len(kids))
        hh["children"] = [dict(c, name=base["surname"] + g, bd=bd) for c, g, bd in zip(kids, givens, births)]
        ad = dict(base["addr"])
        if ad["apt"]:
            dong, ho = rng.randint(101, 115), rng.randint(1, 25) * 100 + rng.randint(1, 4)
            ad["apt"] = (str(dong), str(ho))
            ad["detail"] = "%d동 %d호" % (dong, ho)
        else:
            ad["detail"] = None if rng.random() < 0.55 else "%d0%d호" % (rng.randint(1, 4), rng.randint(1, 3))
        jibun = str(rng.randint(100, 1999))
        ad["jibun"] = jibun + ("-%d" % rng.randint(1, 30) if rng.random() < 0.35 else "")
        hh["addr"] = ad
        return hh

    pending = []  # heap of (due_row, seq, household)
    seq = 0
    hh_index = 0
    row = 1  # header
    written = 0

    def emit(cells, truth):
        nonlocal row, written
        w.writerow(cells)
        row += 1
        written += 1
        if tout:
            truth["file"] = fname
            truth["row"] = row
            tout.write(dumps(S.truth_record(fname, row, truth["household"], truth["reject"], truth["ts"],
                                            truth.get("guardian"), truth.get("address"),
                                            truth.get("children"), truth.get("notes", ())),
                             ensure_ascii=False))
            tout.write("\n")

    # time as integer seconds since START; formatted via per-day prefixes
    day_prefix = {}

    def fmt_ts(sec):
        d, r_ = divmod(sec, 86400)
        pre = day_prefix.get(d)
        if pre is None:
            pre = day_prefix[d] = (START + dt.timedelta(days=d)).strftime("%Y/%m/%d ")
        h, r_ = divmod(r_, 3600)
        m, s_ = divmod(r_, 60)
        return "%s%d:%02d:%02d %s GMT+9" % (pre, h % 12 or 12, m, s_, "오전" if h < 12 else "오후")

    def ts_dt(sec):
        return START + dt.timedelta(seconds=sec)

    lam = 1.0 / gap

    def next_time():
        nonlocal t
        t += max(1, int(rng.expovariate(lam)))
        return t

    def household_row(hh, child, ts, extra, prev=None):
        for _ in range(10):
            nt, nc, nn = S.render_guardian_name(rng, hh, "google")
            pt, pc, pn = S.render_phone(rng, hh, "google")
            if prev is None or (nt, pt) != prev:
                break
        if a.address_kinds and kinds_rng.random() < a.address_kinds:
            at, atr, an = S.render_address_kind(kinds_rng, hh)
        else:
            at, atr, an = S.render_address(rng, hh, "google")
        cn_t, cn, cnn = S.render_child_name(rng, child["name"])
        bt, ctr, bn = S.render_birth_google(rng, child)
        notes = nn + pn + an + cnn + bn + extra
        reject = None
        consent = "동의합니다"
        x = rng.random()
        if x < 0.010:
            consent = "동의하지 않습니다" if x < 0.007 else ""
            reject = "consent_missing"
            notes.append("consent_no" if consent else "consent_empty")
        elif x < 0.014:
            pt, pc, reject = rng.choice(["010-0000-0000", "010-123-456", "010-1234"]), None, "phone_invalid"
            notes.append("phone_placeholder" if pt == "010-0000-0000" else "phone_too_short")
            if pt == "010-0000-0000":
                reject = "test_submission"
        elif x < 0.017:
            pt, pc, reject = "", None, "phone_missing"
            notes.append("phone_empty")
        y = rng.random()
        if y < 0.02:
            sp = rng.choice(SPECIAL_MEMOS)
            memo = P.MEMOS_SPECIAL[sp]
            notes.append(sp)
        else:
            memo = rng.choice(P.MEMOS_PLAIN)
        if "_svc" not in hh or prev is not None:  # one choice per sitting; re-chosen on resubmission
            hh["_svc"] = (S.pick_services(rng, hh, "google"), S.pick_times(rng, "google"),
                          S.pick_types(rng, hh, "google"))
        svc, tms, typ = hh["_svc"]
        cells = [fmt_ts(ts), nt, pt, at, cn_t, bt, svc, tms, typ, consent, memo]
        z = rng.random()
        if z < 0.005:
            for i in (1, 3, 4, 10):
                cells[i] = unicodedata.normalize("NFD", cells[i])
            notes += ["name_nfd", "address_nfd"]
        elif z < 0.0008 + 0.005 and not hh["latin"]:
            cells[1] = S.to_qwerty(nc)
            notes = [x for x in notes if not x.startswith("name_") and x != "cell_padded"] + ["name_qwerty"]
        emit(cells, {"household": hh["id"], "reject": reject, "ts": ts_dt(ts),
                     "guardian": {"name": nc, "phone": pc}, "address": atr, "children": [ctr],
                     "notes": notes} if tout else None)
        return (nt, pt)

    while written < n_rows:
        if pending and pending[0][0] <= written:
            _, _, hh, prev = heapq.heappop(pending)
            child = rng.choice(hh["children"])
            household_row(hh, child, next_time(), ["dup_resubmission"], prev)
            continue
        y = rng.random()
        if y < 0.001:  # test submission
            ts = next_time()
            emit([fmt_ts(ts), rng.choice(["테스트", "test", "TEST"]), "010-1234-5678", "테스트 주소",
                  "테스트", "7", "지역아동센터", "언제든 가능", "해당없음", "동의합니다", "테스트입니다"],
                 {"household": None, "reject": "test_submission", "ts": ts_dt(ts), "notes": ["test_submission"]}
                 if tout else None)
            continue
        hh_index += 1
        hh = new_household(hh_index)
        prev = None
        extra = ["sibling_separate_rows"] if len(hh["children"]) > 1 else []
        for child in hh["children"]:
            if written >= n_rows:
                break
            r_ = household_row(hh, child, next_time(), list(extra))
            prev = prev or r_
        if rng.random() < P_RESUB:
            k = 2 if rng.random() < 0.1 else 1
            for _ in range(k):
                seq += 1
                heapq.heappush(pending, (written + rng.randint(1, 3000), seq, hh, prev))
    fout.close()
    if tout:
        tout.close()
    print("wrote %d rows (%d households) to %s%s" % (written, hh_index, a.out,
                                                     " and truth to " + a.truth if tout else ""),
          file=sys.stderr)


if __name__ == "__main__":
    main()
