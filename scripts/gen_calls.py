#!/usr/bin/env python3
"""Generate a call-attempt history for a contact file made by gen_contacts.py.

Usage:
  python3 scripts/gen_calls.py --contacts examples/contacts.csv --encoding gb18030 --seed 495 \
      --out examples/calls.csv --stats

Python 3.11+, standard library only, deterministic for given inputs and --seed.

Output: a generic Chinese CRM export, UTF-8 (--out-encoding to change), header
  被叫号码,呼叫时间,呼叫结果,通话时长,备注
(number as dialled, local Asia/Shanghai time YYYY-MM-DD HH:MM:SS, outcome text, talk seconds,
notes), sorted by call time.

What it does:
  * For each customer, dials each of their own numbers (手机, 住宅电话, 单位电话; both numbers of
    a two-number cell; the main number of a cell with an extension) 1-3 times between
    2026-10-01 and 2026-10-31, 08:00-21:30. Cells with no dialable digits (无, masked 138****8000,
    empty) are not dialled. Numbers are written as +8613971234567, 027-87654321 or digits only.
  * Each customer gets one target class, with the shares of the Wuhan case in docs/design.md
    (143/75/116/161 of 495):
        reached     本人接听/已接通/承诺还款/配偶接听 with talk time >= 10 s on at least one number
        powered_off only 关机/停机/欠费停机/暂时无法接通/不在服务区 (plus empty numbers)
        no_answer   best is 无人接听/响铃未接/用户忙/拒接/呼叫转移, or 已接通 with 1-4 s of talk
        empty       only 空号/号码错误/非本人
    Customers whose numbers look invalid before dialling (10-digit mobiles, Wuhan numbers with 7
    local digits, local numbers starting with 1, Excel float damage, placeholders, service
    numbers) are put in the empty class first, and an invalid-looking number always gets
    空号/号码错误 (非本人 for service numbers), so most 空号 results land on them.
    Customers who share a number get the same class, so joining the history on the number
    gives the same tallies as the target classes.
  * Traps: a few attempts at 22:30 or 07:30 (outside the 08:00-22:00 window), one number dialled
    8 times unanswered on one day (the China cap is 6), ~20 rows for numbers not in the contact
    file (orphans), 已接通 with a few seconds of talk (not a reached call).

--stats prints to stderr the customer-level distribution of best outcome classes (computed
back from the written rows by joining them to the contact file on the number) and other tallies.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta

sys.dont_write_bytecode = True  # importing gen_contacts must not leave __pycache__ in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_contacts import AREA_LENGTHS, MOBILE_PREFIXES  # noqa: E402

HEADER = ["被叫号码", "呼叫时间", "呼叫结果", "通话时长", "备注"]
OWN_COLUMNS = ("手机", "住宅电话", "单位电话")
MONTH_START = datetime(2026, 10, 1)
DAYS = 31
WINDOW_START = 8 * 3600
WINDOW_END = 21 * 3600 + 30 * 60

CLASSES = ("reached", "no_answer", "powered_off", "empty")  # best first
# Target shares: the Wuhan case in docs/design.md (495 customers).
TARGET = {"reached": 143, "powered_off": 75, "no_answer": 116, "empty": 161}

REACHED_TEXTS = (("本人接听", 40), ("承诺还款", 25), ("已接通", 25), ("配偶接听", 10))
NOANSWER_TEXTS = (("无人接听", 35), ("响铃未接", 20), ("用户忙", 15), ("拒接", 12), ("呼叫转移", 8),
                  ("已接通", 10))  # 已接通 here has 1-4 s of talk: answered, not reached
OFF_TEXTS = (("关机", 35), ("暂时无法接通", 23), ("不在服务区", 15), ("停机", 15), ("欠费停机", 12))
EMPTY_TEXTS = (("空号", 90), ("号码错误", 10))  # numbers that look invalid before dialling
EMPTY_TEXTS_PLAUSIBLE = (("空号", 50), ("号码错误", 50))
ANSWERED = {"本人接听", "承诺还款", "配偶接听", "已接通", "非本人"}
ALL_TEXTS = REACHED_TEXTS + NOANSWER_TEXTS + OFF_TEXTS + EMPTY_TEXTS + (("非本人", 10),)

NOTES = {
    "本人接听": ("", "", "客户称本月工资未发，月底处理", "客户表示知晓欠款", "客户称资金周转困难, 申请延期"),
    "承诺还款": ("承诺10月25日前还款", "承诺月底前还清", "承诺先还2000元", "承诺下周一还款"),
    "已接通": ("", "", "客户称在开车，稍后回电"),
    "配偶接听": ("配偶代为转告", "配偶称本人外出务工", "配偶接听，称会提醒还款"),
    "非本人": ("接听人称不认识借款人", "号码已换人", "打错了", "第三方接听，称不认识"),
    "空号": ("", "提示音：您拨打的号码是空号", "提示音：空号，请核对后再拨"),
    "号码错误": ("", "提示音：您拨打的号码有误"),
    "关机": ("", "提示音：您拨打的电话已关机"),
    "停机": ("", "提示音：您拨打的电话已停机"),
    "欠费停机": ("", "提示音：已欠费停机"),
    "暂时无法接通": ("", "提示音：暂时无法接通，请稍后再拨"),
    "不在服务区": ("", "提示音：您拨打的用户不在服务区"),
    "呼叫转移": ("", "转秘书台"),
}
SERVICE_NOTES = ("银行客服热线", "企业客服热线", "运营商客服", "接通为企业总机")

PLACEHOLDER_DIGITS = {"13800138000", "13800000000", "13123456789", "12345678901"}
SCI_RE = re.compile(r"^\d[.,]\d+E\+?\d+$", re.IGNORECASE)
SEP_RE = re.compile(r"\s*[/,，、;；]\s*|\s{2,}")
EXT_RE = re.compile(r"(转|分机|ext\.?|x)\s*\d+$", re.IGNORECASE)
FLOAT_RE = re.compile(r"^(\d+)\.0+$")
JUNK_RE = re.compile(r"[\s\-()（）]")


class Num:
    """One number found in a cell."""

    __slots__ = ("key", "kind", "plausible", "area", "local")

    def __init__(self, key: str, kind: str, plausible: bool, area: str = "", local: str = ""):
        self.key = key  # national digits, used to join calls to contacts
        self.kind = kind  # mobile | landline | bare | service | bad
        self.plausible = plausible
        self.area = area
        self.local = local


def parse_number(part: str) -> Num | None:
    """Classify one number as the generator writes them. Not an engine: just enough for joins."""
    t = part.strip()
    if not t or "*" in t:
        return None
    if SCI_RE.match(t):
        return Num(str(int(float(t.replace(",", ".")))), "bad", False)
    t = EXT_RE.sub("", t)
    m = FLOAT_RE.match(t)
    if m:
        t = m.group(1)
    t = JUNK_RE.sub("", t)
    if t.startswith("+86"):
        t = t[3:]
        if t and not t.startswith("0") and not (t[0] == "1" and len(t) == 11):
            t = "0" + t  # +86 27 8765 4321, +86 10 xxxx xxxx: the trunk 0 comes back
    elif t.startswith("86") and len(t) == 13 and t[2] == "1":
        t = t[2:]
    if not t.isdigit():
        return None
    n = len(t)
    if t[0] == "1":
        if n == 11:
            ok = t[:3] in MOBILE_PREFIXES and t not in PLACEHOLDER_DIGITS
            return Num(t, "mobile", ok)
        if n <= 6:  # 10086, 12345
            return Num(t, "service", False)
        return Num(t, "bad", False)
    if t[0] == "0":
        area = t[:3] if t[1] in "12" else t[:4]
        local = t[len(area):]
        want = AREA_LENGTHS.get(area)
        ok = want == len(local) and local[:1] in set("2345678")
        return Num(t, "landline", ok, area, local)
    if t.startswith("400") or t.startswith("95") or t.startswith("96"):
        return Num(t, "service", False)
    if n in (7, 8):
        return Num(t, "bare", n == 8 and t[0] in "2345678")
    return Num(t, "bad", False)


def parse_cell(text: str) -> list[Num]:
    out = []
    for part in SEP_RE.split(text.strip()):
        num = parse_number(part)
        if num is not None:
            out.append(num)
    return out


def dial_form(num: Num, rnd) -> str:
    r = rnd()
    if num.kind == "mobile":
        return num.key if r < 0.65 else "+86" + num.key
    if num.kind == "landline":
        if r < 0.5:
            return f"{num.area}-{num.local}"
        if r < 0.9:
            return num.key
        return "+86" + num.key[1:]
    return num.key


def read_contacts(path: str, encoding: str) -> list[tuple[str, list[Num]]]:
    data = open(path, "rb").read()
    if encoding == "auto":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
    else:
        text = data.decode(encoding)
    rows = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ("客户编号", *OWN_COLUMNS) if c not in (rows.fieldnames or [])]
    if missing:
        sys.exit(f"gen_calls: {path}: missing column(s) {', '.join(missing)}")
    customers = []
    for row in rows:
        nums: dict[str, Num] = {}
        for col in OWN_COLUMNS:
            for num in parse_cell(row[col] or ""):
                nums.setdefault(num.key, num)
        customers.append((row["客户编号"], list(nums.values())))
    return customers


def quotas(n: int) -> dict[str, int]:
    total = sum(TARGET.values())
    raw = {c: TARGET[c] * n / total for c in CLASSES}
    q = {c: int(v) for c, v in raw.items()}
    for c in sorted(CLASSES, key=lambda c: raw[c] - q[c], reverse=True)[: n - sum(q.values())]:
        q[c] += 1
    return q


def assign_classes(customers, rng: random.Random) -> list[str]:
    """One class per customer; customers sharing a number share the class."""
    parent = list(range(len(customers)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, (_, nums) in enumerate(customers):
        for num in nums:
            j = owner.setdefault(num.key, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(customers)):
        groups[find(i)].append(i)
    group_list = list(groups.values())
    q = quotas(len(customers))

    def plausible(i):
        return sum(1 for n in customers[i][1] if n.plausible)

    # Empty class first, taking the groups with the fewest plausible numbers (random within a
    # level); groups with no plausible number at all must go there.
    keyed = sorted(group_list, key=lambda g: (min(plausible(i) for i in g) + rng.random() * 0.9, g[0]))
    cls = [""] * len(customers)
    rest = []
    for g in keyed:
        must = all(plausible(i) == 0 for i in g)
        if must or q["empty"] >= len(g):
            for i in g:
                cls[i] = "empty"
            q["empty"] -= len(g)
        else:
            rest.append(g)
    rest.sort(key=lambda g: g[0])
    rng.shuffle(rest)
    for g in rest:
        fits = [c for c in CLASSES if c != "empty" and q[c] >= len(g)]
        if fits:
            c = rng.choices(fits, weights=[q[c] for c in fits])[0]
        else:
            c = max(CLASSES, key=lambda c: q[c])
        for i in g:
            cls[i] = c
        q[c] -= len(g)
    return cls


def pick(table, rng):
    return rng.choices([t for t, _ in table], weights=[w for _, w in table])[0]


class Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: list[list] = []  # [datetime, number, outcome, talk, note, customer, num]

    def times(self, k: int) -> list[datetime]:
        days = sorted(self.rng.sample(range(DAYS), k))
        return [MONTH_START + timedelta(days=d, seconds=self.rng.randint(WINDOW_START, WINDOW_END))
                for d in days]

    def add(self, when, num, outcome, customer, dialled=None):
        rng = self.rng
        if outcome in ("本人接听", "承诺还款", "配偶接听") or outcome == "已接通+":
            outcome = "已接通" if outcome == "已接通+" else outcome
            talk = int(min(900, 10 + rng.expovariate(1 / 90)))
        elif outcome == "已接通":
            talk = rng.randint(1, 4)
        elif outcome == "非本人":
            talk = rng.randint(5, 60)
        else:
            talk = 0
        if num is not None and num.kind == "service" and outcome == "非本人":
            note = rng.choice(SERVICE_NOTES)
        else:
            note = rng.choice(NOTES.get(outcome, ("",)))
        number = dialled if dialled is not None else dial_form(num, rng.random)
        self.rows.append([when, number, outcome, talk, note, customer, num])

    def number(self, num: Num, fate: str, customer: str):
        rng = self.rng
        if not num.plausible:
            fate = "wrong_party" if num.kind == "service" else "empty"
        k = rng.choice((1, 1, 2, 2, 3))
        times = self.times(k)
        if fate == "reached":
            for t in times[:-1]:
                self.add(t, num, pick(NOANSWER_TEXTS if rng.random() < 0.7 else OFF_TEXTS, rng),
                         customer)
            reached = pick(REACHED_TEXTS, rng)
            self.add(times[-1], num, "已接通+" if reached == "已接通" else reached, customer)
        elif fate == "no_answer":
            for t in times:
                self.add(t, num, pick(NOANSWER_TEXTS, rng), customer)
        elif fate == "powered_off":
            main = pick(OFF_TEXTS, rng)
            for t in times:
                self.add(t, num, main if rng.random() < 0.8 else pick(OFF_TEXTS, rng), customer)
        elif fate == "wrong_party":
            for t in times:
                self.add(t, num, "非本人" if rng.random() < 0.85 else "号码错误", customer)
        else:  # empty
            main = pick(EMPTY_TEXTS if not num.plausible else EMPTY_TEXTS_PLAUSIBLE, rng)
            for t in times:
                self.add(t, num, main, customer)


# Fates of a customer's other plausible numbers, by customer class (never better than the class).
OTHER_FATES = {
    "reached": (("reached", 15), ("no_answer", 40), ("powered_off", 30), ("wrong_party", 10),
                ("empty", 5)),
    "no_answer": (("no_answer", 60), ("powered_off", 30), ("wrong_party", 5), ("empty", 5)),
    "powered_off": (("powered_off", 95), ("empty", 5)),
    "empty": (("wrong_party", 70), ("empty", 30)),
}


def generate(customers, seed: int) -> tuple[list[list], list[str]]:
    rng = random.Random(seed)
    cls = assign_classes(customers, rng)
    w = Writer(rng)
    done: set[str] = set()  # a shared number is dialled once, for the first owner
    for (cid, nums), c in zip(customers, cls):
        todo = [n for n in nums if n.key not in done]
        done.update(n.key for n in todo)
        plaus = [n for n in todo if n.plausible]
        lead = None
        if c != "empty" and plaus:
            mobiles = [n for n in plaus if n.kind == "mobile"]
            lead = mobiles[0] if mobiles and rng.random() < 0.8 else rng.choice(plaus)
        for n in todo:
            if n is lead:
                fate = c
            elif n.plausible:
                fate = pick(OTHER_FATES[c], rng)
            else:
                fate = "empty"
            w.number(n, fate, cid)

    # One number dialled 8 times unanswered on one day (the China cap is 6 per day).
    class_of = {cid: c for (cid, _), c in zip(customers, cls)}
    cands = [r for r in w.rows if class_of.get(r[5]) == "no_answer" and r[6].kind == "mobile"
             and r[6].plausible and r[2] in ("无人接听", "响铃未接")]
    if cands:
        target = rng.choice(cands)
        num, cid = target[6], target[5]
        w.rows = [r for r in w.rows if r[6] is not num]
        day = MONTH_START + timedelta(days=rng.randrange(7, DAYS))
        t = WINDOW_START + 3600
        for _ in range(8):
            w.add(day + timedelta(seconds=t), num, rng.choice(("无人接听", "响铃未接")), cid)
            t += rng.randint(3000, 5400)

    # A handful of attempts outside 08:00-22:00.
    unanswered = [r for r in w.rows if r[3] == 0]
    for i, r in enumerate(rng.sample(unanswered, min(6, len(unanswered)))):
        hm = (22, 30) if i % 2 == 0 else (7, 30)
        r[0] = r[0].replace(hour=hm[0], minute=hm[1], second=rng.randrange(60))

    # Orphans: numbers that are in no contact file column.
    known = {n.key for _, nums in customers for n in nums}
    orphans = 0
    while orphans < 20:
        r = rng.random()
        if r < 0.8:
            key = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
        else:
            key = "027" + str(rng.randint(2, 8)) + f"{rng.randrange(10 ** 7):07d}"
        num = parse_number(key)
        if num.key in known:
            continue
        known.add(num.key)
        when = w.times(1)[0]
        outcome = pick(ALL_TEXTS, rng)
        w.add(when, num, "已接通+" if outcome == "已接通" and rng.random() < 0.5 else outcome, "")
        orphans += 1

    w.rows.sort(key=lambda r: r[0])
    return w.rows, cls


def best_class(outcome: str, talk: int) -> str:
    if outcome in ("本人接听", "承诺还款", "配偶接听", "已接通") and talk >= 10:
        return "reached"
    if outcome in ("无人接听", "响铃未接", "用户忙", "拒接", "呼叫转移", "已接通"):
        return "no_answer"
    if outcome in ("关机", "停机", "欠费停机", "暂时无法接通", "不在服务区"):
        return "powered_off"
    return "empty"


def print_stats(customers, rows, cls, out=sys.stderr):
    p = lambda *a: print(*a, file=out)  # noqa: E731
    rank = {c: i for i, c in enumerate(CLASSES)}
    owners: dict[str, list[str]] = defaultdict(list)
    plaus: dict[str, bool] = {}
    for cid, nums in customers:
        for n in nums:
            owners[n.key].append(cid)
            plaus[n.key] = n.plausible
    best: dict[str, str] = {}
    orphan_rows = 0
    empty_on = Counter()
    per_day = Counter()
    outside = 0
    for when, number, outcome, talk, *_ in rows:
        num = parse_number(number)
        key = num.key if num else number
        if key not in owners:
            orphan_rows += 1
        c = best_class(outcome, talk)
        for cid in owners.get(key, ()):
            if cid not in best or rank[c] < rank[best[cid]]:
                best[cid] = c
        if outcome == "空号" and key in owners:
            empty_on["invalid-looking" if not plaus[key] else "plausible"] += 1
        if outcome not in ANSWERED:
            per_day[(key, when.date())] += 1
        sec = when.hour * 3600 + when.minute * 60 + when.second
        if not (8 * 3600 <= sec < 22 * 3600):
            outside += 1
    n = len(customers)
    dist = Counter(best.get(cid, "not_dialled") for cid, _ in customers)
    target = Counter(cls)
    p(f"customers={n} attempts={len(rows)} orphan_rows={orphan_rows} "
      f"dialled_numbers={len({r[1] for r in rows})}")
    p("best outcome class per customer (history joined on the number):")
    for c in (*CLASSES, "not_dialled"):
        if dist[c] or c != "not_dialled":
            p(f"  {c:<12} {dist[c]:>6}  {100 * dist[c] / max(n, 1):5.1f}%   (target {target[c]})")
    p("attempts by outcome text:")
    for t, k in Counter(r[2] for r in rows).most_common():
        p(f"  {t:<8} {k}")
    p(f"空号 attempts: {empty_on['invalid-looking']} on invalid-looking numbers, "
      f"{empty_on['plausible']} on plausible ones")
    p(f"attempts outside 08:00-22:00: {outside}")
    over = {k: v for k, v in per_day.items() if v > 6}
    p(f"number-days with more than 6 unanswered attempts: {len(over)} "
      + " ".join(f"{k[0]}@{k[1]}x{v}" for k, v in over.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contacts", required=True, help="contact file made by gen_contacts.py")
    ap.add_argument("--encoding", choices=("auto", "utf-8", "gb18030"), default="auto",
                    help="encoding of the contact file (default auto: UTF-8, else GB18030)")
    ap.add_argument("--out-encoding", choices=("utf-8", "gb18030"), default="utf-8",
                    help="encoding of the call history (default utf-8)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-", help="output file, - for standard output (default)")
    ap.add_argument("--crlf", action="store_true", help="end lines with CRLF (default LF)")
    ap.add_argument("--stats", action="store_true", help="print tallies to standard error")
    args = ap.parse_args(argv)

    customers = read_contacts(args.contacts, args.encoding)
    rows, cls = generate(customers, args.seed)
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\r\n" if args.crlf else "\n")
    wr.writerow(HEADER)
    for when, number, outcome, talk, note, *_ in rows:
        wr.writerow([number, when.strftime("%Y-%m-%d %H:%M:%S"), outcome, talk, note])
    data = buf.getvalue().encode(args.out_encoding)
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        with open(args.out, "wb") as f:
            f.write(data)
    if args.stats:
        print_stats(customers, rows, cls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
