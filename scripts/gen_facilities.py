#!/usr/bin/env python3
"""Generate the sample city's facility registry and the centres' vacancy sheet (deterministic, seeded).

    python3 scripts/gen_facilities.py [--out DIR]     # DIR defaults to <repo>/samples

Writes
  samples/facilities/asan_facilities.csv   the city's list: CP949, CRLF (Excel "CSV"), its own header wording
  samples/facility-vacancies.csv           what the centres sent: UTF-8 BOM, by 기관ID or by name, 기준일

Synthetic: the names, phones and capacities are made up; the roads are the sample exports' Asan roads
(scripts/samplegen/pools.py); coordinates are scattered around the KMA points of Asan's 읍면동 (for the
법정동 of 온양1-6동, the 온양 points), so distances are plausible, not surveyed. Like real lists the file has
oddities the reader must report: a test row, a row with neither coordinates nor address, a repeated id,
a row with an address and no coordinates (located by its 읍면동's centre), hours in one cell.
"""
import argparse
import csv
import io
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from samplegen import pools as P  # noqa: E402

SEED = 20240712
# KMA forecast points (scripts/gen_centroids.py's source) of the 읍면동 the sample streets are in.
POINTS = {
    "배방읍": (36.779942, 127.066986), "탕정면": (36.797564, 127.053822), "음봉면": (36.846858, 127.014475),
    "온천동": (36.784239, 127.001575), "용화동": (36.785664, 126.986344), "권곡동": (36.772561, 126.998300),
    "모종동": (36.784722, 127.015197), "풍기동": (36.775522, 127.005464), "실옥동": (36.758078, 127.017753),
}
HEADER = ["기관ID", "기관명", "시설유형", "주소", "상세주소", "경도", "위도", "전화번호", "이용대상",
          "학기 운영시간", "방학 운영시간", "토요일 운영", "토요일 운영시간", "이용료(월)", "저소득 무료",
          "정원", "특화 프로그램", "지원 언어", "비고"]

CENTRE_NAMES = ["햇살", "꿈나무", "새싹", "푸른꿈", "무지개", "사랑나눔", "희망", "한빛", "열린", "다솜",
                "온새미로", "늘푸른", "별빛", "해오름", "아름드리", "도담도담", "새롬", "시온", "참사랑", "하늘꿈"]
SCHOOLS = {"배방읍": ["배방초", "장재초", "휴대초"], "탕정면": ["탕정초", "명암초"], "음봉면": ["음봉초", "산동초"],
           "온천동": ["온양온천초"], "용화동": ["용화초"], "권곡동": ["권곡초"], "모종동": ["모산초"], "풍기동": ["풍기초"],
           "실옥동": ["온양용연초"]}
PROGRAMMES = ["느린학습자 학습지원", "다문화 가정 한국어 교실", "장애아동 통합돌봄", "저녁 돌봄(20시까지)", "토요 체험 프로그램",
              "독서·공부방", "방학 집중돌봄"]


def jitter(rng, point, metres):
    lat, lon = point
    dy = rng.uniform(-metres, metres) / 111_195
    dx = rng.uniform(-metres, metres) / (111_195 * 0.801)  # cos(36.8°)
    return round(lat + dy, 6), round(lon + dx, 6)


def street(rng, emd):
    options = [s for s in P.STREETS_ASAN if s[0] == emd]
    s = rng.choice(options)
    emd_, kind, legal, road, numbers, postal, _ = s
    number = rng.choice(numbers)
    bracket = f"({legal})" if kind == "읍면" else f"({emd_})"
    prefix = f"충청남도 아산시 {emd_} " if kind == "읍면" else "충청남도 아산시 "
    return prefix + f"{road} {number}", bracket


