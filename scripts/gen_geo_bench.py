#!/usr/bin/env python3
"""Inputs for scripts/bench-geo.sh: an address file of one 시도's size in the official 위치정보요약DB layout
(entrc_*.txt: CP949, '|', 18 fields, CRLF) and a form export whose addresses are drawn from it.

    python3 scripts/gen_geo_bench.py OUT_FOLDER [--lines 600000] [--rows 100000] [--seed 1]

The file covers 충청남도's 16 시군구 (their real codes and names) with made-up roads (`X로`, `X로N번길`),
building numbers, 법정동, postal codes and UTM-K entrance points inside 충남. The export (Google Forms layout,
UTF-8) has one household per row: 90% of the addresses are in the file as written, 5% have the road name one
vowel off (a slip the check corrects), 5% a building number the file lacks (flagged `address_not_found`).
"""
import argparse, os, random

SIGUNGU = [('44131', '천안시 동남구'), ('44133', '천안시 서북구'), ('44150', '공주시'), ('44180', '보령시'),
           ('44200', '아산시'), ('44210', '서산시'), ('44230', '논산시'), ('44250', '계룡시'), ('44270', '당진시'),
           ('44710', '금산군'), ('44760', '부여군'), ('44770', '서천군'), ('44790', '청양군'), ('44800', '홍성군'),
           ('44810', '예산군'), ('44825', '태안군')]
SYLLABLES = list('가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후'
                 '강남동산성정중천청한신월명광영태평화양금은solar'.replace('solar', ''))
SURNAMES = list('김이박최정강조윤장임한오서신권황안송류홍')
GIVEN = list('민서준지우하윤도현은예수아시연유진채원')


def syllables(rng, n):
    return ''.join(rng.choice(SYLLABLES) for _ in range(n))


def vowel_slip(name):
    """One vowel of one syllable changed (ㅗ↔ㅛ, ㅓ↔ㅕ, ㅏ↔ㅑ, ㅜ↔ㅠ): 번영로 → 번영료."""
    swap = {8: 12, 12: 8, 4: 6, 6: 4, 0: 2, 2: 0, 13: 17, 17: 13}
    chars = list(name)
    for i in range(name.index('로') - 1, -1, -1):
        c = ord(chars[i])
        if 0xAC00 <= c <= 0xD7A3:
            idx = c - 0xAC00
            v = (idx % 588) // 28
            if v in swap:
                chars[i] = chr(0xAC00 + (idx // 588) * 588 + swap[v] * 28 + idx % 28)
                return ''.join(chars)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--lines', type=int, default=600_000)
    ap.add_argument('--rows', type=int, default=100_000)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)

    per_sigungu = a.lines // len(SIGUNGU)
    buildings = []  # (sigungu name, road, number) for the export
    serial = 0
    with open(os.path.join(a.out, 'entrc_chungnam.txt'), 'w', encoding='cp949', newline='') as f:
        for code, name in SIGUNGU:
            dongs = [(f'{code}{100 + 3 * k:03d}00', syllables(rng, 2) + rng.choice(['동', '동', '읍', '면']))
                     for k in range(20)]
            used, written, road_no = set(), 0, 0
            while written < per_sigungu:
                base = syllables(rng, rng.choice([2, 2, 3]))
                if base + '로' in used:
                    continue
                dong_code, dong = rng.choice(dongs)
                postal = f'{rng.randint(31000, 33699):05d}'
                roads = [base + '로'] + [f'{base}로{2 * k}번길' for k in range(1, rng.randint(4, 14))]
                for road in roads:
                    used.add(road)
                    road_no += 1
                    for number in range(1, rng.randint(8, 60)):
                        if written >= per_sigungu:
                            break
                        serial += 1
                        written += 1
                        sub = rng.choice([0, 0, 0, rng.randint(1, 30)])
                        x, y = rng.uniform(900_000, 1_000_000), rng.uniform(1_780_000, 1_860_000)
                        bname = rng.choice(['', '', '', syllables(rng, 3) + rng.choice(['아파트', '빌라', '타운'])])
                        f.write('|'.join([code, f'{serial:010d}', dong_code, '충청남도', name, dong,
                                          f'{code}{road_no:07d}', road, '0', str(number), str(sub), bname, postal,
                                          '공동주택', '0', dong_code, f'{x:.6f}', f'{y:.6f}']) + '\r\n')
                        buildings.append((name, road, f'{number}-{sub}' if sub else str(number)))

    with open(os.path.join(a.out, 'export.csv'), 'w', encoding='utf-8', newline='') as f:
        f.write('"타임스탬프","보호자 성명","보호자 연락처(휴대전화)","거주지 주소","자녀 이름","자녀 생년월일 또는 나이",'
                '"개인정보 수집·이용 동의"\n')
        phones = rng.sample(range(10_000_000, 100_000_000), a.rows)
        for i in range(a.rows):
            sigungu, road, number = rng.choice(buildings)
            kind = rng.random()
            if kind < 0.05:
                road = vowel_slip(road) or road
            elif kind < 0.10:
                number = str(int(number.split('-')[0]) + 500)
            detail = rng.choice(['', '', f', {rng.randint(101, 120)}동 {rng.randint(1, 25)}0{rng.randint(1, 4)}호'])
            address = f'충청남도 {sigungu} {road} {number}{detail}'
            minute = i % 1440
            stamp = f'2024/06/{1 + i % 28:02d} {(minute // 60) % 12 + 1}:{minute % 60:02d}:{i % 60:02d} ' \
                    f'{"오전" if minute < 720 else "오후"} GMT+9'
            phone = f'010-{phones[i] // 10000:04d}-{phones[i] % 10000:04d}'
            guardian = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            child = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            birth = f'{rng.randint(2013, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}'
            f.write(','.join(f'"{v}"' for v in [stamp, guardian, phone, address, child, birth, '동의합니다']) + '\n')
    print(f'gen_geo_bench: {serial} address lines, {a.rows} export rows -> {a.out}')


if __name__ == '__main__':
    main()
