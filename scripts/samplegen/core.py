"""Household model, per-layout cell renderers and truth records.

Every renderer returns (cell_text, canonical_value, notes) so that the truth
row is built from exactly what was written into the CSV cell.
"""
import random
import bisect as _bisect
import datetime as _dt
import unicodedata

from . import pools as P

__all__ = [
    "AS_OF", "man_age", "school_grade", "excel_serial", "phone_canonical",
    "to_qwerty", "nfd", "make_household", "render_guardian_name", "render_phone",
    "render_address", "render_address_kind", "render_child_name", "render_birth_google", "render_age_excel",
    "render_birth_dream", "render_memo", "pick_services", "pick_times", "pick_types",
    "fmt_ts_google", "fmt_ts_excel", "fmt_ts_dream", "truth_record", "child_truth", "render_language",
    "GOOGLE_HEADER", "EXCEL_HEADER", "DREAM_HEADER", "weighted", "WTable", "SURNAME_TABLE",
]

AS_OF = _dt.date(2024, 7, 15)

GOOGLE_HEADER = ["타임스탬프", "보호자 성명", "보호자 연락처(휴대전화)", "거주지 주소", "자녀 이름",
                 "자녀 생년월일 또는 나이", "희망하는 돌봄 서비스", "상담 가능한 시간대",
                 "가구 유형(해당 항목 모두 선택)", "개인정보 수집·이용 동의", "기타 문의사항"]
EXCEL_HEADER = ["접수일시", "신청인", "휴대폰번호", "주소(도로명)", "아동명", "아동 나이", "학년",
                "희망 서비스", "통화가능시간", "가구구분", "동의여부", "비고"]
DREAM_HEADER = ["제출일시", "보호자 성명", "연락처", "주소", "첫째 자녀 이름", "첫째 생년월일",
                "둘째 자녀 이름", "둘째 생년월일", "셋째 자녀 이름", "셋째 생년월일", "가구 유형",
                "상담 가능한 시간대", "개인정보 수집·이용 동의", "상담 희망 언어", "메모"]


# ---------------------------------------------------------------- helpers
class WTable:
    """Pre-built weighted choice (one rng.random() per pick)."""
    __slots__ = ("vals", "cum", "total")

    def __init__(self, items):
        self.vals = [v for v, _ in items]
        self.cum, t = [], 0.0
        for _, w in items:
            t += w
            self.cum.append(t)
        self.total = t

    def pick(self, rng):
        i = _bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.vals[i if i < len(self.vals) else -1]


def weighted(rng, items):
    """items: list of (value, weight) or a WTable."""
    if isinstance(items, WTable):
        return items.pick(rng)
    total = 0.0
    for _, w in items:
        total += w
    x = rng.random() * total
    for v, w in items:
        x -= w
        if x < 0:
            return v
    return items[-1][0]


def man_age(bd, asof=AS_OF):
    a = asof.year - bd.year
    if (asof.month, asof.day) < (bd.month, bd.day):
        a -= 1
    return a


def school_grade(bd, asof=AS_OF):
    """Born in year Y -> grade 1 from 1 March of Y+7 (calendar-year cohorts)."""
    school_year = asof.year if asof.month >= 3 else asof.year - 1
    g = school_year - (bd.year + 7) + 1
    return g if 1 <= g <= 6 else None


_EXCEL_EPOCH = _dt.date(1899, 12, 30)


def excel_serial(d):
    return (d - _EXCEL_EPOCH).days