def phone(rng):
    return f"041-{rng.choice(['541', '542', '544', '545', '546', '547', '549', '533', '534'])}-{rng.randint(1000, 9999)}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples"))
    args = ap.parse_args()
    rng = random.Random(SEED)
    rows = []
    names = iter(rng.sample(CENTRE_NAMES, len(CENTRE_NAMES)))
    emds = list(POINTS)
    weights = {"배방읍": 5, "탕정면": 3, "음봉면": 2, "온천동": 2, "용화동": 2, "권곡동": 1, "모종동": 2, "풍기동": 1, "실옥동": 1}

    def add(fid, name, kind, emd, band, term, vacation, saturday, fee, low_free, capacity, programmes="", languages="",
            note="", coords=True, address=True):
        addr, bracket = street(rng, emd)
        floor = rng.choice(["2층", "3층", "1층", "201호", "상가 2층", "관리동 1층"])
        lat, lon = jitter(rng, POINTS[emd], 1400)
        rows.append([fid, name, kind, addr if address else "", f"{floor} {bracket}" if address else "",
                     f"{lon:.6f}" if coords else "", f"{lat:.6f}" if coords else "", phone(rng), band, term, vacation,
                     "Y" if saturday else "N", saturday or "", fee, low_free, str(capacity), programmes, languages, note])

    n = 1
    # 지역아동센터: free, 초등 (some 초중), 13:00-19:00 or -20:00, some Saturdays.
    for emd in emds:
        for _ in range(max(1, weights[emd] - (1 if weights[emd] > 3 else 0))):
            name = next(names)
            term = rng.choice(["13:00~19:00", "13:00~19:00", "12:00~20:00", "14:00~19:00"])
            sat = rng.choice(["", "", "10:00~14:00"])
            prog = ", ".join(rng.sample(PROGRAMMES, rng.choice([0, 1, 1, 2])))
            lang = "베트남어" if "다문화" in prog else ""
            add(f"ASN-LC{n:02d}", f"{name}지역아동센터", "지역아동센터", emd,
                rng.choice(["초등학생", "초등학생", "초중생", "만 6~12세"]), term, "09:00~18:00", sat, "0", "Y",
                rng.choice([19, 24, 29, 29]), prog, lang)
            n += 1
    # 다함께돌봄센터: 월 5만원 (수급·차상위 무료), 초등 1-6, 13:00-19:00, 방학 08:30-18:30.
    for k, emd in enumerate(["배방읍", "배방읍", "탕정면", "탕정면", "음봉면", "모종동", "용화동", "온천동", "풍기동"], start=1):
        prog = rng.choice(["", "저녁 돌봄(20시까지)", "방학 집중돌봄", "느린학습자 학습지원"])
        add(f"ASN-DH{k:02d}", f"아산시 다함께돌봄센터 {k}호점({emd[:-1]})",
            "다함께돌봄센터", emd, rng.choice(["초등 1~6학년", "초등학생"]),
            "13:00~20:00" if "저녁" in prog else "13:00~19:00", "08:30~18:30", rng.choice(["", "", "09:00~13:00"]),
            "50,000", "Y", rng.choice([20, 25, 30]), prog)
    # 늘봄학교 (in schools): free, 초1-2, 13:00-20:00; 온종일돌봄 classrooms.
    k = 1
    for emd in ["배방읍", "탕정면", "음봉면", "용화동", "모종동"]:
        school = rng.choice(SCHOOLS[emd])
        add(f"ASN-NB{k:02d}", f"{school}등학교 늘봄교실", "늘봄학교", emd, "초1~2학년", "13:00~20:00", "09:00~17:00", "", "0", "",
            rng.choice([40, 60]))
        k += 1
    for k, emd in enumerate(["온천동", "실옥동"], start=1):
        school = SCHOOLS[emd][0]
        add(f"ASN-OJ{k:02d}", f"{school}등학교 온종일돌봄교실", "온종일돌봄", emd, "초등 1~3학년", "13:00~19:00", "09:00~17:00", "",
            "무료", "", 40)
    # Services for the whole city: 아이돌봄 (a sitter comes home; the 가족센터 arranges it) and 드림스타트.
    add("ASN-ID01", "아산시가족센터 아이돌봄서비스", "아이돌봄", "모종동", "만 12세 이하", "07:00~22:00", "07:00~22:00",
        "07:00~22:00", "시간제(소득별 정부지원)", "", 60, "다문화 가정 한국어 교실", "베트남어, 중국어")
    add("ASN-DS01", "아산시 드림스타트", "드림스타트", "온천동", "만 0~12세", "09:00~18:00", "09:00~18:00", "", "0", "Y", 100)
    # What real lists hold: an address without coordinates; neither; a repeated id; a test row.
    add("ASN-LC90", "아산온누리지역아동센터", "지역아동센터", "배방읍", "초등학생", "13:00~19:00", "09:00~18:00", "", "0", "Y", 29,
        note="좌표 미입력", coords=False)
    add("ASN-LC91", "아산한마음지역아동센터", "지역아동센터", "음봉면", "초등학생", "13:00~19:00", "", "", "0", "Y", 19,
        note="이전 예정(주소 확인 중)", coords=False, address=False)
    dup = list(rows[3])
    dup[18] = "중복 입력"
    rows.append(dup)
    add("ASN-TEST", "테스트기관", "지역아동센터", "배방읍", "초등학생", "09:00~18:00", "", "", "0", "", 1, note="시스템 점검용")

    os.makedirs(os.path.join(args.out, "facilities"), exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows)
    with open(os.path.join(args.out, "facilities", "asan_facilities.csv"), "wb") as f:
        f.write(buf.getvalue().encode("cp949"))

    # The vacancy sheet: most centres by id, some by name (spaced differently), a few full, one unknown centre.
    listed = [r for r in rows if r[0] not in ("ASN-TEST", "ASN-LC91")][:-1]
    vrows = []
    for r in listed:
        if rng.random() < 0.15:
            continue
        cap = int(r[15])
        enrolled = cap if rng.random() < 0.2 else max(0, cap - rng.choice([1, 2, 3, 4, 6, 8]))
        when = rng.choice(["2024-07-12", "2024-07-10", "7/11", "2024. 7. 8."])
        key = r[0] if rng.random() < 0.75 else ("", r[1].replace("지역아동센터", " 지역아동센터"))
        fid, name = (key, "") if isinstance(key, str) else key
        vrows.append([fid, name, str(cap), str(enrolled), str(cap - enrolled), when])
    vrows.append(["", "아산새빛지역아동센터", "29", "20", "9", "2024-07-12"])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["기관ID", "기관명", "정원", "현원", "빈자리", "기준일"])
    w.writerows(vrows)
    with open(os.path.join(args.out, "facility-vacancies.csv"), "wb") as f:
        f.write(("\ufeff" + buf.getvalue()).encode("utf-8"))
    kinds = {}
    for r in rows:
        kinds[r[2]] = kinds.get(r[2], 0) + 1
    print(f"facilities: {len(rows)} rows ({', '.join(f'{k} {v}' for k, v in kinds.items())}); vacancy sheet: {len(vrows)} rows")


if __name__ == "__main__":
    main()
