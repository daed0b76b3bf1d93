#!/usr/bin/env python3
"""Regenerate the derived rule tables under rules/ from the source snapshots in rules/sources/.

Usage: python3 scripts/derive_rules.py [--check]
  (no argument)  rewrite the derived files;
  --check        write nothing; exit 1, naming each file, when a derived file differs from what the
                 sources give (scripts/test.sh runs this, so a hand edit or a stale table fails CI).
Python 3.11+, standard library only. The output depends only on files inside the repository, so a
fresh clone gives byte-identical files.

Writes:
  rules/cn/cities.csv, rules/cn/mobile-regions.csv  from libphonenumber-9.0.35/geocoding/{zh,en}/86.txt
  rules/cn/area-codes.csv                           from numbering/area-codes.csv: retired and unsourced
                                                    codes removed, names reviewed against 9.0.43, lengths
                                                    of completed upgrades (rules/cn/upgrades.csv)
  rules/cn/mobile-blocks.csv                        from numbering/mobile-prefixes.csv, with the IoT review
  rules/LICENSE-libphonenumber.txt                  byte copy of libphonenumber-9.0.35/LICENSE
Reads the hand-curated rules/cn/retired-area-codes.csv and rules/cn/upgrades.csv.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
SOURCES = RULES / "sources"
LIB35 = SOURCES / "libphonenumber-9.0.35"
LIB43 = SOURCES / "libphonenumber-9.0.43"
NUMBERING = SOURCES / "numbering"

LIBPHONENUMBER_VERSION = "v9.0.35"
LIBPHONENUMBER_COMMIT = "f7e3e88c92b905c8d6edb81f336dbe25edc05b52"

# --- area codes -----------------------------------------------------------------------------------

# Corrections to names that libphonenumber's geocoding data gets plainly wrong (see rules/README.md).
AREA_NAME_FIXES_ZH = {
    "0731": ("湖南省长沙市、湘潭市、株州市", "湖南省长沙市、湘潭市、株洲市"),  # typo 株州 for 株洲
}
# 0978 has no geocoding entry; every other 097x code is in Qinghai, so only the province is given.
AREA_NAME_FILL = {"0978": ("青海省", "Qinghai")}
# Pinyin written as "XiAn": a capital vowel inside a word marks a lost apostrophe (Xi'an, Tai'an, Ge'ermu).
CAMEL_APOSTROPHE = re.compile(r"(?<=[a-z])([AEO])")

# Codes libphonenumber 9.0.35 accepts that no source names, removed (issue 12, rules/README.md).
UNSOURCED_CODES = {
    # 9.0.42+ reject it; 9.0.35 accepted only locals starting 8; no source names the code; 索县 uses 0896.
    "0807": "西藏索县",
}

# The review of every name where libphonenumber 9.0.43's geocoding differs from 9.0.35's (rules/README.md
# lists each with its reason). "43" takes both of 9.0.43's names, "43en" only its English name (its
# Chinese drops 市/盟 or the full prefecture name), a pair sets both names (zh, en) by hand.
NAME_REVIEW = {
    "024": ("辽宁省沈阳市、铁岭市、抚顺市、本溪市", "Shenyang/Tieling/Fushun/Benxi, Liaoning"),  # = 9.0.43; 0414 Benxi merged in
    "0354": ("山西省晋中市", "Jinzhong, Shanxi"),  # Yuci is Jinzhong's seat; 9.0.43 gives 0354 and 0358 both names
    "0358": ("山西省吕梁市", "Lüliang, Shanxi"),  # Lishi is Lüliang's seat; see 0354
    "0470": "43en", "0474": "43en", "0477": "43en", "0478": "43en", "0479": "43en", "0482": "43en",
    "0483": "43en",  # Inner Mongolia: prefecture names instead of their seats (Hailaer -> Hulunbuir ...)
    "0538": "keep",  # 9.0.43 Taian; ours Tai'an
    "0551": "43",  # 巢湖 is a county-level city of Hefei since 2011 and 0565 merged into 0551
    "0555": "keep", "0911": "keep", "0972": "keep", "0979": "keep", "0996": "keep", "029": "keep",
    "0564": ("安徽省六安市", "Lu'an, Anhui"),  # = 9.0.43: 六安 is read Lù'ān
    "0691": "43en", "0836": "43en", "0837": "43en", "0854": "43en", "0855": "43en", "0873": "43en",
    "0893": "43en", "0941": "43en", "0897": "43en",  # prefecture names instead of their seats
    "0886": ("云南省怒江傈僳族自治州", "Nujiang, Yunnan"),  # 9.0.43 misspells Nujiangm
    "0692": ("云南省德宏傣族景颇族自治州", "Dehong/Mangshi, Yunnan"),  # Luxi was renamed Mangshi (2010)
    "0710": "43",  # 襄樊 was renamed 襄阳 in 2010
    "0728": "43",  # 0728 serves Xiantao, Qianjiang and Tianmen
    "0731": "keep",  # 9.0.43 keeps the typo 株州
    "0754": "43",  # 潮阳 is a district of Shantou since 2003
    "0757": "43",  # 顺德 is a district of Foshan since 2003
    "0771": ("广西南宁市、崇左市", "Nanning/Chongzuo, Guangxi"),  # = 9.0.43 in the file's zh style; Chongzuo uses 0771
    "0832": "43",  # 资阳 dials 028 (028 lists it)
    "0879": ("云南省普洱市", "Pu'er, Yunnan"),  # Simao was renamed Pu'er in 2007
    "0887": ("云南省迪庆藏族自治州", "Diqing/Shangri-La, Yunnan"),  # Zhongdian was renamed Shangri-La
    "0898": ("海南省海口市、三亚市、儋州市", "Haikou/Sanya/Danzhou, Hainan"),  # 0899 Sanya, 0890 Danzhou merged in
    "0978": "keep",  # 9.0.43: 中国/China (no entry)
    "0991": ("新疆乌鲁木齐市", "Urumqi, Xinjiang"),  # = 9.0.43 (Urumchi -> Urumqi) in the file's zh style
}


def fix_romanisation(name: str) -> str:
    return CAMEL_APOSTROPHE.sub(lambda m: "'" + m.group(1).lower(), name)


def read_names_43() -> dict[str, tuple[str, str]]:
    return {r["area_code"]: (r["city_zh"], r["city_en"]) for r in read_csv(LIB43 / "area-names.csv")}


def reviewed_name(code: str, zh: str, en: str, names43: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """The 9.0.35 names after the review against 9.0.43; fails on a difference nobody reviewed."""
    new_zh, new_en = names43.get(code, ("", ""))
    en, new_en = fix_romanisation(en), fix_romanisation(new_en)  # a lost apostrophe is no difference
    decision = NAME_REVIEW.get(code)
    if isinstance(decision, tuple):
        return decision
    if decision == "43":
        return new_zh, new_en
    if decision == "43en":
        return zh, new_en
    if decision is None and (new_zh, new_en) != (zh, en):
        sys.exit(f"area code {code}: 9.0.43 names {new_zh!r}/{new_en!r} differ from {zh!r}/{en!r}; review them")
    return zh, en


def upgraded_codes() -> set[str]:
    """Active codes whose whole area moved to 8 local digits (rules/cn/upgrades.csv)."""
    return {row["code"] for row in read_csv(RULES / "cn" / "upgrades.csv") if row["code"] == row["new_code"]}


def derive_area_codes() -> str:
    retired = {row["code"] for row in read_csv(RULES / "cn" / "retired-area-codes.csv")}
    names43 = read_names_43()
    upgraded = upgraded_codes()
    rows = []
    for row in read_csv(NUMBERING / "area-codes.csv"):
        code = row["area_code"]
        if code in retired:
            continue
        if code in UNSOURCED_CODES:
            if row["city_zh"] != UNSOURCED_CODES[code]:
                sys.exit(f"area code {code}: expected {UNSOURCED_CODES[code]!r}; review UNSOURCED_CODES")
            continue
        zh, en = reviewed_name(code, row["city_zh"], row["city_en"], names43)
        en = fix_romanisation(en)
        if code in AREA_NAME_FIXES_ZH:
            old, new = AREA_NAME_FIXES_ZH[code]
            if zh != old:
                sys.exit(f"area code {code}: expected name {old!r}, found {zh!r}; review the fix table")
            zh = new
        if not zh and code in AREA_NAME_FILL:
            zh, en = AREA_NAME_FILL[code]
        if not zh or not en:
            sys.exit(f"area code {code}: no region name; add one to AREA_NAME_FILL")
        lengths = row["local_lengths"]
        if not re.fullmatch(r"[78](\|[78])?", lengths):
            sys.exit(f"area code {code}: unexpected local lengths {lengths!r}")
        if code in upgraded:
            # history records a completed 7 -> 8 upgrade of the whole code: 7 digits are stale,
            # even where libphonenumber still allows them (0851).
            if "8" not in lengths:
                sys.exit(f"area code {code}: upgraded to 8 digits but the source allows only {lengths}")
            lengths = "8"
        rows.append((code, zh, en, lengths))
    unreviewed = set(NAME_REVIEW) - {r[0] for r in rows}
    if unreviewed:
        sys.exit(f"NAME_REVIEW names codes that are not active: {sorted(unreviewed)}")
    header = [
        "# Active area codes (with trunk 0) and allowed local-number lengths, libphonenumber "
        f"{LIBPHONENUMBER_VERSION} (Apache-2.0) via",
        "# rules/sources/numbering/area-codes.csv; retired and unsourced codes removed, names reviewed "
        "against 9.0.43,",
        "# completed 7->8 upgrades 8 digits only (rules/README.md). Generated by scripts/derive_rules.py.",
    ]
    return render(header, ["code", "region_zh", "region_en", "lengths"], sorted(rows))


# --- mobile blocks --------------------------------------------------------------------------------

CATEGORY = {
    "public mobile": "public",
    "public mobile (unverified)": "public",
    "MVNO (移动转售)": "mvno",
    "satellite": "satellite",
    "data card / IoT (11-digit)": "data_card",
    "IoT (13-digit)": "iot",
}
CARRIER_EN = {"other (non-carrier) units": "other operators", "?": ""}
# Three-digit segments that MIIT splits: the segment itself is listed unallocated so that a
# longest-prefix lookup of a number outside the allocated sub-blocks (13494, 1745, 1611) says so.
SPLIT_SEGMENTS = {"134": "public", "144": "iot", "161": "public", "170": "mvno", "174": "satellite"}


# The IoT review (issue 12, rules/README.md): 146 and 148 are 13-digit IoT numbers (ITU via the
# libphonenumber CN comment: "10 digit 14[68]" after the 3-digit segment; zh-Wikipedia; community
# tables), not 11-digit data cards as the transcription's category says. 1410 is China Telecom's
# 13-digit IoT block (community tables, C). 13-digit 1064x other than 10647 are M2M numbers
# (general knowledge, C; ITU names only 10647), so 1064 gets a row of its own.
IOT_REVIEW = {
    "146": ("146", "13", "中国联通", "China Unicom", "iot", "allocated"),
    "148": ("148", "13", "中国移动", "China Mobile", "iot", "allocated"),
}
IOT_ADDED = {
    "1410": ("1410", "13", "中国电信", "China Telecom", "iot", "allocated"),
    "1064": ("1064", "13", "", "", "iot", "allocated"),
}


def derive_mobile_blocks() -> str:
    rows = {}
    for row in read_csv(NUMBERING / "mobile-prefixes.csv"):
        prefix, length = row["prefix"], row["total_length"]
        carrier_zh = "" if row["carrier_zh"] == "?" else row["carrier_zh"]
        carrier_en = CARRIER_EN.get(row["carrier_en"], row["carrier_en"])
        if row["category"].startswith("NOT ALLOCATED"):
            rows[prefix] = (prefix, length, "", "", "public", "unallocated")
        elif row["category"] in CATEGORY:
            rows[prefix] = (prefix, length, carrier_zh, carrier_en, CATEGORY[row["category"]], "allocated")
        else:
            sys.exit(f"mobile prefix {prefix}: unknown category {row['category']!r}")
    for prefix, reviewed in IOT_REVIEW.items():
        if rows[prefix][4] != "data_card":
            sys.exit(f"mobile prefix {prefix}: expected a data_card row to review, found {rows[prefix]}")
        rows[prefix] = reviewed
    for prefix, added in IOT_ADDED.items():
        if prefix in rows:
            sys.exit(f"mobile prefix {prefix} is now in mobile-prefixes.csv; review IOT_ADDED")
        rows[prefix] = added
    for prefix, category in SPLIT_SEGMENTS.items():
        if prefix in rows:
            sys.exit(f"split segment {prefix} is listed whole in mobile-prefixes.csv")
        length = "13" if category == "iot" else "11"
        rows[prefix] = (prefix, length, "", "", category, "unallocated")
    uncovered = [str(p) for p in range(130, 200) if str(p) not in rows]
    if uncovered:
        sys.exit(f"three-digit mobile segments without a row: {' '.join(uncovered)}")
    header = [
        "# Mobile number blocks (longest-prefix lookup) with carrier, category and allocation status.",
        "# Source: MIIT allocation table to 2023-03 via rules/sources/numbering/mobile-prefixes.csv, "
        "plus 1610 (libphonenumber 9.0.35);",
        "# 146/148 as 13-digit IoT, 1410 and 1064 added (the IoT review in rules/README.md).",
        "# Generated by scripts/derive_rules.py.",
    ]
    columns = ["prefix", "length", "carrier_zh", "carrier_en", "category", "status"]
    return render(header, columns, [rows[p] for p in sorted(rows)])


# --- mobile home cities ---------------------------------------------------------------------------

MOBILE_KEY = re.compile(r"86(1[3-9]\d{1,5})")  # "86" + a mobile prefix of 3-7 digits


def read_geocoding(path: Path) -> dict[str, str]:
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, name = line.split("|", 1)
        match = MOBILE_KEY.fullmatch(key)
        if match:
            entries[match.group(1)] = name
    return entries


def derive_mobile_regions() -> tuple[str, str]:
    geo = LIB35 / "geocoding"
    zh, en = read_geocoding(geo / "zh" / "86.txt"), read_geocoding(geo / "en" / "86.txt")
    if zh.keys() != en.keys():
        sys.exit("geocoding zh and en files list different mobile prefixes")
    cities = sorted({(zh[p], en[p]) for p in zh})
    city_id = {city: i for i, city in enumerate(cities, start=1)}

    # One slot per 7-digit prefix 1000000..1999999; shorter prefixes first so longer ones override.
    base = 1_000_000
    slots = [0] * base
    for prefix in sorted(zh, key=lambda p: (len(p), p)):
        scale = 10 ** (7 - len(prefix))
        start = int(prefix) * scale - base
        slots[start : start + scale] = [city_id[(zh[prefix], en[prefix])]] * scale

    ranges = []
    i = 0
    while i < base:
        city = slots[i]
        j = i
        while j + 1 < base and slots[j + 1] == city:
            j += 1
        if city:
            ranges.append((str(base + i), str(base + j), str(city)))
        i = j + 1

    attribution = [
        f"# From google/libphonenumber resources/geocoding/{{zh,en}}/86.txt, {LIBPHONENUMBER_VERSION}, "
        f"commit {LIBPHONENUMBER_COMMIT}.",
        "# Copyright (C) 2011 The Libphonenumber Authors. Apache License 2.0, see rules/LICENSE-libphonenumber.txt.",
        "# Derived: ranges merged; not modified otherwise. Generated by scripts/derive_rules.py.",
    ]
    cities_csv = render(attribution, ["id", "region_zh", "region_en"],
                        [(str(city_id[c]), c[0], c[1]) for c in cities])
    regions_csv = render(attribution, ["first", "last", "city"], ranges)
    return cities_csv, regions_csv


# --- helpers --------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    return list(csv.DictReader(lines))


def render(comments: list[str], columns: list[str], rows) -> str:
    out = io.StringIO()
    out.write("\n".join(comments) + "\n")
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        if any(f != f.strip() for f in row):
            sys.exit(f"field with surrounding spaces in row {row}")
        writer.writerow(row)
    return out.getvalue()


def derived() -> dict[Path, bytes]:
    """Every derived file and the bytes it must hold."""
    cities, regions = derive_mobile_regions()
    return {
        RULES / "cn" / "cities.csv": cities.encode(),
        RULES / "cn" / "mobile-regions.csv": regions.encode(),
        RULES / "cn" / "area-codes.csv": derive_area_codes().encode(),
        RULES / "cn" / "mobile-blocks.csv": derive_mobile_blocks().encode(),
        RULES / "LICENSE-libphonenumber.txt": (LIB35 / "LICENSE").read_bytes(),
    }


def main(argv: list[str]) -> None:
    args = argv[1:]
    if args not in ([], ["--check"]):
        sys.exit(__doc__)
    files = derived()
    if args == ["--check"]:
        stale = [p for p, data in files.items() if not p.is_file() or p.read_bytes() != data]
        for path in stale:
            print(f"{path.relative_to(REPO)}: differs from what rules/sources gives", file=sys.stderr)
        if stale:
            print("run `python3 scripts/derive_rules.py`, review the diff and bump rules/VERSION", file=sys.stderr)
            sys.exit(1)
        print(f"derived rules match their sources ({len(files)} files)")
        return
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(REPO)} ({len(data)} bytes)")


if __name__ == "__main__":
    main(sys.argv)
