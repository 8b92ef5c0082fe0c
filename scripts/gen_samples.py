#!/usr/bin/env python3
"""Generate dolbom's sample exports and their truth file (deterministic).

    python3 scripts/gen_samples.py [--out DIR]     # DIR defaults to <repo>/samples

Writes
  samples/exports/asan_google_form_2024-07.csv  Google Forms: UTF-8, no BOM, LF, all quoted
  samples/exports/asan_city_form_excel.csv      Excel "CSV (쉼표로 분리)": CP949, CRLF, minimal quoting
  samples/exports/dreamstart_family_form.csv    Excel "CSV UTF-8": UTF-8 BOM, CRLF, family per row
  samples/truth/truth.jsonl                     one JSON object per data row (see README in report)
and prints a summary of row counts and messiness proportions.
"""
import argparse
import collections
import copy
import csv
import datetime as dt
import io
import json
import os
import random
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import samplegen as S  # noqa: E402
from samplegen import pools as P  # noqa: E402

SEED = 20240715
F_GOOGLE = "asan_google_form_2024-07.csv"
F_EXCEL = "asan_city_form_excel.csv"
F_DREAM = "dreamstart_family_form.csv"
CHANNEL_FILE = {"google": F_GOOGLE, "excel": F_EXCEL, "dream": F_DREAM}
N_HOUSEHOLDS = 222
START = dt.datetime(2024, 6, 20, 0, 0, 0)
END = dt.datetime(2024, 7, 14, 23, 59, 59)


