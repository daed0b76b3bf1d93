#!/usr/bin/env python3
"""Writes contacts.xls, the Excel 97-2003 (BIFF8, OLE) fixture of tests/integration/xlsx_in.rs.

Made with xlwt 1.3.0 (BSD licence; `pip install xlwt==1.3.0`), which writes the same bytes
on every run: `python3 make_xls.py` in this folder. xlwt stores numbers as BIFF NUMBER
records (IEEE doubles), as Excel does: 13971234567 is the float 13971234567.0 and the
landline 2787654321 has lost its 0, exactly as in a numeric Excel column.
"""
import xlwt

book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("客户")
rows = [
    ["XX银行逾期客户名单 2026-11"],
    [],
    ["Loan No", "姓名", "手机", "住宅电话"],
    ["L001", "张三", 13971234567.0, 2787654321.0],
    ["L002", "李四", "1.38001E+10", "027-87654321"],
]
for r, row in enumerate(rows):
    for c, value in enumerate(row):
        sheet.write(r, c, value)
book.save("contacts.xls")
