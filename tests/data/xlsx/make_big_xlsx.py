#!/usr/bin/env python3
"""Writes a large .xlsx for the memory measurement of Excel input (README "Excel input"):
`python3 make_big_xlsx.py OUT.xlsx ROWS`. One sheet, a header (客户编号, 手机, 住宅电话,
紧急联系人电话) and ROWS rows: an inline-string id, a mobile and a landline stored as numbers
(the landline without its 0), and a mobile as an inline string. Standard library only; the
sheet XML is written as it is made, so any size can be generated. Not used by the tests.
"""
import zipfile, sys
n = int(sys.argv[2]); path = sys.argv[1]; sst = len(sys.argv) > 3
ct = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'''
rels = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'''
wb = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'''
wbrels = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'''
with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', ct); z.writestr('_rels/.rels', rels)
    z.writestr('xl/workbook.xml', wb); z.writestr('xl/_rels/workbook.xml.rels', wbrels)
    with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D%d"/><sheetData>' % (n+1))
        f.write('<row r="1"><c r="A1" t="inlineStr"><is><t>客户编号</t></is></c><c r="B1" t="inlineStr"><is><t>手机</t></is></c><c r="C1" t="inlineStr"><is><t>住宅电话</t></is></c><c r="D1" t="inlineStr"><is><t>紧急联系人电话</t></is></c></row>'.encode())
        buf = []
        for i in range(n):
            r = i + 2
            m = 13900000000 + (i * 7919) % 99999999
            l = 2780000000 + i % 9999999
            c = 18600000000 + (i * 104729) % 99999999
            buf.append('<row r="%d"><c r="A%d" t="inlineStr"><is><t>K%07d</t></is></c><c r="B%d"><v>%d</v></c><c r="C%d"><v>%d</v></c><c r="D%d" t="inlineStr"><is><t>%d</t></is></c></row>' % (r, r, i, r, m, r, l, r, c))
            if len(buf) >= 10000:
                f.write(''.join(buf).encode()); buf = []
        f.write(''.join(buf).encode())
        f.write(b'</sheetData></worksheet>')
