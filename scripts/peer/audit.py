#!/usr/bin/env python3
"""The audit a data engineer would write first: Python's csv module and the `phonenumbers`
package (the Python port of libphonenumber), one output. scripts/bench.sh times it against
`contact-audit audit` on the same file; it is the peer in BENCHMARKS.md, not part of the tool.

Usage: python audit.py CONTACTS.csv OUT.csv

For every cell of every phone column (a header naming 电话, 手机 or phone), it splits
two-number cells on , / ; and whitespace, parses each part as a Chinese number, and writes
line, column, raw, E.164 (when parsed) and whether libphonenumber calls it valid.
"""
import csv
import re
import sys

import phonenumbers

SPLIT = re.compile(r"[,/;，；、\s]+")


def phone_columns(header):
    return [i for i, h in enumerate(header) if "电话" in h or "手机" in h or "phone" in h.lower()]


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8-sig", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as g:
        rows = csv.reader(f)
        out = csv.writer(g)
        header = next(rows)
        cols = phone_columns(header)
        out.writerow(["line", "column", "raw", "e164", "valid"])
        for line, row in enumerate(rows, start=2):
            for c in cols:
                cell = row[c] if c < len(row) else ""
                for raw in filter(None, SPLIT.split(cell)):
                    try:
                        n = phonenumbers.parse(raw, "CN")
                        e164 = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
                        valid = phonenumbers.is_valid_number(n)
                    except phonenumbers.NumberParseException:
                        e164, valid = "", False
                    out.writerow([line, header[c], raw, e164, valid])


if __name__ == "__main__":
    main()
