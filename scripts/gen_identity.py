#!/usr/bin/env python3
"""Labelled exports for identity (who is the same family), as a city gets them over two days.

    python3 scripts/gen_identity.py OUTDIR [--seed S] [--households N]

Writes OUTDIR/day1/responses.csv (the Google Forms download on day 1), OUTDIR/day2/responses.csv
(the download on day 2: every day-1 row again, in place, plus the new ones) and OUTDIR/truth.jsonl
(one line per day-2 row: file, row, household, phone). Besides ordinary families (one row per
child, some resubmitting with other formatting), it makes the cases that test identity:

- shared lines: 2-4 families giving one centre's or grandparent's landline as their only phone,
  across both days, some with the same common guardian name in different places;
- phone changes: a family resubmits with a new number, its unit written another way
  (`111-201` / `111동 201호` / `111동201호`), with or without the apartment name, sometimes with a
  typo in the guardian's name;
- a typo in the last submission: 3-6 submissions with one number, the last one digit off;
- neighbours: 2-3 families in one apartment building with near-identical guardian names;
- common names: families named 김지영, 이지민, 김민정 in the same 읍면동.

The truth's primary phone of a household is the number most of its rows give (ties: the latest).
"""
import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import samplegen as S  # noqa: E402
from samplegen import pools as P  # noqa: E402

START = dt.datetime(2024, 6, 20, 8, 0, 0)
SPAN_DAYS = 20
# Common guardian names (each a few in a thousand families, as the most common names are).
COMMON = ["김지영", "이지민", "김민정", "김수진", "이은정", "김현주", "박지현", "이정민", "김민준", "이현우", "김지훈", "박성민"]
NEAR = [("김지영", "김지연"), ("이수진", "이수빈"), ("박은정", "박은영"), ("최유진", "최윤진"), ("정미영", "정미경")]


def typo_name(rng, name):
    """One syllable replaced by a close one (a jamo apart): what a hurried parent types."""
    if len(name) < 2:
        return name
    i = rng.randrange(1, len(name))
    code = ord(name[i]) - 0xAC00
    if not 0 <= code < 11172:
        return name
    jong = code % 28
    jong = 4 if jong == 0 else 0  # add or drop a final consonant (ㄴ)
    return name[:i] + chr(0xAC00 + code - code % 28 + jong) + name[i + 1:]