class Gen:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.rows = []  # dicts: channel, ts, cells, truth, memo_idx, text_idx

    # ------------------------------------------------------------ timing
    def base_time(self, latest=dt.datetime(2024, 7, 9, 23, 0)):
        r = self.rng
        span_days = (latest.date() - START.date()).days
        day = START + dt.timedelta(days=r.randint(0, span_days))
        hour = S.weighted(r, [(h, w) for h, w in zip(range(24), [2, 1, 1, 0.5, 0.5, 1, 2, 4, 6, 8, 9, 9,
                                                                 8, 8, 8, 8, 7, 6, 6, 7, 9, 10, 8, 5])])
        return day.replace(hour=hour, minute=r.randint(0, 59), second=r.randint(0, 59))

    @staticmethod
    def for_channel(ts, channel):
        return ts.replace(second=0) if channel == "excel" else ts

    # ------------------------------------------------------------ identity
    def identity(self, hh, channel, name=None, phone=None, addr=None, prev=None):
        r = self.rng
        for _ in range(30):
            nt, nc, nn = S.render_guardian_name(r, hh, channel, name=name)
            pt, pc, pn = S.render_phone(r, hh, channel, phone=phone)
            at, atr, an = S.render_address(r, hh, channel, addr=addr)
            if prev is None or nt != prev["nt"] or pt != prev["pt"]:
                break
        return {"nt": nt, "nc": nc, "pt": pt, "pc": pc, "at": at, "atr": atr,
                "notes": nn + pn + an}

    def consent(self, channel, ok=True):
        r = self.rng
        if ok:
            return {"google": "동의합니다",
                    "excel": S.weighted(r, [("Y", 55), ("동의", 35), ("y", 5), ("동의함", 5)]),
                    "dream": S.weighted(r, [("동의합니다", 80), ("동의함", 20)])}[channel], []
        v = {"google": ["동의하지 않습니다", ""],
             "excel": ["N", ""], "dream": ["미동의", ""]}[channel]
        self.n_consent_rej = getattr(self, "n_consent_rej", 0) + 1
        t = v[self.n_consent_rej % 2]
        return t, ["consent_empty" if t == "" else "consent_no"]

    # ------------------------------------------------------------ one submission
    def submit(self, hh, channel, ts, children, *, same_sitting_id=None, consent_ok=True,
               name=None, phone=None, addr=None, phone_text=None, reject=None, extra_notes=(),
               prev=None):
        """Render one submission (1 row per child, or 1 family row for 'dream').
        Returns the identity used (so a later resubmission can be forced to differ)."""
        r = self.rng
        ident = self.identity(hh, channel, name=name, phone=phone, addr=addr, prev=prev)
        if phone_text is not None:  # invalid / missing phone
            ident["pt"], ident["pc"] = phone_text, None
            ident["notes"] = [n for n in ident["notes"] if not n.startswith("phone_")]
        services = S.pick_services(r, hh, channel)
        times = S.pick_times(r, channel)
        types = S.pick_types(r, hh, channel)
        if reject is None and not consent_ok:
            reject = "consent_missing"
        ct, cnotes = self.consent(channel, consent_ok)
        memo, mnotes = S.render_memo(r, channel)
        groups = [children] if channel == "dream" else [[c] for c in children]
        t = ts
        first_ident = ident
        for gi, group in enumerate(groups):
            if gi > 0:
                t = t + dt.timedelta(minutes=r.randint(1, 8), seconds=r.randint(0, 59))
                if r.random() < 0.3:  # parent retyped instead of autofill
                    ident = self.identity(hh, channel, name=name, phone=phone, addr=addr)
                    if phone_text is not None:
                        ident["pt"], ident["pc"] = phone_text, None
                else:
                    ident = first_ident
                memo, mnotes = S.render_memo(r, channel)
            tch = []
            notes = list(ident["notes"]) + cnotes + mnotes + list(extra_notes)
            if channel == "google":
                c = group[0]
                cn_t, cn, cnn = S.render_child_name(r, c["name"])
                bt, ctr, bn = S.render_birth_google(r, c)
                tch.append(ctr)
                notes += cnn + bn
                cells = [S.fmt_ts_google(t), ident["nt"], ident["pt"], ident["at"], cn_t, bt,
                         services, times, types, ct, memo]
                text_idx = [1, 3, 4, 10]
            elif channel == "excel":
                c = group[0]
                cn_t, cn, cnn = S.render_child_name(r, c["name"])
                at_, gt_, ctr, bn = S.render_age_excel(r, c)
                tch.append(ctr)
                notes += cnn + bn
                cells = [S.fmt_ts_excel(t), ident["nt"], ident["pt"], ident["at"], cn_t, at_, gt_,
                         services, times, types, ct, memo]
                text_idx = [1, 3, 4, 11]
            else:
                kid_cells = []
                for c in group:
                    cn_t, cn, cnn = S.render_child_name(r, c["name"])
                    bt, ctr, bn = S.render_birth_dream(r, c)
                    tch.append(ctr)
                    notes += cnn + bn
                    kid_cells += [cn_t, bt]
                kid_cells += [""] * (6 - len(kid_cells))
                if len(group) > 1:
                    notes.append("family_row_%d_children" % len(group))
                lang_text, language = S.render_language(hh)
                cells = [S.fmt_ts_dream(t), ident["nt"], ident["pt"], ident["at"]] + kid_cells + [
                    types, times, ct, lang_text, memo]
                text_idx = [1, 3, 4, 6, 8, 13]
            if len(groups) > 1:
                notes.append("sibling_separate_rows")
            guardian = {"name": ident["nc"], "phone": ident["pc"]}
            self.rows.append({
                "channel": channel, "ts": self.for_channel(t, channel), "cells": cells,
                "memo_idx": len(cells) - 1, "text_idx": text_idx,
                "truth": {"household": hh["id"], "reject": reject, "guardian": guardian,
                          "address": ident["atr"], "children": tch, "notes": notes,
                          "language": language if channel == "dream" else None},
            })
        return first_ident

    # ------------------------------------------------------------ scenario
    def run(self):
        r = self.rng
        phones = r.sample(range(20000000, 100000000), N_HOUSEHOLDS + 20)
        spare_phones = phones[N_HOUSEHOLDS:]
        hhs = []
        for i in range(N_HOUSEHOLDS):
            kw = {}
            if i in (0, 1):
                kw = {"guardian_name": "김지영", "n_children": 1 + i}
            hh = S.make_household(r, "T%04d" % (i + 1), phones[i], **kw)
            hhs.append(hh)
        # the two 김지영 families must differ in phone and address
        while hhs[1]["addr"]["road"] == hhs[0]["addr"]["road"]:
            hhs[1] = S.make_household(r, "T0002", phones[1], guardian_name="김지영", n_children=2)
        for hh in hhs:
            hh["channel"] = S.weighted(r, [("google", 45), ("excel", 30), ("dream", 25)])
        hhs[0]["channel"], hhs[1]["channel"] = "google", "google"

        order = list(range(2, N_HOUSEHOLDS))
        r.shuffle(order)
        pick = iter(order)

        def take(n, cond=lambda h: True):
            out = []
            while len(out) < n:
                i = next(pick)
                if cond(hhs[i]):
                    out.append(hhs[i])
                else:
                    plain.append(hhs[i])
            return out

        plain = []
        scen = collections.OrderedDict()
        scen["resubmit"] = take(20)
        scen["resubmit3"] = take(3)
        scen["correct_phone"] = take(3)
        scen["correct_detail"] = take(2, lambda h: h["addr"]["apt"] is not None)
        scen["correct_birth"] = take(2)
        scen["correct_name"] = take(2, lambda h: not h["latin"])
        scen["moved"] = take(1)
        scen["cross_file"] = take(8, lambda h: h["channel"] != "dream" and len(h["children"]) <= 3)
        scen["sibling_other_file"] = take(3, lambda h: len(h["children"]) >= 2 and h["channel"] != "dream")
        scen["consent_then_ok"] = take(2)
        scen["consent_only"] = take(4)
        scen["phone_missing"] = take(2)
        scen["phone_invalid"] = take(3)
        scen["phone_invalid_then_ok"] = take(1)
        scen["qwerty"] = take(2, lambda h: not h["latin"] and h["channel"] == "google")
        plain += [hhs[i] for i in pick]
        plain += [hhs[0], hhs[1]]

        for hh in plain:
            extra = ["same_name_different_family"] if hh["guardian"] == "김지영" and hh["id"] in ("T0001", "T0002") else []
            self.submit(hh, hh["channel"], self.base_time(), hh["children"], extra_notes=extra)

        def later(ts, lo_min, hi_min):
            return ts + dt.timedelta(minutes=r.randint(lo_min, hi_min), seconds=r.randint(0, 59))

        for hh in scen["resubmit"] + scen["resubmit3"]:
            ch = hh["channel"]
            ts = self.base_time()
            ident = self.submit(hh, ch, ts, hh["children"], extra_notes=["dup_resubmission"])
            n = 3 if hh in scen["resubmit3"] else 2
            for k in range(n - 1):
                ts = later(ts, 15, 2 * 24 * 60)
                kids = hh["children"] if ch == "dream" or r.random() < 0.5 else hh["children"][:1]
                ident = self.submit(hh, ch, ts, kids, prev=ident, extra_notes=["dup_resubmission"])

        def correction(hh, wrong):
            ch = hh["channel"]
            ts = self.base_time()
            self.submit(hh, ch, ts, wrong.get("children", hh["children"]), name=wrong.get("name"),
                        phone=wrong.get("phone"), addr=wrong.get("addr"),
                        extra_notes=["dup_correction_superseded", wrong["note"]])
            self.submit(hh, ch, later(ts, 30, 3 * 24 * 60), hh["children"],
                        extra_notes=["dup_correction", wrong["note"]])

        for hh in scen["correct_phone"]:
            correction(hh, {"phone": S.phone_canonical(spare_phones.pop()), "note": "correction_phone"})
        for hh in scen["correct_detail"]:
            a = copy.deepcopy(hh["addr"])
            dong, ho = a["apt"]
            ho = str(int(ho) + (1 if int(ho) % 100 < 4 else -1))
            a["apt"] = (dong, ho)
            a["detail"] = "%s동 %s호" % (dong, ho)
            correction(hh, {"addr": a, "note": "correction_address_detail"})
        for hh in scen["correct_birth"]:
            kids = copy.deepcopy(hh["children"])
            kids[0]["bd"] = kids[0]["bd"].replace(day=min(28, kids[0]["bd"].day) % 28 + 1)
            correction(hh, {"children": kids, "note": "correction_birth_date"})
        for hh in scen["correct_name"]:
            s, g = hh["guardian"][:1], hh["guardian"][1:]
            wrong = s + "".join(P.TYPO_SYLLABLE.get(x, x) for x in g)
            if wrong == hh["guardian"]:
                wrong = hh["guardian"][:-1] + "언"
            correction(hh, {"name": wrong, "note": "correction_guardian_name"})
        for hh in scen["moved"]:
            other = S.make_household(random.Random(7), "X", 20000000)
            correction(hh, {"addr": other["addr"], "note": "correction_address_moved"})

        for hh in scen["cross_file"]:
            ts = self.base_time()
            self.submit(hh, hh["channel"], ts, hh["children"], extra_notes=["cross_file_duplicate"])
            self.submit(hh, "dream", later(ts, 60, 4 * 24 * 60), hh["children"],
                        extra_notes=["cross_file_duplicate"])
        for hh in scen["sibling_other_file"]:
            ts = self.base_time()
            other = "excel" if hh["channel"] == "google" else "google"
            self.submit(hh, hh["channel"], ts, hh["children"][:1], extra_notes=["sibling_other_file"])
            self.submit(hh, other, later(ts, 60, 3 * 24 * 60), hh["children"][1:],
                        extra_notes=["sibling_other_file"])
        for hh in scen["consent_then_ok"]:
            ts = self.base_time()
            self.submit(hh, hh["channel"], ts, hh["children"][:1], consent_ok=False)
            self.submit(hh, hh["channel"], later(ts, 5, 600), hh["children"],
                        extra_notes=["resubmitted_after_reject"])
        for hh in scen["consent_only"]:
            self.submit(hh, hh["channel"], self.base_time(), hh["children"][:1], consent_ok=False)
        for hh in scen["phone_missing"]:
            self.submit(hh, hh["channel"], self.base_time(), hh["children"][:1], phone_text="",
                        reject="phone_missing", extra_notes=["phone_empty"])
        bad = iter(["010-0000-0000", "010-123-456", "010-1234"])
        for hh in scen["phone_invalid"]:
            b = next(bad)
            self.submit(hh, hh["channel"], self.base_time(), hh["children"][:1], phone_text=b,
                        # A placeholder number marks a test entry (the issue's `010-0000-0000`).
                        reject="test_submission" if "0000-0000" in b else "phone_invalid",
                        extra_notes=["phone_placeholder" if "0000-0000" in b else "phone_too_short"])
        for hh in scen["phone_invalid_then_ok"]:
            ts = self.base_time()
            self.submit(hh, hh["channel"], ts, hh["children"][:1], phone_text="010-0000-0000",
                        reject="test_submission", extra_notes=["phone_placeholder"])
            self.submit(hh, hh["channel"], later(ts, 10, 300), hh["children"],
                        extra_notes=["resubmitted_after_reject"])
        for hh in scen["qwerty"]:
            ts = self.base_time()
            ident = self.submit(hh, "google", ts, hh["children"][:1], name=None)
            # the QWERTY row: name typed with the IME in English mode
            self.submit(hh, "google", later(ts, 3, 120), hh["children"][:1], prev=ident,
                        extra_notes=["dup_resubmission"])
            row = self.rows[-1]
            row["cells"][1] = S.to_qwerty(hh["guardian"])
            row["truth"]["notes"] = [n for n in row["truth"]["notes"] if not n.startswith("name_")
                                     and n != "cell_padded"] + ["name_qwerty"]

        self.add_test_and_empty_rows()
        self.decorate()
        self.scen = scen

    def add_test_and_empty_rows(self):
        def test_row(channel, ts, name, child, note):
            if channel == "google":
                cells = [S.fmt_ts_google(ts), name, "010-1234-5678", "테스트 주소", child, "7",
                         "지역아동센터", "언제든 가능", "해당없음", "동의합니다", "테스트입니다"]
            elif channel == "excel":
                cells = [S.fmt_ts_excel(ts), name, "1012345678", "asdf", child, "만 7세", "초1",
                         "지역아동센터", "오전", "해당없음", "Y", "시스템 테스트"]
            else:
                cells = [S.fmt_ts_dream(ts), name, "010-1111-2222", "ㅁㄴㅇㄹ", child, "2017-01-01",
                         "", "", "", "", "해당없음", "언제든 가능", "동의합니다", "", "test"]
            self.rows.append({"channel": channel, "ts": self.for_channel(ts, channel), "cells": cells,
                              "memo_idx": None, "text_idx": [],
                              "truth": {"household": None, "reject": "test_submission",
                                        "guardian": None, "address": None, "children": [],
                                        "notes": [note]}})
        test_row("google", dt.datetime(2024, 6, 20, 9, 12, 40), "테스트", "테스트", "test_korean")
        test_row("google", dt.datetime(2024, 6, 20, 9, 15, 3), "test", "test", "test_latin")
        test_row("excel", dt.datetime(2024, 6, 20, 8, 28), "테스트", "홍길동", "test_korean")
        test_row("dream", dt.datetime(2024, 6, 21, 13, 5, 9), "TEST", "테스트", "test_latin")
        self.empty_rows = {"excel": 0.55, "dream": 0.4}

    def decorate(self):
        """Special memos and NFD rows, assigned to accepted rows deterministically."""
        r = self.rng
        by_ch = collections.defaultdict(list)
        for row in self.rows:
            if row["truth"]["reject"] is None and row["truth"]["household"]:
                by_ch[row["channel"]].append(row)
        plan = {
            "google": ["memo_newline", "memo_newline", "memo_newline2", "memo_quotes", "memo_comma",
                       "memo_formula_eq", "memo_formula_eq2", "memo_formula_minus",
                       "memo_formula_plus", "memo_padded", "memo_quotes"],
            "excel": ["memo_newline", "memo_quotes", "memo_formula_minus", "memo_cp949_ext",
                      "memo_cp949_ext", "memo_comma"],
            "dream": ["memo_newline", "memo_newline2", "memo_formula_eq", "memo_formula_at",
                      "memo_quotes"],
        }
        for ch, specials in plan.items():
            targets = r.sample(by_ch[ch], len(specials))
            for row, sp in zip(targets, specials):
                row["cells"][row["memo_idx"]] = P.MEMOS_SPECIAL[sp]
                row["truth"]["notes"].append(sp)
        # NFD (macOS) rows: UTF-8 files only; whole text of the row decomposed
        for ch, k in (("google", 5), ("dream", 2)):
            cands = [x for x in by_ch[ch] if "name_qwerty" not in x["truth"]["notes"]]
            for row in r.sample(cands, k):
                for i in row["text_idx"]:
                    row["cells"][i] = unicodedata.normalize("NFD", row["cells"][i])
                row["truth"]["notes"] += ["name_nfd", "address_nfd"]

    # ------------------------------------------------------------ output
    def write(self, outdir):
        exp = os.path.join(outdir, "exports")
        tru = os.path.join(outdir, "truth")
        os.makedirs(exp, exist_ok=True)
        os.makedirs(tru, exist_ok=True)
        r = self.rng
        truth = []
        for ch, fname in CHANNEL_FILE.items():
            rows = sorted([x for x in self.rows if x["channel"] == ch], key=lambda x: x["ts"])
            if ch in self.empty_rows:
                pos = int(len(rows) * self.empty_rows[ch])
                width = len(rows[0]["cells"])
                rows.insert(pos, {"channel": ch, "ts": None, "cells": [""] * width,
                                  "truth": {"household": None, "reject": "empty_row",
                                            "guardian": None, "address": None, "children": [],
                                            "notes": ["empty_row"]}})
            header = {"google": S.GOOGLE_HEADER, "excel": S.EXCEL_HEADER, "dream": S.DREAM_HEADER}[ch]
            buf = io.StringIO()
            if ch == "google":
                w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
            else:
                w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
            w.writerow(header)
            for i, row in enumerate(rows):
                w.writerow(row["cells"])
                t = row["truth"]
                truth.append(S.truth_record(fname, i + 2, t["household"], t["reject"], row["ts"],
                                            t["guardian"], t["address"], t["children"], t["notes"],
                                            t.get("language")))
            data = buf.getvalue()
            if ch == "excel":
                raw = data.encode("cp949")  # strict: every character must exist in CP949
            elif ch == "dream":
                raw = b"\xef\xbb\xbf" + data.encode("utf-8")
            else:
                raw = data.encode("utf-8")
            with open(os.path.join(exp, fname), "wb") as f:
                f.write(raw)
        assert all(START <= x["ts"] <= END for x in self.rows if x["ts"])
        truth.sort(key=lambda x: (x["file"], x["row"]))
        with open(os.path.join(tru, "truth.jsonl"), "w", encoding="utf-8", newline="\n") as f:
            for t in truth:
                f.write(json.dumps(t, ensure_ascii=False) + "\n")
        return truth


def summarize(truth):
    per_file = collections.Counter(t["file"] for t in truth)
    rej = collections.Counter(t["reject"] for t in truth if t["reject"])
    notes = collections.Counter(n for t in truth for n in t["notes"])
    n = len(truth)
    hh = {t["household"] for t in truth if t["household"] and not t["reject"]}
    print("rows: %d  (%s)" % (n, ", ".join("%s=%d" % kv for kv in sorted(per_file.items()))))
    print("households with accepted rows: %d" % len(hh))
    print("rejects: %s" % dict(rej))
    print("notes (rows, % of all rows):")
    for k, v in sorted(notes.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %-32s %4d  %5.1f%%" % (k, v, 100.0 * v / n))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--out", default=os.path.join(here, "samples"))
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    g = Gen()
    g.run()
    truth = g.write(a.out)
    if not a.quiet:
        summarize(truth)


if __name__ == "__main__":
    main()
