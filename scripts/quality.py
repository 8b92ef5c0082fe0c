#!/usr/bin/env python3
"""Compare dolbom's output with the generator's truth and print a report.

    python3 scripts/quality.py OUTDIR [--truth samples/truth/truth.jsonl] [--json] [--examples N]

OUTDIR must hold applicants.jsonl (one household per line, with "sources": [{"file","row"}])
and rejects.jsonl (one rejected row per line: {"file","row","reason",...}).
Always exits 0 (unless the inputs cannot be read); the numbers are the result.

Metrics
  coverage   every truth row must be in exactly one applicant's sources or one reject
  rejects    precision/recall of "rejected" (positive class) and reason accuracy on the
             rows both sides reject; any reason starting with phone_ other than
             phone_missing counts as phone_invalid
  households pairwise precision/recall/F1 over pairs of accepted truth rows (same applicant
             vs same truth household), exact-cluster share, children-count accuracy
  fields     household level: each truth household's expected final value is that of its
             latest accepted submission (by submitted_at); address components left empty in
             it are filled from earlier submissions of the same place (same road+number or
             same 지번); children are the union by normalised name, each child field taking
             the latest non-null value. Compared with the applicant holding the latest row.
             row level: only households with a single accepted row, that row vs its applicant.
"""
import argparse
import collections
import json
import os
import sys
import unicodedata

ADDR_FIELDS = ["sido", "sigungu", "eupmyeondong", "road", "building_number", "jibun", "detail",
               "postal_code"]
CHILD_FIELDS = ["birth_date", "age", "school_grade"]
REASONS = ["consent_missing", "phone_missing", "phone_invalid", "test_submission", "empty_row"]