def typo_phone(rng, phone):
    digits = list(phone)
    pos = [i for i, c in enumerate(digits) if c.isdigit()][-8:]
    i = rng.choice(pos)
    digits[i] = str((int(digits[i]) + rng.randint(1, 9)) % 10)
    return "".join(digits)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--households", type=int, default=600)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    used_phones = set()

    def fresh(pattern, low, high):
        """A number no family of the run has yet."""
        while True:
            p = pattern % (rng.randint(low, high), rng.randint(0, 9999))
            if p not in used_phones:
                used_phones.add(p)
                return p

    def mobile():
        return fresh("010-%04d-%04d", 2000, 9999)

    def landline():
        return fresh("041-5%02d-%04d", 30, 99)

    def household(hid, **kw):
        hh = S.make_household(rng, hid, 20000000, **kw)
        hh["phone"] = mobile()
        hh["landline"] = landline()
        return hh

    rows = []  # (time, household id, cells, phone canonical)

    def when(day=None):
        d = rng.uniform(0, SPAN_DAYS) if day is None else day + rng.uniform(0, 1)
        return START + dt.timedelta(days=d)

    def submit(hh, t, phone=None, guardian=None, detail_style=None, building_name=None, child=None, memo=""):
        """One row per child (or just `child`), all at about time `t`."""
        kids = [child] if child else hh["children"]
        for k, c in enumerate(kids):
            h = dict(hh)
            if guardian:
                h["guardian"] = guardian
            ph = phone or hh["phone"]
            nt, _, _ = S.render_guardian_name(rng, h, "google")
            pt, pc, _ = S.render_phone(rng, h, "google", phone=ph,
                                       variant=rng.choice(["hyphen", "nohyphen", "hyphen", "dots", "excel_zero"]))
            addr = dict(hh["addr"])
            style = None
            if addr["apt"] and detail_style:
                dong, ho = addr["apt"]
                addr["detail"] = {"dash": "%s-%s" % (dong, ho), "compact": "%s동%s호" % (dong, ho)}.get(
                    detail_style, "%s동 %s호" % (dong, ho))
            if building_name is False:
                addr["building"] = None
                style = "short"
            elif building_name is True and addr["building"]:
                style = "inline_building"
            at, _, _ = S.render_address(rng, h, "google", style=style, addr=addr)
            cn, _, _ = S.render_child_name(rng, c["name"])
            bt, _, _ = S.render_birth_google(rng, c)
            svc = S.pick_services(rng, h, "google")
            tms = S.pick_times(rng, "google")
            typ = S.pick_types(rng, h, "google")
            ts = t + dt.timedelta(seconds=20 * k)
            rows.append((ts, hh["id"], [S.fmt_ts_google(ts), nt, pt, at, cn, bt, svc, tms, typ, "동의합니다", memo], pc))

    n = 0

    def hid():
        nonlocal n
        n += 1
        return "I%05d" % n

    while n < a.households:
        kind = S.weighted(rng, [("plain", 60), ("shared", 8), ("change", 8), ("typo_last", 6), ("neighbours", 8), ("common", 10)])
        if kind == "plain":
            hh = household(hid())
            t = when()
            submit(hh, t)
            if rng.random() < 0.25:
                submit(hh, t + dt.timedelta(days=rng.uniform(0.1, 6)), child=rng.choice(hh["children"]), memo="다시 신청합니다")
        elif kind == "shared":
            # A centre's or grandparent's line: families of their own names; now and then two of them share
            # a common name (then they live in different 시군구, as in the case that was merged wrongly).
            line = landline()
            same_name = rng.random() < 0.35
            name = rng.choice(COMMON)
            homes = set()
            for j in range(rng.randint(2, 4)):
                twin = same_name and j < 2
                hh = household(hid(), guardian_name=name if twin else None, neighbour_share=1.0 if twin and j == 1 else 0.0)
                while (hh["addr"]["road"], hh["addr"]["bno"]) in homes:  # families of their own homes
                    hh = household(hh["id"], guardian_name=name if twin else None, neighbour_share=1.0 if twin and j == 1 else 0.0)
                homes.add((hh["addr"]["road"], hh["addr"]["bno"]))
                hh["phone"] = line
                t = when()
                submit(hh, t)
                if rng.random() < 0.3:
                    submit(hh, t + dt.timedelta(days=rng.uniform(0.5, 8)), child=rng.choice(hh["children"]))
        elif kind == "change":
            hh = household(hid(), neighbour_share=0.0)
            t = when(rng.uniform(0, SPAN_DAYS / 2))
            style1 = rng.choice(["std", "dash", "compact"])
            submit(hh, t, detail_style=style1, building_name=rng.random() < 0.5)
            new = mobile()
            guardian = typo_name(rng, hh["guardian"]) if rng.random() < 0.3 and not hh["latin"] else None
            style2 = rng.choice([s for s in ["std", "dash", "compact"] if s != style1])
            submit(hh, t + dt.timedelta(days=rng.uniform(1, 9)), phone=new, guardian=guardian, detail_style=style2,
                   building_name=rng.random() < 0.5, child=rng.choice(hh["children"]), memo="번호가 바뀌었습니다")
        elif kind == "typo_last":
            hh = household(hid())
            t = when(rng.uniform(0, SPAN_DAYS / 2))
            k = rng.randint(3, 6)
            for i in range(k - 1):
                submit(hh, t + dt.timedelta(days=i * 0.7), child=rng.choice(hh["children"]))
            submit(hh, t + dt.timedelta(days=(k - 1) * 0.7), phone=typo_phone(rng, hh["phone"]), child=rng.choice(hh["children"]))
        elif kind == "neighbours":
            pair = rng.choice(NEAR)
            base = household(hid(), neighbour_share=0.0)
            while not base["addr"]["apt"]:
                base = household(base["id"], neighbour_share=0.0)
            for j in range(rng.randint(2, 3)):
                hh = base if j == 0 else household(hid(), neighbour_share=0.0)
                if j > 0:
                    addr = dict(base["addr"])
                    dong, ho = rng.randint(101, 115), rng.randint(1, 25) * 100 + rng.randint(1, 4)
                    addr["apt"] = (str(dong), str(ho))
                    addr["detail"] = "%d동 %d호" % (dong, ho)
                    hh["addr"] = addr
                hh["guardian"] = pair[j % 2] if not hh["latin"] else hh["guardian"]
                submit(hh, when())
        else:  # common names in one 동
            name = rng.choice(COMMON)
            base = household(hid(), guardian_name=name, neighbour_share=0.0)
            for j in range(rng.randint(2, 3)):
                hh = base if j == 0 else household(hid(), guardian_name=name, neighbour_share=0.0)
                if j > 0:
                    # Same 읍면동, another street or building of it.
                    same = [s for s in P.STREETS_ASAN if s[0] == base["addr"]["emd"]]
                    st = rng.choice(same)
                    emd, kindd, legal, road, bnos, postal, blds = st
                    bno = rng.choice(bnos)
                    if (road, bno) == (base["addr"]["road"], base["addr"]["bno"]):
                        bno = str(rng.randint(1, 400))  # another building of the 동, not the same home
                    addr = dict(hh["addr"], emd=emd, kind=kindd, legal=legal, road=road, bno=bno, postal=postal)
                    hh["addr"] = addr
                submit(hh, when())

    rows.sort(key=lambda r: r[0])
    cutoff = START + dt.timedelta(days=SPAN_DAYS * 0.55)
    os.makedirs(os.path.join(a.out, "day1"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "day2"), exist_ok=True)
    for day, keep in (("day1", lambda r: r[0] < cutoff), ("day2", lambda r: True)):
        with open(os.path.join(a.out, day, "responses.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
            w.writerow(S.GOOGLE_HEADER)
            for r in rows:
                if keep(r):
                    w.writerow(r[2])
    by_household = {}
    for r in rows:
        by_household.setdefault(r[1], []).append(r[3])
    primary = {}
    for h, phones in by_household.items():
        counts = Counter(phones)
        best = max(counts.values())
        primary[h] = [p for p in phones if counts[p] == best][-1]
    with open(os.path.join(a.out, "truth.jsonl"), "w", encoding="utf-8") as f:
        for i, r in enumerate(rows):
            f.write(json.dumps({"file": "responses.csv", "row": i + 2, "household": r[1], "day1": r[0] < cutoff,
                                "phone": r[3], "primary": primary[r[1]]}, ensure_ascii=False) + "\n")
    print("wrote %d rows (%d on day 1) of %d households to %s" % (len(rows), sum(1 for r in rows if r[0] < cutoff), n, a.out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
