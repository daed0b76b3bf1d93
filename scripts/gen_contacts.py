#!/usr/bin/env python3
"""Generate a synthetic contact file shaped like a Chinese loan centre's export.

Usage:
  python3 scripts/gen_contacts.py --rows 495 --seed 495 --encoding gb18030 --crlf --out examples/contacts.csv
  python3 scripts/gen_contacts.py --rows 1000000 --out target/bench/contacts-1m.csv

Python 3.11+, standard library only. The output depends only on the options: the same
--rows/--seed/--encoding/--crlf give byte-identical files.

Columns (Chinese header):
  客户编号,姓名,手机,住宅电话,单位电话,配偶电话,紧急联系人,紧急联系人电话

What the phone cells hold (shares of non-empty cells, roughly; see COLUMN_KINDS):
  * ~69% clean mobiles from allocated blocks (130-139, 150-153, 155-159, 166, 170x-173,
    175-178, 180-189, 190-193, 195-199); of those ~5% written with dashes or spaces, ~3% with a
    +86 / 86 prefix, ~2% with a ".0" float suffix.
  * ~21% landlines: mostly Wuhan 027 + 8 digits (first digit 2-8), other cities with their own
    local lengths, ~4% Wuhan with only 7 local digits, ~1% Wuhan local numbers starting with 1,
    ~8% bare local numbers without an area code.
  * the rest: 10-digit mobiles (~3%), Excel float damage 1.38001E+10 (~1%), masked 138****8000
    (~1%), placeholders 无/暂无/13800138000/empty (~1%), service numbers 95588/400-xxx-xxxx (~1%),
    two numbers in one cell (~2%), landlines with an extension 027-87654321转8001 (~1%).
  * 住宅电话/单位电话 ~15% empty, 配偶电话 ~40% empty; ~2% of 紧急联系人电话 repeat the customer's
    own mobile; ~1% of customers share their mobile with an earlier customer.

174 is left out of the clean blocks: only its 1740x-17412 and 1749 sub-blocks are allocated
(satellite), so a random 174 number would be unallocated (rules/cn/mobile-blocks.csv).

Fields are CSV-quoted only when they need it (a two-number cell separated by an ASCII comma).
Speed: rows are built in chunks from precomputed tables and written with one join per chunk;
1M rows (about 85 MB) take about 10 s, 10M rows about 2 minutes.
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import accumulate

HEADER = ["客户编号", "姓名", "手机", "住宅电话", "单位电话", "配偶电话", "紧急联系人", "紧急联系人电话"]

# Allocated 3-digit mobile blocks with rough weights (older blocks hold more subscribers).
# "170" stands for 1700-1709, every one of which is allocated.
MOBILE_PREFIX_WEIGHTS: dict[str, int] = {
    **{f"13{d}": 6 for d in range(10)},
    **{f"15{d}": 4 for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)},
    "166": 2,
    **{f"17{d}": 2 for d in (0, 1, 2, 3, 5, 6, 7, 8)},
    **{f"18{d}": 6 for d in range(10)},
    **{f"19{d}": 2 for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)},
}
MOBILE_PREFIXES = tuple(MOBILE_PREFIX_WEIGHTS)

# Area code -> local-number length, for the cities this generator uses (rules/cn/area-codes.csv).
AREA_LENGTHS: dict[str, int] = {
    "027": 8,  # Wuhan
    "010": 8, "020": 8, "021": 8, "025": 8, "028": 8, "0755": 8, "0731": 8, "0571": 8,
    "0710": 7, "0712": 7, "0713": 7, "0716": 7, "0717": 7, "0592": 7,
}
# Other cities (not Wuhan) with weights: Hubei neighbours first, then big cities.
OTHER_AREAS = [("0710", 3), ("0712", 3), ("0713", 2), ("0716", 2), ("0717", 2), ("010", 2),
               ("020", 2), ("021", 2), ("025", 1), ("028", 1), ("0755", 2), ("0731", 2),
               ("0571", 1), ("0592", 1)]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "诸葛", "司马", "上官")
# Given-name characters; a few outside GB2312 but inside GBK/GB18030 (堃, 喆, 珺, 昇) and one
# four-byte GB18030 character (䶮, U+4DAE, CJK Extension A) so the decoder is exercised.
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯俊峰琳晨欣怡婷雪梅"
    "丹波亮林慧佳蕾倩颖飞鑫宁博志勤思源晓东海燕春秋月新荣德福永贵安康乐子轩梓涵雨萱一诺浩然若汐"
    "家豪振宏德胜金龙小红小明跃进卫东"
)
RARE_GIVEN = "堃喆珺昇䶮"
RELATIONS = ("父亲", "母亲", "哥哥", "姐姐", "弟弟", "妹妹", "同事", "朋友", "儿子", "女儿")

PLACEHOLDERS = ("无", "暂无", "13800138000", "", "-", "不详")
PLACEHOLDER_WEIGHTS = (30, 25, 20, 15, 5, 5)
SERVICE_FIXED = ("95588", "95533", "95555", "95599", "10086", "10010", "12345")
TWO_SEPARATORS = ("/", "/", "/", "/", "/", ",", "，", "、", ";", "  ")

# Per phone column: (kind, percent of all cells). Kinds:
#   empty, m (mobile, with format variants), l (landline, with variants), m10 (10-digit mobile),
#   sci (Excel scientific notation), mask, ph (placeholder), svc (service number), two (two numbers),
#   ext (landline + extension), shared (an earlier customer's mobile), self (this customer's mobile).
RARE = [("m10", 3.0), ("sci", 1.0), ("mask", 1.0), ("ph", 1.0), ("svc", 1.0), ("two", 2.0), ("ext", 1.0)]


def _column(empty: float, mobile: float, landline: float, extra=(), rare=RARE):
    rows = [("m", mobile), ("l", landline), *extra, *rare]
    total = sum(w for _, w in rows)
    scale = (100.0 - empty) / total
    out = [(k, w * scale) for k, w in rows]
    if empty:
        out.append(("empty", empty))
    return out


COLUMN_KINDS = {
    "手机": _column(0, 86, 2, extra=[("shared", 1.0)],
                  rare=[(k, 0.3 if k == "ext" else w) for k, w in RARE]),
    "住宅电话": _column(15, 45, 45),
    "单位电话": _column(15, 35, 55),
    "配偶电话": _column(40, 88, 2),
    "紧急联系人电话": _column(3, 86, 2, extra=[("self", 2.0)]),
}

CHUNK = 20_000


class Gen:
    """Cell generators sharing one seeded random source."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rnd = rng.random
        self.prefix_cw = list(accumulate(MOBILE_PREFIX_WEIGHTS.values()))
        self.area_codes = [a for a, _ in OTHER_AREAS]
        self.area_cw = list(accumulate(w for _, w in OTHER_AREAS))
        self.recent_mobiles: list[str] = []
        # A name pool: choosing from it is much faster than composing every name.
        pool = []
        for _ in range(8192):
            r = self.rnd()
            sur = rng.choice(COMPOUND_SURNAMES) if r < 0.01 else rng.choice(SURNAMES)
            g1 = rng.choice(RARE_GIVEN) if self.rnd() < 0.03 else rng.choice(GIVEN)
            if self.rnd() < 0.7:
                given = g1 + rng.choice(GIVEN)
            else:
                given = g1
            pool.append(sur + given)
        self.names = pool

    # --- numbers ---------------------------------------------------------------------------
    def mobile_digits(self) -> str:
        rnd = self.rnd
        p = self.rng.choices(MOBILE_PREFIXES, cum_weights=self.prefix_cw)[0]
        return f"{p}{int(rnd() * 100_000_000):08d}"

    def local(self, n: int) -> str:
        """A subscriber number of n digits, first digit 2-8."""
        rnd = self.rnd
        return f"{2 + int(rnd() * 7)}{int(rnd() * 10 ** (n - 1)):0{n - 1}d}"

    def mobile_cell(self, m: str | None = None) -> str:
        rnd = self.rnd
        if m is None:
            m = self.mobile_digits()
        r = rnd()
        if r < 0.90:
            return m
        if r < 0.95:  # dashes or spaces
            s = rnd()
            if s < 0.4:
                return f"{m[:3]}-{m[3:7]}-{m[7:]}"
            if s < 0.8:
                return f"{m[:3]} {m[3:7]} {m[7:]}"
            return f"{m[:3]}-{m[3:]}"
        if r < 0.98:  # country code
            s = rnd()
            if s < 0.5:
                return "+86" + m
            if s < 0.75:
                return "86" + m
            if s < 0.9:
                return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
            return "+86-" + m
        return m + ".0"

    def format_landline(self, area: str, local: str) -> str:
        r = self.rnd()
        if r < 0.70:
            return f"{area}-{local}"
        if r < 0.82:
            return area + local
        if r < 0.90:
            return f"({area}){local}"
        if r < 0.95:
            return f"{area} {local}"
        if r < 0.98:
            return f"（{area}）{local}"
        return f"{area}-{local[:4]} {local[4:]}"

    def wuhan(self) -> str:
        return self.format_landline("027", self.local(8))

    def landline_cell(self) -> str:
        r = self.rnd()
        if r < 0.75:
            return self.wuhan()
        if r < 0.87:
            area = self.rng.choices(self.area_codes, cum_weights=self.area_cw)[0]
            return self.format_landline(area, self.local(AREA_LENGTHS[area]))
        if r < 0.91:  # Wuhan with a 7-digit local number (Wuhan uses 8)
            return self.format_landline("027", self.local(7))
        if r < 0.92:  # Wuhan local number starting with 1: not a subscriber number
            return self.format_landline("027", "1" + self.local(8)[1:])
        # bare local number, no area code
        return self.local(8) if self.rnd() < 0.9 else self.local(7)

    def cell(self, kind: str, own_mobile_cell: str = "") -> str:
        rnd = self.rnd
        if kind == "m":
            return self.mobile_cell()
        if kind == "l":
            return self.landline_cell()
        if kind == "empty":
            return ""
        if kind == "m10":
            m = self.mobile_digits()
            i = 3 + int(rnd() * 8)
            return m[:i] + m[i + 1:]
        if kind == "sci":
            mant, exp = ("%.5E" % int(self.mobile_digits())).split("E")
            mant = mant.rstrip("0").rstrip(".")
            return f"{mant}E{exp}"
        if kind == "mask":
            m = self.mobile_digits()
            return m[:3] + "****" + m[7:]
        if kind == "ph":
            return self.rng.choices(PLACEHOLDERS, weights=PLACEHOLDER_WEIGHTS)[0]
        if kind == "svc":
            r = rnd()
            if r < 0.6:
                return self.rng.choice(SERVICE_FIXED)
            if r < 0.85:
                return f"400-{int(rnd() * 1000):03d}-{int(rnd() * 10000):04d}"
            return f"400{int(rnd() * 10_000_000):07d}"
        if kind == "two":
            first = self.mobile_digits()
            second = self.wuhan() if rnd() < 0.6 else self.mobile_digits()
            sep = self.rng.choice(TWO_SEPARATORS)
            text = f"{first}{sep}{second}"
            return f'"{text}"' if "," in text else text
        if kind == "ext":
            mark = "转" if rnd() < 0.8 else "分机"
            ext = int(rnd() * 9000) + 1000 if rnd() < 0.7 else int(rnd() * 900) + 100
            return f"027-{self.local(8)}{mark}{ext}"
        if kind == "shared":
            if self.recent_mobiles:
                return self.rng.choice(self.recent_mobiles)
            return self.mobile_cell()
        if kind == "self":
            return own_mobile_cell if own_mobile_cell else self.mobile_cell()
        raise ValueError(kind)