def norm_str(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return str(int(v)) if float(v).is_integer() else str(v)
    s = unicodedata.normalize("NFC", str(v)).strip()
    s = " ".join(s.split())
    return s if s != "" else None


def norm_name(v):
    s = norm_str(v)
    return None if s is None else s.replace(" ", "")


def norm_reason(r):
    if r is None:
        return None
    r = str(r)
    if r.startswith("phone_") and r != "phone_missing":
        return "phone_invalid"
    return r


def key_of(file, row):
    return (os.path.basename(str(file)), int(row))


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                print("warning: %s line %d: %s" % (path, n, e), file=sys.stderr)
    return out


def pct(c, t):
    return round(100.0 * c / t, 2) if t else None


def c2(n):
    return n * (n - 1) // 2


class Acc:
    def __init__(self):
        self.c = collections.OrderedDict()
        self.examples = collections.defaultdict(list)

    def add(self, field, ok, ex=None, keep=5):
        cor, tot = self.c.get(field, (0, 0))
        self.c[field] = (cor + (1 if ok else 0), tot + 1)
        if not ok and ex is not None and len(self.examples[field]) < keep:
            self.examples[field].append(ex)

    def table(self):
        return [{"field": f, "correct": c, "total": t, "pct": pct(c, t)} for f, (c, t) in self.c.items()]


def compare_entity(acc, where, exp, app, ex_keep):
    """exp: dict with guardian/address/children (expected); app: applicant dict or None."""
    g = (app or {}).get("guardian") or {}
    a = (app or {}).get("address") or {}
    acc.add("guardian.name", app is not None and norm_name(g.get("name")) == norm_name(exp["guardian"]["name"]),
            {"at": where, "expected": exp["guardian"]["name"], "got": g.get("name")}, ex_keep)
    acc.add("guardian.phone", app is not None and norm_str(g.get("phone")) == norm_str(exp["guardian"]["phone"]),
            {"at": where, "expected": exp["guardian"]["phone"], "got": g.get("phone")}, ex_keep)
    ea = exp["address"] or {}
    # (Truths written before the building name was labelled have no such key.)
    for f in ADDR_FIELDS + (["building_name"] if "building_name" in ea else []):
        e = norm_str(ea.get(f))
        got = norm_str(a.get(f))
        if f == "road" and got:
            got = got.replace(" ", "")
        acc.add("address." + f, app is not None and got == e,
                {"at": where, "expected": ea.get(f), "got": a.get(f)}, ex_keep)
    pk = {}
    for ch in (app or {}).get("children") or []:
        n = norm_name(ch.get("name"))
        if n and n not in pk:
            pk[n] = ch
    for ch in exp["children"]:
        n = norm_name(ch["name"])
        pc = pk.get(n)
        acc.add("child.found", pc is not None, {"at": where, "expected": ch["name"],
                                                 "got": sorted(pk)}, ex_keep)
        for f in CHILD_FIELDS:
            e = norm_str(ch.get(f))
            got = norm_str(pc.get(f)) if pc else None
            acc.add("child." + f, pc is not None and got == e,
                    {"at": where, "child": ch["name"], "expected": ch.get(f),
                     "got": pc.get(f) if pc else "(child missing)"}, ex_keep)


def same_place(a, b):
    if not a or not b:
        return False
    if a.get("road") and a.get("road") == b.get("road") and a.get("building_number") == b.get("building_number"):
        return True
    return bool(a.get("jibun")) and a.get("jibun") == b.get("jibun") and a.get("sigungu") == b.get("sigungu")


def expected_household(rows):
    """rows: accepted truth rows of one household. -> expected final entity."""
    rows = sorted(rows, key=lambda t: (t.get("submitted_at") or "", t["file"], t["row"]))
    last = rows[-1]
    addr = dict(last.get("address") or {})
    for t in reversed(rows[:-1]):
        if same_place(addr, t.get("address")):
            for f in ADDR_FIELDS + ["building_name"]:
                if addr.get(f) is None and t["address"].get(f) is not None:
                    addr[f] = t["address"][f]
    kids = collections.OrderedDict()
    for t in rows:
        for ch in t.get("children") or []:
            n = norm_name(ch["name"])
            cur = kids.setdefault(n, {"name": ch["name"], "birth_date": None, "age": None,
                                      "school_grade": None})
            for f in CHILD_FIELDS:
                if ch.get(f) is not None:
                    cur[f] = ch[f]
    return {"guardian": last["guardian"], "address": addr, "children": list(kids.values()),
            "last_key": key_of(last["file"], last["row"])}


def evaluate(outdir, truth_path, ex_keep=5):
    truth = read_jsonl(truth_path)
    apps = read_jsonl(os.path.join(outdir, "applicants.jsonl"))
    rejs = read_jsonl(os.path.join(outdir, "rejects.jsonl"))
    tkeys = {}
    for t in truth:
        tkeys[key_of(t["file"], t["row"])] = t

    # ---- coverage
    in_app = collections.defaultdict(list)
    app_by_id = {}
    for i, a in enumerate(apps):
        aid = str(a.get("applicant_id", "#%d" % i))
        if aid in app_by_id:
            aid = "%s#%d" % (aid, i)
        app_by_id[aid] = a
        for s in a.get("sources") or []:
            try:
                in_app[key_of(s["file"], s["row"])].append(aid)
            except (KeyError, TypeError, ValueError):
                pass
    in_rej = collections.defaultdict(list)
    for r in rejs:
        try:
            in_rej[key_of(r["file"], r["row"])].append(r.get("reason"))
        except (KeyError, TypeError, ValueError):
            pass
    cov = collections.Counter()
    cov_ex = collections.defaultdict(list)
    for k in tkeys:
        na, nr = len(in_app.get(k, ())), len(in_rej.get(k, ()))
        kind = None
        if na + nr == 0:
            kind = "missing (neither applicant nor reject)"
        elif na > 1 or (na >= 1 and len(set(in_app[k])) < na):
            kind = "in several applicants' sources" if len(set(in_app[k])) > 1 else "listed twice in one applicant"
        elif na and nr:
            kind = "both applicant and reject"
        elif nr > 1:
            kind = "rejected more than once"
        if kind:
            cov[kind] += 1
            if len(cov_ex[kind]) < ex_keep:
                cov_ex[kind].append("%s:%d" % k)
    unknown = [k for k in set(in_app) | set(in_rej) if k not in tkeys]
    if unknown:
        cov["row not in truth"] = len(unknown)
        cov_ex["row not in truth"] = ["%s:%d" % k for k in sorted(unknown)[:ex_keep]]
    ok_rows = sum(1 for k in tkeys if len(in_app.get(k, ())) + len(in_rej.get(k, ())) == 1)

    # ---- rejects (a row listed in rejects counts as rejected)
    tp = fp = fn = tn = 0
    reason_ok = 0
    confusion = collections.Counter()
    rej_ex = collections.defaultdict(list)
    for k, t in tkeys.items():
        pr = in_rej.get(k)
        pred = bool(pr)
        actual = t["reject"] is not None
        if pred and actual:
            tp += 1
            if norm_reason(pr[0]) == norm_reason(t["reject"]):
                reason_ok += 1
            else:
                confusion[(t["reject"], str(pr[0]))] += 1
        elif pred:
            fp += 1
            if len(rej_ex["false reject"]) < ex_keep:
                rej_ex["false reject"].append("%s:%d (%s)" % (k + (pr[0],)))
        elif actual:
            fn += 1
            if len(rej_ex["missed reject"]) < ex_keep:
                rej_ex["missed reject"].append("%s:%d (%s)" % (k + (t["reject"],)))
        else:
            tn += 1
    per_reason = {}
    for reason in REASONS:
        rows = [k for k, t in tkeys.items() if t["reject"] == reason]
        got = sum(1 for k in rows if in_rej.get(k) and norm_reason(in_rej[k][0]) == reason)
        per_reason[reason] = {"correct": got, "total": len(rows), "pct": pct(got, len(rows))}
    rej_prec = tp / (tp + fp) if tp + fp else None
    rej_rec = tp / (tp + fn) if tp + fn else None

    # ---- households (accepted truth rows only)
    acc_rows = [t for t in truth if t["reject"] is None]
    by_hh = collections.defaultdict(list)
    for t in acc_rows:
        by_hh[t["household"]].append(t)
    cell = collections.Counter()
    pred_sizes = collections.Counter()
    rows_of_app = collections.defaultdict(set)
    for t in acc_rows:
        k = key_of(t["file"], t["row"])
        a = in_app.get(k)
        lab = a[0] if a else None
        if lab is None:
            continue  # a singleton: contributes no predicted pair
        cell[(t["household"], lab)] += 1
        pred_sizes[lab] += 1
        rows_of_app[lab].add(k)
    tp_pairs = sum(c2(n) for n in cell.values())
    truth_pairs = sum(c2(len(v)) for v in by_hh.values())
    pred_pairs = sum(c2(n) for n in pred_sizes.values())
    hp = tp_pairs / pred_pairs if pred_pairs else (1.0 if truth_pairs == 0 else None)
    hr = tp_pairs / truth_pairs if truth_pairs else None
    hf = 2 * hp * hr / (hp + hr) if hp and hr else 0.0
    exact = 0
    split_ex, merge_ex = [], []
    hh_of_app = collections.defaultdict(set)
    apps_of_hh = collections.defaultdict(set)
    for (h, a), n in cell.items():
        hh_of_app[a].add(h)
        apps_of_hh[h].add(a)
    for h, rows in by_hh.items():
        keys = {key_of(t["file"], t["row"]) for t in rows}
        apps_h = apps_of_hh.get(h, set())
        first = in_app.get(next(iter(keys)))
        if first and rows_of_app[first[0]] == keys and all(in_app.get(k) == [first[0]] for k in keys):
            exact += 1
        elif len(apps_h) > 1 and len(split_ex) < ex_keep:
            split_ex.append("%s -> %d applicants" % (h, len(apps_h)))
    merged_apps = [a for a, hs in hh_of_app.items() if len(hs) > 1]
    for a in merged_apps[:ex_keep]:
        merge_ex.append("%s <- %s" % (a, ", ".join(sorted(hh_of_app[a]))))
    # same-name different families must not merge
    same_name = sorted({t["household"] for t in acc_rows if "same_name_different_family" in t["notes"]})
    same_name_merged = None
    if len(same_name) >= 2:
        apps_sn = [set(in_app.get(key_of(t["file"], t["row"]), [None])[0] for t in by_hh[h]) - {None}
                   for h in same_name]
        same_name_merged = any(apps_sn[i] & apps_sn[j] for i in range(len(apps_sn))
                               for j in range(i + 1, len(apps_sn)))

    # ---- fields
    hh_acc, row_acc = Acc(), Acc()
    kids_ok = kids_tot = 0
    kid_ex = []
    for h, rows in by_hh.items():
        exp = expected_household(rows)
        lab = in_app.get(exp["last_key"])
        if lab is None:
            labs = collections.Counter(in_app[key_of(t["file"], t["row"])][0] for t in rows
                                       if in_app.get(key_of(t["file"], t["row"])))
            lab = [labs.most_common(1)[0][0]] if labs else None
        app = app_by_id.get(lab[0]) if lab else None
        compare_entity(hh_acc, h, exp, app, ex_keep)
        kids_tot += 1
        n_pred = len((app or {}).get("children") or []) if app else -1
        if n_pred == len(exp["children"]):
            kids_ok += 1
        elif len(kid_ex) < ex_keep:
            kid_ex.append("%s expected %d got %s" % (h, len(exp["children"]), n_pred if app else "no applicant"))
        if len(rows) == 1:
            t = rows[0]
            k = key_of(t["file"], t["row"])
            a = in_app.get(k)
            compare_entity(row_acc, "%s:%d" % k, t, app_by_id.get(a[0]) if a else None, ex_keep)

    return {
        "inputs": {"truth": truth_path, "outdir": outdir, "truth_rows": len(truth),
                   "truth_households": len(by_hh), "applicants": len(apps), "rejects": len(rejs)},
        "coverage": {"rows_ok": ok_rows, "rows_total": len(tkeys), "violations": dict(cov),
                     "examples": dict(cov_ex)},
        "rejects": {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": rej_prec, "recall": rej_rec,
                    "reason_correct": reason_ok, "reason_total": tp, "reason_pct": pct(reason_ok, tp),
                    "per_reason": per_reason,
                    "reason_confusion": [{"truth": a, "got": b, "count": n} for (a, b), n in confusion.most_common()],
                    "examples": dict(rej_ex)},
        "households": {"pairwise_precision": hp, "pairwise_recall": hr, "pairwise_f1": hf,
                       "truth_pairs": truth_pairs, "predicted_pairs": pred_pairs, "true_pairs": tp_pairs,
                       "exact_clusters": exact, "truth_households": len(by_hh),
                       "exact_pct": pct(exact, len(by_hh)),
                       "applicants_merging_several_households": len(merged_apps),
                       "same_name_families_merged": same_name_merged,
                       "children_count_correct": kids_ok, "children_count_total": kids_tot,
                       "children_count_pct": pct(kids_ok, kids_tot),
                       "examples": {"split": split_ex, "merged": merge_ex, "children_count": kid_ex}},
        "fields_household_level": hh_acc.table(),
        "fields_row_level_single_row_households": row_acc.table(),
        "field_examples": {"household_level": dict(hh_acc.examples), "row_level": dict(row_acc.examples)},
    }


def f3(x):
    return "—" if x is None else "%.3f" % x


def markdown(r, show_examples):
    L = []
    i = r["inputs"]
    L.append("# dolbom quality report\n")
    L.append("truth `%s`: %d rows, %d households with accepted rows · output `%s`: %d applicants, %d rejects\n"
             % (i["truth"], i["truth_rows"], i["truth_households"], i["outdir"], i["applicants"], i["rejects"]))
    c = r["coverage"]
    L.append("## Coverage\n")
    L.append("| check | rows |\n|---|---:|")
    L.append("| in exactly one applicant or reject | %d / %d |" % (c["rows_ok"], c["rows_total"]))
    for k, v in c["violations"].items():
        L.append("| %s | %d |" % (k, v))
    L.append("")
    q = r["rejects"]
    L.append("## Rejects\n")
    L.append("| metric | value |\n|---|---:|")
    L.append("| precision (rejected rows that should be) | %s (%d/%d) |" % (f3(q["precision"]), q["tp"], q["tp"] + q["fp"]))
    L.append("| recall (should-be-rejected rows rejected) | %s (%d/%d) |" % (f3(q["recall"]), q["tp"], q["tp"] + q["fn"]))
    L.append("| reason exact (on both-rejected rows) | %d/%d (%s%%) |" % (q["reason_correct"], q["reason_total"], q["reason_pct"]))
    for k, v in q["per_reason"].items():
        if v["total"]:
            L.append("| `%s` rejected with that reason | %d/%d |" % (k, v["correct"], v["total"]))
    if q["reason_confusion"]:
        L.append("\nreason mismatches: " + ", ".join("%s→%s ×%d" % (x["truth"], x["got"], x["count"]) for x in q["reason_confusion"]))
    L.append("")
    h = r["households"]
    L.append("## Households\n")
    L.append("| metric | value |\n|---|---:|")
    L.append("| pairwise precision | %s (%d/%d pairs) |" % (f3(h["pairwise_precision"]), h["true_pairs"], h["predicted_pairs"]))
    L.append("| pairwise recall | %s (%d/%d pairs) |" % (f3(h["pairwise_recall"]), h["true_pairs"], h["truth_pairs"]))
    L.append("| pairwise F1 | %s |" % f3(h["pairwise_f1"]))
    L.append("| households reproduced exactly | %d/%d (%s%%) |" % (h["exact_clusters"], h["truth_households"], h["exact_pct"]))
    L.append("| applicants merging ≥2 truth households | %d |" % h["applicants_merging_several_households"])
    if h["same_name_families_merged"] is not None:
        L.append("| same-name families (김지영 ×2) kept apart | %s |" % ("no" if h["same_name_families_merged"] else "yes"))
    L.append("| children count matches | %d/%d (%s%%) |" % (h["children_count_correct"], h["children_count_total"], h["children_count_pct"]))
    L.append("")
    for title, key in (("Fields — household level (expected = latest accepted submission; applicant holding that row)",
                        "fields_household_level"),
                       ("Fields — row level (households with a single accepted row)",
                        "fields_row_level_single_row_households")):
        L.append("## " + title + "\n")
        L.append("| field | correct | total | % |\n|---|---:|---:|---:|")
        for x in r[key]:
            L.append("| %s | %d | %d | %s |" % (x["field"], x["correct"], x["total"], "—" if x["pct"] is None else "%.1f" % x["pct"]))
        L.append("")
    if show_examples:
        E = []
        for k, v in list(r["coverage"]["examples"].items()) + list(r["rejects"]["examples"].items()) + \
                list(r["households"]["examples"].items()):
            if v:
                E.append("- **%s**: %s" % (k, "; ".join(v)))
        for field, exs in r["field_examples"]["household_level"].items():
            E.append("- **%s**: %s" % (field, "; ".join(json.dumps(e, ensure_ascii=False) for e in exs)))
        if E:
            L += ["## Examples (first few per metric)\n"] + E + [""]
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    default_truth = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                 "samples", "truth", "truth.jsonl")
    ap.add_argument("--truth", default=default_truth)
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--examples", type=int, default=3, metavar="N",
                    help="error examples per metric in the Markdown report (0 = none)")
    a = ap.parse_args()
    res = evaluate(a.outdir, a.truth, ex_keep=a.examples if a.examples > 0 else 3)
    if a.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
    else:
        print(markdown(res, a.examples > 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