def phone_canonical(n8):
    """n8: int 20000000..99999999 -> '010-XXXX-YYYY'."""
    return "010-%04d-%04d" % (n8 // 10000, n8 % 10000)


def nfd(s):
    return unicodedata.normalize("NFD", s) if s else s


_CHO = "rRseEfaqQtTdwWczxvg"
_JUNG = ["k", "o", "i", "O", "j", "p", "u", "P", "h", "hk", "ho", "hl", "y", "n", "nj", "np",
         "nl", "b", "m", "ml", "l"]
_JONG = ["", "r", "R", "rt", "s", "sw", "sg", "e", "f", "fr", "fa", "fq", "ft", "fx", "fv", "fg",
         "a", "q", "qt", "t", "T", "d", "w", "c", "z", "x", "v", "g"]


def to_qwerty(s):
    """Hangul typed with the IME off on a 두벌식 keyboard: 김민준 -> rlaalswns."""
    out = []
    for ch in s:
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3:
            o -= 0xAC00
            out.append(_CHO[o // 588] + _JUNG[(o % 588) // 28] + _JONG[o % 28])
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------- household
_SURNAME_ITEMS = SURNAME_TABLE = WTable(P.SURNAMES)
_YEAR_T = WTable([(2012, 4), (2013, 7), (2014, 9), (2015, 10), (2016, 11), (2017, 11),
                  (2018, 9), (2019, 7), (2020, 5), (2021, 4), (2022, 3), (2023, 2)])
_NKIDS_T = WTable([(1, 50), (2, 38), (3, 12)])
_STYLE_T = WTable([("full", 34), ("short", 28), ("no_sido", 13), ("spaced_road", 10), ("jibun", 9),
                   ("inline_building", 6)])
_LATIN_V_T = WTable([("as_is", 80), ("upper", 12), ("padded", 8)])
_NAME_V_T = WTable([("plain", 77), ("spaced", 8), ("role", 5), ("honorific", 4), ("padded", 3),
                    ("role_space", 2)])
_DETAIL_V_T = WTable([("std", 50), ("compact", 30), ("dash", 20)])
_CHILD_V_T = WTable([("plain", 92), ("spaced", 5), ("padded", 3)])


def _child_birthdates(rng, n):
    # oldest child's birth year, weighted toward school age (돌봄 services)
    year = _YEAR_T.pick(rng)
    if n > 1:
        year = min(year, 2020)
    dates = []
    d = None
    for i in range(n):
        if i == 0:
            d = _dt.date(year, 1, 1) + _dt.timedelta(days=rng.randrange(365))
        elif rng.random() < 0.04:
            pass  # twins: same birth date
        else:
            d = d + _dt.timedelta(days=rng.randint(400, 1500))
        dates.append(d)
    lo, hi = _dt.date(2011, 7, 16), _dt.date(2024, 5, 31)
    return [min(max(x, lo), hi) for x in dates]


def make_household(rng, hid, phone_n8, *, guardian_name=None, n_children=None,
                   neighbour_share=0.08, latin_share=0.06):
    surname = weighted(rng, _SURNAME_ITEMS)
    r = rng.random()
    latin = False
    if guardian_name is not None:
        gname, role = guardian_name, "모"
    elif r < latin_share:
        latin = True
        gname = rng.choice(P.LATIN_GUARDIANS)
        role = "부" if " VAN " in gname.upper() else "모"
    elif r < latin_share + 0.64:
        role = "모"
        ms = weighted(rng, _SURNAME_ITEMS)
        gname = ms + rng.choice(P.MOTHER_GIVEN)
    elif r < latin_share + 0.89:
        role = "부"
        gname = surname + rng.choice(P.FATHER_GIVEN)
    elif r < latin_share + 0.97:
        role = "조모"
        gname = weighted(rng, _SURNAME_ITEMS) + rng.choice(P.GRANDMA_GIVEN)
    else:
        role = "조부"
        gname = surname + rng.choice(P.GRANDPA_GIVEN)
    if n_children is None:
        n_children = _NKIDS_T.pick(rng)
    bds = _child_birthdates(rng, n_children)
    used = set()
    children = []
    for bd in bds:
        while True:
            g = rng.choice(P.CHILD_GIVEN)
            if g not in used:
                used.add(g)
                break
        children.append({"name": surname + g, "bd": bd})
    # address
    if rng.random() < neighbour_share:
        st = rng.choice(P.STREETS_NEIGHBOUR)
        sido, sido_short, sigungu, emd, kind, legal, road, bnos, postal, blds = st
    else:
        st = rng.choice(P.STREETS_ASAN)
        sido, sido_short, sigungu = P.ASAN
        emd, kind, legal, road, bnos, postal, blds = st
    bldg = rng.choice(blds)
    if bldg:
        dong = rng.randint(101, 115) if rng.random() < 0.85 else rng.randint(201, 212)
        ho = rng.randint(1, 25) * 100 + rng.randint(1, 4)
        apt = (str(dong), str(ho))
        detail = "%d동 %d호" % (dong, ho)
    else:
        apt = None
        detail = None if rng.random() < 0.55 else "%d0%d호" % (rng.randint(1, 4), rng.randint(1, 3))
    jibun = str(rng.randint(100, 1999))
    if rng.random() < 0.35:
        jibun += "-%d" % rng.randint(1, 30)
    addr = {"sido": sido, "sido_short": sido_short, "sigungu": sigungu, "emd": emd,
            "kind": kind, "legal": legal, "road": road, "bno": rng.choice(bnos),
            "postal": postal, "building": bldg or None, "apt": apt, "detail": detail,
            "jibun": jibun}
    types = []
    if latin:
        types.append("다문화")
    if role in ("조모", "조부"):
        types.append("조손")
    for t, p in (("기초생활수급", 0.12), ("차상위", 0.10), ("한부모", 0.18), ("장애", 0.05),
                 ("맞벌이", 0.35)):
        if rng.random() < p and not (t == "맞벌이" and "한부모" in types):
            types.append(t)
    if n_children >= 3 or (n_children == 2 and rng.random() < 0.3):
        types.append("다자녀")
    style = _STYLE_T.pick(rng)
    return {"id": hid, "guardian": gname, "latin": latin, "role": role, "surname": surname,
            "min_age": min(man_age(c["bd"]) for c in children),
            "phone": phone_canonical(phone_n8),
            "landline": "041-5%02d-%04d" % (rng.randint(30, 99), rng.randint(0, 9999)),
            "addr": addr, "children": children, "types": types, "addr_style": style}


# ---------------------------------------------------------------- renderers
_ROLE_LABEL = {"모": ["(모)", "(엄마)", "(母)"], "부": ["(부)", "(아빠)"],
               "조모": ["(조모)", "(할머니)"], "조부": ["(조부)", "(할아버지)"]}
_PHONE_LABEL = {"모": "(엄마)", "부": "(아빠)", "조모": "(할머니)", "조부": "(할아버지)"}


def _surname_split(name):
    for s in ("남궁", "제갈", "선우"):
        if name.startswith(s) and len(name) > 2:
            return s, name[2:]
    return name[:1], name[1:]


def render_guardian_name(rng, hh, channel, name=None):
    """-> (text, canonical, notes). name overrides the household name (typos)."""
    canon = name or hh["guardian"]
    if hh["latin"]:
        v = _LATIN_V_T.pick(rng)
        if v == "upper":
            return canon.upper(), canon.upper(), ["name_latin"]
        if v == "padded":
            return " " + canon + " ", canon, ["name_latin", "cell_padded"]
        if channel != "excel" and canon in P.LATIN_DIACRITIC and rng.random() < 0.3:
            t = P.LATIN_DIACRITIC[canon]
            return t, t, ["name_latin", "name_latin_diacritics"]
        return canon, canon, ["name_latin"]
    v = _NAME_V_T.pick(rng)
    s, g = _surname_split(canon)
    if v == "spaced":
        return s + " " + g, canon, ["name_spaced"]
    if v == "role":
        return canon + rng.choice(_ROLE_LABEL[hh["role"]]), canon, ["name_role_suffix"]
    if v == "role_space":
        return canon + " " + rng.choice(_ROLE_LABEL[hh["role"]]), canon, ["name_role_suffix"]
    if v == "honorific":
        return canon + rng.choice([" 님", "님"]), canon, ["name_honorific"]
    if v == "padded":
        return rng.choice([" ", "  "]) + canon + rng.choice(["", " "]), canon, ["cell_padded"]
    return canon, canon, []


_PHONE_W = {
    "google": [("hyphen", 55), ("nohyphen", 22), ("spaces", 5), ("intl", 3), ("label", 5),
               ("multiple", 4), ("dots", 2), ("padded", 4)],
    "excel": [("excel_zero", 35), ("hyphen", 45), ("nohyphen", 10), ("label", 3), ("multiple", 5),
              ("padded", 2)],
    "dream": [("hyphen", 58), ("nohyphen", 20), ("spaces", 5), ("intl", 3), ("label", 4),
              ("multiple", 8), ("padded", 2)],
}


_PHONE_T = {k: WTable(v) for k, v in _PHONE_W.items()}


def render_phone(rng, hh, channel, phone=None, variant=None):
    p = phone or hh["phone"]
    a, b, c = p.split("-")
    v = variant or _PHONE_T[channel].pick(rng)
    if v == "hyphen":
        return p, p, []
    if v == "nohyphen":
        return a + b + c, p, ["phone_no_hyphen"]
    if v == "spaces":
        return "%s %s %s" % (a, b, c), p, ["phone_spaces"]
    if v == "intl":
        return rng.choice(["+82 10-%s-%s", "+82-10-%s-%s", "+8210%s%s"]) % (b, c), p, ["phone_intl"]
    if v == "label":
        return "%s %s" % (p, _PHONE_LABEL[hh["role"]]), p, ["phone_with_label"]
    if v == "multiple":
        other = hh["landline"] if rng.random() < 0.6 else "010-%04d-%04d" % (
            rng.randint(2000, 9999), rng.randint(0, 9999))
        return p + rng.choice([", ", " / ", ","]) + other, p, ["phone_multiple"]
    if v == "dots":
        return "%s.%s.%s" % (a, b, c), p, ["phone_dots"]
    if v == "excel_zero":
        return (a + b + c)[1:], p, ["phone_excel_leading_zero"]
    if v == "padded":
        return " " + p + " ", p, ["cell_padded"]
    raise ValueError(v)


def _detail_text(addr, v):
    dong, ho = addr["apt"]
    if v == "dash":
        return "%s-%s" % (dong, ho)
    if v == "compact":
        return "%s동%s호" % (dong, ho)
    return "%s동 %s호" % (dong, ho)


def render_address(rng, hh, channel, style=None, addr=None):
    """-> (text, truth_address_dict, notes)."""
    A = addr or hh["addr"]
    style = style or (hh["addr_style"] if rng.random() < 0.7 else _STYLE_T.pick(rng))
    if style == "spaced_road" and "번길" not in A["road"]:
        style = "short"
    if style == "no_sido" and A["sigungu"] is None:
        style = "short"
    notes = ["address_" + style]
    if A["sido"] != "충청남도" or A["sigungu"] != "아산시":
        notes.append("address_neighbour_city")
    T = {"sido": A["sido"], "sigungu": A["sigungu"], "eupmyeondong": None, "road": A["road"],
         "building_number": A["bno"], "jibun": None, "detail": A["detail"], "postal_code": None,
         "building_name": None}
    sg = (A["sigungu"] + " ") if A["sigungu"] else ""
    # detail variants for apartments
    dv = "std"
    if A["apt"]:
        if style != "full":
            dv = _DETAIL_V_T.pick(rng)
        if dv == "dash":
            notes.append("address_detail_dash")
        elif dv == "compact":
            notes.append("address_detail_compact")
    det = _detail_text(A, dv) if A["apt"] else A["detail"]
    if style == "full":
        emd_pre = (A["emd"] + " ") if A["kind"] == "읍면" else ""
        text = "%s %s%s%s %s" % (A["sido"], sg, emd_pre, A["road"], A["bno"])
        if det:
            text += ", " + det
        if A["kind"] == "동":
            br = "(" + A["legal"] + (", " + A["building"] if A["building"] else "") + ")"
        else:
            br = "(" + A["legal"] + ", " + A["building"] + ")" if A["building"] else ""
        if br:
            T["building_name"] = A["building"] or None
            text += " " + br
            if rng.random() < 0.08:
                text += " " + br
                notes.append("address_repeated_bracket")
        T["eupmyeondong"] = A["emd"]
    elif style in ("short", "inline_building"):
        text = "%s %s%s %s %s" % (A["sido_short"], sg, A["emd"], A["road"], A["bno"])
        if style == "inline_building" and A["building"]:
            text += " " + A["building"]
            T["building_name"] = A["building"]
        if det:
            text += " " + det
        T["eupmyeondong"] = A["emd"]
    elif style == "no_sido":
        text = "%s%s %s" % (sg, A["road"], A["bno"])
        if det:
            text += " " + det
    elif style == "spaced_road":
        base, num = A["road"].split("로", 1) if "로" in A["road"] else (A["road"], "")
        road_sp = base + "로 " + num
        pre = (A["sido_short"] + " ") if rng.random() < 0.5 else ""
        text = "%s%s%s %s %s" % (pre, sg, A["emd"], road_sp, A["bno"])
        if det:
            text += ", " + det
        T["eupmyeondong"] = A["emd"]
    elif style == "jibun":
        pre = (A["sido_short"] + " ") if rng.random() < 0.3 else ""
        if A["kind"] == "읍면":
            text = "%s%s%s %s %s" % (pre, sg, A["emd"], A["legal"], A["jibun"])
        else:
            text = "%s%s%s %s" % (pre, sg, A["emd"], A["jibun"])
        if det:
            text += " " + det
        T["eupmyeondong"] = A["emd"]
        T["road"] = None
        T["building_number"] = None
        T["jibun"] = A["jibun"]
    else:
        raise ValueError(style)
    if style in ("full", "short") and rng.random() < 0.15:
        text = rng.choice(["[%s] ", "[%s]", "(%s) "]) % A["postal"] + text
        T["postal_code"] = A["postal"]
        notes.append("address_postal_prefix")
    if rng.random() < 0.03:
        text = text + "  "
        notes.append("cell_padded")
    return text, T, notes


# The kinds of writing of issue 18 (what parents type that the plain styles above do not).
ADDRESS_KINDS = WTable([("spaced_suffix", 10), ("glued_suffix_number", 8), ("no_spaces", 10),
                        ("number_glued_bracket", 8), ("number_glued_floor", 6), ("building_before_unit", 12),
                        ("building_bracket_before_unit", 10), ("building_after_unit", 10), ("dash_unit", 8),
                        ("block_unit", 4), ("floor_room", 4), ("jibun_bunji_ho", 4), ("jibun_ui", 3),
                        ("jibun_zero", 3), ("jibun_glued", 3)])


def render_address_kind(rng, hh, kind=None):
    """One of issue 18's kinds of writing -> (text, truth_address_dict, notes); the truth labels
    every part, the building name included (None when the cell does not name the building).

    The kind of writing is drawn per row (a parent writes the same address differently each time);
    where the family lives is the household's own and the same on every row: the floor, room, shop,
    block letter and 지번 come from a generator seeded by the household, never from the row's draws."""
    A = hh["addr"]
    kind = kind or ADDRESS_KINDS.pick(rng)
    home = random.Random("home-%s" % hh["id"])
    # A family without an apartment unit lives in a room (A["detail"], `303호`, as the plain styles write
    # it), in a shop building, or in a basement room.
    home_shop = "상가" if A["detail"] or home.random() < 0.5 else "지층"
    home_room = A["detail"] or "%d0%d호" % (home.randint(1, 4), home.randint(1, 5))
    home_basement = "%d호" % home.randint(1, 3)
    home_letter = home.choice(["A", "B", "C"])
    home_main, _, home_sub = A["jibun"].partition("-")
    sg = (A["sigungu"] + " ") if A["sigungu"] else ""
    region = "%s %s" % (A["sido_short"], sg)
    emd_pre = (A["emd"] + " ") if A["kind"] == "읍면" else ""
    road, bno = A["road"], A["bno"]
    T = {"sido": A["sido"], "sigungu": A["sigungu"], "eupmyeondong": A["emd"] if emd_pre else None,
         "road": road, "building_number": bno, "jibun": None, "detail": None, "postal_code": None,
         "building_name": None}
    apt = A["apt"]
    unit = ("%s동 %s호" % apt) if apt else None
    bldg = A["building"]
    if kind in ("spaced_suffix", "glued_suffix_number") and "번길" not in road:
        kind = "no_spaces"
    if kind in ("building_before_unit", "building_bracket_before_unit", "building_after_unit", "dash_unit",
                "block_unit") and not (apt and bldg):
        kind = "floor_room"
    if kind.startswith("jibun") and A["kind"] != "읍면":
        kind = "number_glued_floor"
    # An apartment family's 동 is its number (the plain styles write it so): a lettered block is another home.
    if kind == "block_unit":
        kind = "building_after_unit"
    if kind in ("number_glued_floor", "floor_room") and apt:
        kind = "building_before_unit" if bldg else "dash_unit"
    if kind == "number_glued_floor" and home_shop == "지층":
        kind = "floor_room"
    if kind in ("jibun_bunji_ho", "jibun_ui") and not home_sub:
        kind = "jibun_zero"
    elif kind == "jibun_zero" and home_sub:
        kind = "jibun_bunji_ho"
    base = region + emd_pre
    if kind == "spaced_suffix":
        head, num = road.split("로", 1)
        text = "%s%s로 %s %s %s" % (base, head, num[:-2], num[-2:], bno)
    elif kind == "glued_suffix_number":
        text = "%s%s%s" % (base, road.replace("로", "로 ", 1), bno)
    elif kind == "no_spaces":
        text = (A["sido"] + (A["sigungu"] or "") + (A["emd"] if emd_pre else "")).replace(" ", "") + road + bno
        if unit:
            text += " " + unit
            T["detail"] = unit
    elif kind == "number_glued_bracket":
        # (In a 읍/면 the bracket holds the 리; in a 동, the 법정동.)
        text = "%s%s %s(%s)" % (base, road, bno, A["legal"])
        if A["kind"] != "읍면":
            T["eupmyeondong"] = A["legal"]
    elif kind == "number_glued_floor":
        floor = int(home_room[0])
        text = "%s%s %s.%d층 %s" % (base, road, bno, floor, home_room)
        T["detail"] = "%d층 %s" % (floor, home_room)
    elif kind == "building_before_unit":
        text = "%s%s %s %s %s" % (base, road, bno, bldg, unit)
        T["detail"], T["building_name"] = unit, bldg
    elif kind == "building_bracket_before_unit":
        text = "%s%s %s (%s) %s" % (base, road, bno, bldg, unit)
        T["detail"], T["building_name"] = unit, bldg
    elif kind == "building_after_unit":
        text = "%s%s %s %s %s" % (base, road, bno, unit, bldg)
        T["detail"], T["building_name"] = unit, bldg
    elif kind == "dash_unit":
        text = "%s%s %s %s-%s" % (base, road, bno, apt[0], apt[1])
        T["detail"] = unit
    elif kind == "block_unit":
        letter = home_letter
        room = apt[1]
        text = "%s%s %s %s %s동 %s호" % (base, road, bno, bldg, letter, room)
        T["detail"], T["building_name"] = "%s동 %s호" % (letter, room), bldg
    elif kind == "floor_room":
        room = home_room
        floor = int(room[0])
        shop = home_shop
        if shop == "상가":
            text = "%s%s %s 상가 %d층 %s" % (base, road, bno, floor, room)
            T["detail"], T["building_name"] = "%d층 %s" % (floor, room), "상가"
        else:
            room = home_basement
            text = "%s%s %s 지층%s" % (base, road, bno, room)
            T["detail"] = "지층 " + room
    else:
        main, sub = home_main, home_sub or "0"
        T["road"], T["building_number"] = None, None
        T["eupmyeondong"] = A["emd"]
        place = "%s%s %s" % (region, A["emd"], A["legal"])
        if kind == "jibun_bunji_ho":
            text = "%s %s번지 %s호" % (place, main, sub)
            T["jibun"] = "%s-%s" % (main, sub)
        elif kind == "jibun_ui":
            text = "%s %s의%s" % (place, main, sub)
            T["jibun"] = "%s-%s" % (main, sub)
        elif kind == "jibun_zero":
            text = "%s %s-0" % (place, main)
            T["jibun"] = main
        else:
            number = main + ("-" + home_sub if home_sub else "")
            text = "%s%s %s%s번지" % (region, A["emd"], A["legal"], number)
            T["jibun"] = number
    return text, T, ["address_kind_" + kind]


def render_child_name(rng, name):
    v = _CHILD_V_T.pick(rng)
    if v == "spaced":
        s, g = _surname_split(name)
        return s + " " + g, name, ["child_name_spaced"]
    if v == "padded":
        return name + " ", name, ["cell_padded"]
    return name, name, []


def child_truth(name, bd=None, age=None, grade=None, from_bd=False):
    if from_bd:
        age = man_age(bd)
        grade = school_grade(bd)
    return {"name": name, "birth_date": bd.isoformat() if bd else None, "age": age,
            "school_grade": grade}


def _fmt_birth(rng, bd, v):
    y, m, d = bd.year, bd.month, bd.day
    if v == "iso":
        return "%04d-%02d-%02d" % (y, m, d)
    if v == "dots":
        return rng.choice(["%d.%d.%d" % (y, m, d), "%04d.%02d.%02d" % (y, m, d),
                           "%04d. %d. %d" % (y, m, d)])
    if v == "yy_dots":
        return "%02d.%02d.%02d" % (y % 100, m, d)
    if v == "yymmdd":
        return "%02d%02d%02d" % (y % 100, m, d)
    if v == "yyyymmdd":
        return "%04d%02d%02d" % (y, m, d)
    if v == "korean":
        return rng.choice(["%d년 %d월 %d일", "%d년%d월%d일"]) % (y, m, d)
    if v == "slash":
        return "%d/%d/%d" % (y, m, d)
    if v == "serial":
        return str(excel_serial(bd))
    raise ValueError(v)


_BIRTH_G = [("iso", 25), ("dots", 14), ("yy_dots", 6), ("yymmdd", 6), ("yyyymmdd", 7),
            ("korean", 8), ("slash", 6), ("serial", 1)]


def _birth_g_table(has_grade, y2018):
    opts = list(_BIRTH_G) + [("man", 8), ("man_nospace", 4), ("plain_age", 5)]
    if has_grade:
        opts += [("grade_short", 4), ("grade_long", 2), ("grade_school", 2), ("grade_num", 2)]
    if y2018:
        opts.append(("preschool", 6))
    return WTable(opts)


_BIRTH_G_T = {(a, b): _birth_g_table(a, b) for a in (False, True) for b in (False, True)}


def render_birth_google(rng, child):
    """'자녀 생년월일 또는 나이' cell -> (text, child_truth, notes)."""
    bd = child["bd"]
    g = school_grade(bd)
    age = man_age(bd)
    v = _BIRTH_G_T[(g is not None, bd.year == 2018)].pick(rng)
    name = child["name"]
    if v == "man":
        return "만 %d세" % age, child_truth(name, age=age), ["age_man"]
    if v == "man_nospace":
        return "만%d세" % age, child_truth(name, age=age), ["age_man_nospace"]
    if v == "plain_age":
        return "%d세" % age, child_truth(name, age=age), ["age_plain"]
    if v == "grade_short":
        return "초%d" % g, child_truth(name, grade=g), ["grade_short"]
    if v == "grade_long":
        return "초등 %d학년" % g, child_truth(name, grade=g), ["grade_long"]
    if v == "grade_school":
        return "초등학교 %d학년" % g, child_truth(name, grade=g), ["grade_school"]
    if v == "grade_num":
        return "%d학년" % g, child_truth(name, grade=g), ["grade_number_only"]
    if v == "preschool":
        return "예비초1", child_truth(name), ["grade_preschool"]
    return _fmt_birth(rng, bd, v), child_truth(name, bd, from_bd=True), ["birth_" + v]


def render_age_excel(rng, child):
    """('아동 나이', '학년') cells -> (age_text, grade_text, child_truth, notes)."""
    bd = child["bd"]
    g = school_grade(bd)
    age = man_age(bd)
    v = weighted(rng, [("man", 35), ("man_nospace", 10), ("plain_age", 15), ("birth", 25),
                       ("serial", 10), ("empty", 5)])
    notes = []
    t_age, t_bd = None, None
    if v == "man":
        at, t_age = "만 %d세" % age, age
        notes.append("age_man")
    elif v == "man_nospace":
        at, t_age = "만%d세" % age, age
        notes.append("age_man_nospace")
    elif v == "plain_age":
        at, t_age = "%d세" % age, age
        notes.append("age_plain")
    elif v == "birth":
        bv = weighted(rng, [("iso", 40), ("dots", 30), ("yymmdd", 10), ("korean", 20)])
        at, t_bd = _fmt_birth(rng, bd, bv), bd
        notes.append("birth_" + bv)
    elif v == "serial":
        at, t_bd = str(excel_serial(bd)), bd
        notes.append("birth_serial")
    else:
        at = ""
        notes.append("age_empty")
    if g:
        gv = weighted(rng, [("short", 45), ("num", 30), ("long", 5), ("empty", 20)])
        gt = {"short": "초%d" % g, "num": "%d학년" % g, "long": "초등 %d학년" % g, "empty": ""}[gv]
        t_grade = g if gv != "empty" else None
        if gv != "empty":
            notes.append({"short": "grade_short", "num": "grade_number_only", "long": "grade_long"}[gv])
    else:
        t_grade = None
        if bd.year >= 2018 and rng.random() < 0.3:
            gt = "미취학"
            notes.append("grade_preschool_text")
        elif bd.year == 2011 and rng.random() < 0.5:
            gt = "중1"
            notes.append("grade_middle_school")
        else:
            gt = ""
    if t_bd is not None:
        ct = child_truth(child["name"], t_bd, from_bd=True)
    else:
        ct = child_truth(child["name"], age=t_age, grade=t_grade)
    return at, gt, ct, notes


def render_birth_dream(rng, child):
    v = weighted(rng, [("iso", 35), ("dots", 25), ("korean", 15), ("yyyymmdd", 10), ("yy_dots", 5),
                       ("slash", 10)])
    bd = child["bd"]
    return _fmt_birth(rng, bd, v), child_truth(child["name"], bd, from_bd=True), ["birth_" + v]


def render_memo(rng, channel, special=None):
    if special:
        return P.MEMOS_SPECIAL[special], [special]
    return rng.choice(P.MEMOS_PLAIN), []


def pick_services(rng, hh, channel):
    pool = P.SERVICES
    if hh["min_age"] < 6 and rng.random() < 0.7:
        base = ["아이돌봄서비스"]
    else:
        base = [rng.choice(pool[:4])]
    for s in pool:
        if s not in base and rng.random() < 0.15:
            base.append(s)
    base.sort(key=pool.index)
    return (", " if channel != "excel" else rng.choice([", ", "/", ","])).join(base)


def pick_times(rng, channel):
    if channel == "excel":
        return rng.choice(P.TIMES_EXCEL)
    t = [x for x in P.TIMES_GOOGLE if rng.random() < 0.25] or [rng.choice(P.TIMES_GOOGLE)]
    return ", ".join(t)


def pick_types(rng, hh, channel):
    t = hh["types"] or ["해당없음"]
    if channel == "excel":
        return "/".join(t) if len(t) > 1 else t[0]
    return ", ".join(t)


def fmt_ts_google(dt):
    h12 = dt.hour % 12 or 12
    ampm = "오전" if dt.hour < 12 else "오후"
    return "%04d/%02d/%02d %d:%02d:%02d %s GMT+9" % (dt.year, dt.month, dt.day, h12, dt.minute,
                                                     dt.second, ampm)


def fmt_ts_excel(dt):
    return "%04d-%02d-%02d %02d:%02d" % (dt.year, dt.month, dt.day, dt.hour, dt.minute)


def fmt_ts_dream(dt):
    h12 = dt.hour % 12 or 12
    ampm = "오전" if dt.hour < 12 else "오후"
    return "%d. %d. %d. %s %d:%02d:%02d" % (dt.year, dt.month, dt.day, ampm, h12, dt.minute, dt.second)


def render_language(hh):
    """The Dream Start form's '상담 희망 언어' answer: (cell text, canonical language or None).

    Drawn from a generator of its own, seeded by the household id, so adding the column left every
    other generated value unchanged."""
    rng = random.Random("language-%s" % hh["id"])
    if "다문화" in hh.get("types", []):
        lang = weighted(rng, [("베트남어", 55), ("중국어", 25), (None, 20)])
        if lang == "베트남어":
            return weighted(rng, [("베트남어", 40), ("베트남", 20), ("Tiếng Việt", 15), ("통역 필요(베트남어)", 15),
                                  ("베트남어, 한국어 조금", 10)]), lang
        if lang == "중국어":
            return weighted(rng, [("중국어", 60), ("중국", 20), ("中文", 20)]), lang
        return weighted(rng, [("한국어", 50), ("", 30), ("한국어 가능", 20)]), None
    return weighted(rng, [("", 70), ("한국어", 20), ("없음", 10)]), None


def truth_record(file, row, household, reject, submitted_at, guardian=None, address=None,
                 children=None, notes=(), language=None):
    # de-duplicate notes, keep order
    seen, ns = set(), []
    for n in notes:
        if n not in seen:
            seen.add(n)
            ns.append(n)
    return {"file": file, "row": row, "household": household, "reject": reject,
            "submitted_at": submitted_at.isoformat() + "+09:00" if submitted_at else None,
            "guardian": guardian, "address": address, "children": children or [], "notes": ns,
            **({"language": language} if language else {})}
