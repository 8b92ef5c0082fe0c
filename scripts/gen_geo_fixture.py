#!/usr/bin/env python3
"""Make the address-file test fixture: real Seoul road addresses and their WGS84 points (the city's lists of
지역아동센터 and 우리동네키움센터, ../shared/reference/seoul-open-data/) written as a 위치정보요약DB file
(entrc_*.txt: CP949, '|', 18 fields, no header), with each point converted to UTM-K (EPSG:5179) by PROJ's
cs2cs (Debian proj-bin), and beside it the expected list (address as written, point as published).

Fields the lists do not give are filled plainly: 출입구일련번호 and 도로명코드 are numbered in order, 건물용도분류
is 노유자시설, 건물군여부 0, 관할행정동 the 법정동코드. 법정동코드 comes from the official 법정동코드 file when the
address's bracket names a 동 (else the 시군구 code and zeros).

usage: python3 scripts/gen_geo_fixture.py [reference folder]
"""
import csv, os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ref = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, '..', 'shared', 'reference')
out_dir = os.path.join(root, 'Tests', 'DolbomGeoTests', 'Fixtures')

legal = {}
with open(os.path.join(ref, '법정동코드_전체자료.txt'), encoding='cp949') as f:
    next(f)
    for line in f:
        p = line.rstrip('\r\n').split('\t')
        if len(p) >= 3 and p[2].strip() == '존재':
            legal[' '.join(p[1].split())] = p[0].strip()

# 서울특별시|서울시 구 road[ number길] [지하] number[-sub] [rest]
address = re.compile(r'^서울(?:특별)?시\s+(\S+구)\s+(\S+?(?:로|길))\s*((?:\d+[가-힣]?(?:번)?\s*길)?)\s*(지하\s*)?'
                     r'(\d+)(?:-(\d+))?(?=\s|$|[가-힣(,])(.*)$')
rows, seen = [], set()
for name in ('지역아동센터.csv', '우리동네키움센터.csv'):
    with open(os.path.join(ref, 'seoul-open-data', name), encoding='utf-8-sig', newline='') as f:
        for r in csv.DictReader(f):
            text = r['기본주소'].strip()
            if not r['X좌표값'].strip() or not r['Y좌표값'].strip():
                continue
            m = address.match(text)
            if not m:
                print(f'gen_geo_fixture: skipped (not a road address): {name} {r["시설ID"]} {text!r}', file=sys.stderr)
                continue
            gu, road, side, underground, main, sub = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)
            road = road + re.sub(r'\s+', '', side)
            key = (gu, road, bool(underground), int(main), int(sub or 0))
            if key in seen:
                continue  # one entrance per building: the first facility's point
            seen.add(key)
            bracket = re.search(r'\(([^()]*)\)\s*$', r['상세주소'] or '')
            parts = [p.strip() for p in re.split(r'[,\s]+', bracket.group(1))] if bracket else []
            dong = parts[0] if parts and re.fullmatch(r'[가-힣]+\d*(?:동|가)\d*가?', parts[0]) else ''
            rows.append(dict(source=f'{name}:{r["시설ID"]}', text=text, gu=gu, gu_code=r['자치구코드'].strip(),
                             road=road, underground=bool(underground), main=int(main), sub=int(sub or 0),
                             dong=dong, postal=r['우편번호'].strip().zfill(5),
                             lon=float(r['X좌표값']), lat=float(r['Y좌표값'])))

# PROJ: EPSG:4326 takes latitude first, EPSG:5179 gives northing first.
proc = subprocess.run(['cs2cs', '-f', '%.6f', 'EPSG:4326', 'EPSG:5179'], check=True, capture_output=True, text=True,
                      input=''.join(f'{r["lat"]:.12f} {r["lon"]:.12f}\n' for r in rows))
for r, line in zip(rows, proc.stdout.splitlines()):
    northing, easting = line.split()[:2]
    r['x'], r['y'] = easting, northing
assert all('x' in r for r in rows)

road_codes = {}
lines = []
for serial, r in enumerate(rows, start=1):
    code = r['gu_code']
    road_code = road_codes.setdefault((code, r['road']), f'{code}{len(road_codes) + 1:07d}')
    dong_code = legal.get(f'서울특별시 {r["gu"]} {r["dong"]}', code + '00000') if r['dong'] else code + '00000'
    lines.append('|'.join([code, f'{serial:010d}', dong_code, '서울특별시', r['gu'], r['dong'], road_code, r['road'],
                           '1' if r['underground'] else '0', str(r['main']), str(r['sub']), '', r['postal'],
                           '노유자시설', '0', dong_code, r['x'], r['y']]))

os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, 'entrc_seoul_facilities.txt'), 'w', encoding='cp949', newline='') as f:
    f.write('\r\n'.join(lines) + '\r\n')
with open(os.path.join(out_dir, 'seoul-facilities-expected.csv'), 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['source', 'address', 'latitude', 'longitude'])
    for r in rows:
        w.writerow([r['source'], r['text'], f'{r["lat"]:.12f}', f'{r["lon"]:.12f}'])
print(f'gen_geo_fixture: {len(rows)} buildings -> Tests/DolbomGeoTests/Fixtures/')
