#!/usr/bin/env python3
"""Generate a large generic call-attempt log for benchmarks (deterministic, stdlib only).

Usage: scripts/gen_attempts.py --rows N [--numbers M] [--seed S] --out PATH

Writes `被叫号码,呼叫时间,呼叫结果,通话时长,备注` rows: M distinct mobiles dialled in October 2026,
outcomes drawn from the Chinese CRM vocabulary, numbers written in three spellings.
"""
import argparse
import random

OUTCOMES = ["已接通", "无人接听", "响铃未接", "关机", "停机", "暂时无法接通", "空号", "用户忙", "拒接", "呼叫转移", "非本人"]
WEIGHTS = [12, 25, 8, 12, 5, 8, 8, 8, 5, 4, 5]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--numbers", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    prefixes = ["139", "138", "186", "159", "177", "133", "150", "188", "199"]
    numbers = [f"{rng.choice(prefixes)}{rng.randrange(10**8):08d}" for _ in range(a.numbers)]
    spell = [lambda n: n, lambda n: "+86" + n, lambda n: f"{n[:3]}-{n[3:7]}-{n[7:]}"]
    outcomes = rng.choices(OUTCOMES, WEIGHTS, k=4096)
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("被叫号码,呼叫时间,呼叫结果,通话时长,备注\n")
        chunk = []
        for i in range(a.rows):
            n = numbers[rng.randrange(a.numbers)]
            o = outcomes[i % 4096]
            talk = rng.randrange(5, 300) if o == "已接通" else 0
            day = 1 + (i * 7) % 31
            sec = rng.randrange(8 * 3600, 22 * 3600)
            chunk.append(f"{spell[i % 3](n)},2026-10-{day:02d} {sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d},{o},{talk},\n")
            if len(chunk) == 100_000:
                f.write("".join(chunk))
                chunk.clear()
        f.write("".join(chunk))


if __name__ == "__main__":
    main()