def generate(rows: int, seed: int, newline: str):
    """Yield the file as text chunks (header first)."""
    rng = random.Random(seed)
    gen = Gen(rng)
    rnd = rng.random
    yield ",".join(HEADER) + newline

    # Unique, increasing customer ids (a real export is sorted by id).
    next_id = 100_000 + int(rnd() * 900_000)
    max_step = max(1, min(39, 2 * (95_000_000 // max(rows, 1)) - 1))
    steps = range(1, max_step + 1)

    tables = {col: ([k for k, _ in kinds], list(accumulate(w for _, w in kinds)))
              for col, kinds in COLUMN_KINDS.items()}
    names = gen.names
    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        kinds = {col: rng.choices(ks, cum_weights=cw, k=n) for col, (ks, cw) in tables.items()}
        k_mob, k_home, k_work = kinds["手机"], kinds["住宅电话"], kinds["单位电话"]
        k_sp, k_em = kinds["配偶电话"], kinds["紧急联系人电话"]
        cust_names = rng.choices(names, k=n)
        contact_names = rng.choices(names, k=n)
        id_steps = rng.choices(steps, k=n) if max_step > 1 else [1] * n
        cell = gen.cell
        recent = gen.recent_mobiles
        out = []
        append = out.append
        for i in range(n):
            kind = k_mob[i]
            if kind == "m":
                m = gen.mobile_digits()
                mob = gen.mobile_cell(m)
                if len(recent) < 5000:
                    recent.append(m)
                else:
                    recent[int(rnd() * 5000)] = m
            else:
                mob = cell(kind)
            em_kind = k_em[i]
            em = cell(em_kind, mob if kind in ("m", "shared") else "")
            if em_kind == "empty" and rnd() < 0.8:
                cname = ""
            else:
                cname = contact_names[i]
                if rnd() < 0.15:
                    rel = RELATIONS[int(rnd() * len(RELATIONS))]
                    cname = f"{cname}({rel})" if rnd() < 0.5 else f"{cname}（{rel}）"
            append(f"KH{next_id:08d},{cust_names[i]},{mob},{cell(k_home[i])},{cell(k_work[i])},"
                   f"{cell(k_sp[i])},{cname},{em}")
            next_id += id_steps[i]
        out.append("")
        yield newline.join(out)
        done += n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True, help="number of customers (data rows)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--encoding", choices=("utf-8", "gb18030"), default="utf-8")
    ap.add_argument("--out", default="-", help="output file, - for standard output (default)")
    ap.add_argument("--crlf", action="store_true", help="end lines with CRLF (default LF)")
    args = ap.parse_args(argv)
    if args.rows < 0:
        ap.error("--rows must be >= 0")
    newline = "\r\n" if args.crlf else "\n"
    chunks = generate(args.rows, args.seed, newline)
    if args.out == "-":
        out = sys.stdout.buffer
        for c in chunks:
            out.write(c.encode(args.encoding))
        out.flush()
    else:
        with open(args.out, "w", encoding=args.encoding, newline="") as f:
            for c in chunks:
                f.write(c)
    return 0


if __name__ == "__main__":
    sys.exit(main())
