#!/usr/bin/env python3
"""Writes Tests/Fixtures/idna/hosts.json: host names and what Python's `idna` package makes of them.

Each entry is {"host": ..., "ascii": ...}: `ascii` is `idna.encode(host, uts46=True)` (UTS #46
non-transitional mapping, no STD3 rules, then IDNA2008 label checks) decoded as ASCII, or null
when that call raises. IDNATests (Tests/FeedParserTests/IDNATests.swift) requires
`IDNAHost.ascii` (libidn2) to agree on every entry.

    python3 -m venv .venv-idna && .venv-idna/bin/pip install 'idna>=3.7,<4'
    .venv-idna/bin/python scripts/gen-idna-fixture.py     # or python3 if idna 3.x is installed

The output is committed; rerun only when the host list changes. The file records the idna
version and the Unicode version of its tables.
"""

import json
import pathlib
import sys
import unicodedata

import idna

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "idna" / "hosts.json"


def label(n, ch="a"):
    return ch * n


HOSTS = [
    # --- Pure ASCII: IDNAHost passes these through, URLNormalizer lowercases them. ---
    "example.com",
    "EXAMPLE.COM",
    "www.Example.org",
    "a.b.c.d.e.example",
    "localhost",
    "123.example",
    "1.2.3.4",
    "-leading.example",
    "trailing-.example",
    "ab--cd.example",
    "a-b-c.example",
    "foo_bar.example",
    "_dmarc.example.com",
    "example.com.",
    "example..com",
    ".example.com",
    "xn--bcher-kva.de",
    "XN--BCHER-KVA.DE",
    "xn--mnchen-3ya.example",
    "xn--r8jz45g.xn--zckzah",
    "xn--zzzzzz.example",
    "xn--.example",
    "xn--a.example",
    "xn--bcher-kva-.de",
    "xn--ls8h.la",
    label(63) + ".example",
    label(64) + ".example",
    # --- Full-width letters and digits (U+FF01..U+FF5E map to ASCII). ---
    "ＢＵＣＨＥＲ.de",
    "ｂｕｃｈｅｒ.ｄｅ",
    "ｅｘａｍｐｌｅ．ｃｏｍ",
    "ＷＷＷ．ＥＸＡＭＰＬＥ．ＣＯＭ",
    "ｂüｃｈｅｒ.de",
    "ＢÜＣＨＥＲ.ＤＥ",
    "１２３.jp",
    "ｗｗｗ.例え.jp",
    "Ｅｘａｍｐｌｅ。ｊｐ",
    "ｆｏｏ＿ｂａｒ.de",
    "ｆｏｏ－ｂａｒ.de",
    "－ｆｏｏ.de",
    "ｆｏｏ！.de",
    "ｆｏｏ ｂａｒ.de",
    # --- Ideographic, full-width and halfwidth full stops. ---
    "bücher。de",
    "bücher．de",
    "bücher｡de",
    "www。bücher。de",
    "例え。テスト",
    "例え．テスト",
    "例え｡テスト",
    "example。com",
    "bücher.de。",
    "bücher。de。",
    "bücher。。de",
    "。bücher.de",
    "。",
    "bücher．．de",
    # --- Latin with diacritics, upper case. ---
    "bücher.de",
    "BÜCHER.DE",
    "Bücher.De",
    "münchen.example",
    "MÜNCHEN.EXAMPLE",
    "www.müller.de",
    "café.fr",
    "CAFÉ.FR",
    "façade.fr",
    "élève.fr",
    "ñandú.es",
    "españa.es",
    "åland.fi",
    "øresund.dk",
    "łódź.pl",
    "žluťoučký.cz",
    "ışık.tr",
    "İstanbul.tr",
    "ǅemal.ba",
    "ǆ.ba",
    "ĳssel.nl",
    "ŉ.example",
    "þorn.is",
    "ð.is",
    "æble.dk",
    "œuvre.fr",
    "vi\u0323\u0302t.vn",
    "việt.vn",
    "bu\u0308cher.de",
    "a\u0338ü.de",
    # --- German sharp s and Greek final sigma (non-transitional keeps them). ---
    "straße.de",
    "STRASSE.de",
    "faß.de",
    "fass.de",
    "ßß.de",
    "weiß.example",
    "ς.gr",
    "σ.gr",
    "Σ.gr",
    "βόλος.com",
    "ΒΌΛΟΣ.COM",
    "ΣΑΣ.gr",
    "σας.gr",
    "ςσ.gr",
    # --- Greek. ---
    "παράδειγμα.δοκιμή",
    "ΠΑΡΆΔΕΙΓΜΑ.ΔΟΚΙΜΉ",
    "ελλάδα.gr",
    "αθήνα.ελ",
    "\u0375α.gr",
    "a\u0375.gr",
    # --- Cyrillic and Latin+Cyrillic mixes. ---
    "пример.испытание",
    "президент.рф",
    "ПРЕЗИДЕНТ.РФ",
    "москва.рф",
    "yandex.рф",
    "pаypal.com",
    "аpple.com",
    "exаmple.рф",
    "україна.укр",
    "бг.bg",
    "срб.срб",
    # --- Arabic (RTL). ---
    "مثال.إختبار",
    "مثال.com",
    "موقع.وزارة-الاتصالات.مصر",
    "امارات.امارات",
    "السعودية.السعودية",
    "مثال1.com",
    "1مثال.com",
    "مثالa.com",
    "\u0660\u0661\u0662.com",
    "مثال\u0660\u0661.com",
    "مثال\u06f0\u06f1.com",
    "مثال\u0660\u06f1.com",
    "ایران.ایران",
    "پاکستان.pk",
    # --- Hebrew (RTL) and Hebrew mixed with Latin. ---
    "בדיקה.טעסט",
    "מוסד.ישראל",
    "a.מוסד",
    "מוסד.com",
    "מוסדa.com",
    "aמוסד.com",
    "מוסד1.com",
    "1מוסד.com",
    "\u05d0\u05f3.il",
    "ab\u05f3.il",
    "\u05d0\u05b4\u05d1.il",
    # Right-to-left labels and RFC 5893 rules 3 and 4 (libidn2 2.3 misses these two; IDNAHost adds them).
    "\u05d1-\u0301.il",
    "\u05d1\u0301.il",
    "\u05d0\u02c6\u0301.il",
    "\u05d0\u0660\u0031.il",
    "\u05d0\u0660\u0661.il",
    "\u05d0\u0031\u0032.il",
    "\u0627-\u0627\u0039\u0660.com",
    "\u0628\u06f1\u0661.com",
    "\u0628\u06f1\u06f2.com",
    "\u0628-\u0628.com",
    "\u0628-\u064b.com",
    "\u0628\u064b.com",
    "\u2135.com",
    "\u2135\u2136.com",
    "\ufeeb\ufeec.com",
    "\U0001ee01\U0001ee02.com",
    "\u0780\u0781.mv",
    "\u0710\u0712.sy",
    # --- CJK, Japanese kana, Korean. ---
    "例え.テスト",
    "中国.中国",
    "中國.中國",
    "公司.cn",
    "网络.中国",
    "日本語.jp",
    "ＪＰＮＩＣ.日本",
    "ドメイン名例.jp",
    "ひらがな.jp",
    "カタカナ.jp",
    "ｶﾀｶﾅ.jp",
    "ア\u30fbイ.jp",
    "a\u30fbb.jp",
    "\u30fb.jp",
    "한국.kr",
    "도메인.한국",
    "\u1112\u1161\u11ab.kr",
    "㍿.jp",
    "㌀.jp",
    "香港.香港",
    "台灣.台灣",
    # --- Devanagari and other Indic scripts, joiners. ---
    "उदाहरण.परीक्षा",
    "भारत.भारत",
    "नमस्ते.भारत",
    "क्\u200dष.भारत",
    "क\u200dष.भारत",
    "क्\u200cष.भारत",
    "क\u200cष.भारत",
    "இந்தியா.இந்தியா",
    "বাংলা.বাংলা",
    "ভারত.ভারত",
    "ਭਾਰਤ.ਭਾਰਤ",
    "ભારત.ભારત",
    "ලංකා.ලංකා",
    # --- Thai, other Asian and African scripts. ---
    "ตัวอย่าง.ไทย",
    "ไทย.ไทย",
    "ສປປລາວ.la",
    "ខ្មែរ.kh",
    "မြန်မာ.mm",
    "ኢትዮጵያ.et",
    "ქართული.გე",
    "հայ.am",
    "ᏣᎳᎩ.example",
    "монгол.мон",
    # --- Emoji and symbols (IDNA2008 disallows them; Python raises). ---
    "😀.com",
    "i❤.ws",
    "💩.la",
    "☃.net",
    "ü☃.de",
    "♥.example",
    "example.😀",
    "€.de",
    "ü\u2260.de",
    "ü\u226e.de",
    "ü\uff1c\u0338.de",
    "ü\u2488com",
    "\u2488com",
    "ü\u2024de",
    "ü\ufe52de",
    # --- Compatibility mappings. ---
    "ⅷ.de",
    "Ⅰ.de",
    "①.de",
    "ﬀ.de",
    "ﬁle.de",
    "\u2126.de",
    "\u03a9.de",
    "\u212b.de",
    "\u00b5.de",
    "ͅ.gr",
    "㎞.jp",
    # --- Ignored and invisible code points. ---
    "ü\u00ad.de",
    "bü\u00adcher.de",
    "ü\u200b.de",
    "ü\ufeff.de",
    "ü\u200d.de",
    "ü\u200c.de",
    "a\u200cb.ü",
    "ü\u00a0.de",
    "ü de",
    "\u0301a.de",
    "ü.\u0301a",
    "l\u00b7l.cat",
    "ü.l\u00b7l",
    "ü.a\u00b7b",
    "\u00b7l.cat",
    # --- Invalid labels around a non-ASCII label. ---
    "-bücher.de",
    "bücher-.de",
    "bücher.-de",
    "bücher.de-",
    "bü--cher.de",
    "ab--ü.de",
    "ü.ab--cd.de",
    "ü.a-b.de",
    "bücher..de",
    ".bücher.de",
    "bücher.de.",
    "bücher.de..",
    "ü.",
    "ü..",
    "ü" + label(58) + ".de",
    "ü" + label(57) + ".de",
    "ü." + label(63) + ".de",
    "ü." + label(64) + ".de",
    "ü." + ".".join([label(60)] * 4),
    "ü." + ".".join([label(61)] * 4),
    "ü." + ".".join([label(61)] * 4) + ".",
    ".".join([label(63)] * 3) + ".ü" + label(52),
    ".".join([label(63)] * 3) + ".ü" + label(53),
    "例" * 20 + ".jp",
    "例" * 30 + ".jp",
    # --- Already-punycode labels next to Unicode ones. ---
    "xn--bcher-kva.dé",
    "XN--BCHER-KVA.dé",
    "Xn--Bcher-Kva.dé",
    "ü.xn--tda.de",
    "ü.xn--4dbrk0ce",
    "ü.xn--zzzzzz.de",
    "ü.xn--.de",
    "ü.xn--a.de",
    "ü.xn--a-.de",
    "ü.xn--bcher-kva-.de",
    "ü.xn--ls8h.de",
    "ü.xn--u-ccb.de",
    "ü.xn--ab--cd-.de",
    "ü.xn--d-toa.de",
    "ü.xn--zca.de",
    "ü.xn--ss-.de",
    "ü.xn--55qx5d.cn",
    "ü.xn--0.de",
    "ü.xn--9-.de",
    "ü.xn--99999999.de",
    "ü.xn--bcher-kva.xn--bcher-kva.de",
    # --- Digits. ---
    "123.ü",
    "ü123.de",
    "1ü.de",
    "2024.bücher.de",
    "１２３ü.de",
    "٣.com",
    "ü.٣",
    # --- Underscores. ---
    "_dmarc.bücher.de",
    "foo_bar.bücher.de",
    "bü_cher.de",
    "ü_.de",
    "ü＿.de",
    "_ü.de",
    # --- ASCII punctuation that a host cannot carry. ---
    "ü!.de",
    "ü%.de",
    "ü@x.de",
    "ü:80",
    "ü/x",
    "ü=.de",
    "ü+x.de",
]


# Left out on purpose: libidn2 2.3.3 and idna 3.x use different Unicode versions here, so the two
# cannot agree. libidn2 2.3.3's IDNA tables are Unicode 12 (characters added in 13.0 and later
# are "unassigned" to it); idna's are Unicode 17, its NFC and bidi data (Python's unicodedata)
# Unicode 14. Python's results for these, checked when this script runs:
EXCLUDED = {
    # UTS #46 15.1 maps capital sharp s to ß (before: "ss"); libidn2 still gives "ss.de".
    "ẞ.de": "xn--zca.de",
    "groẞ.de": "xn--gro-7ka.de",
    # U+A7C7 (Unicode 13.0) maps to U+A7C8; libidn2: IDN2_UNASSIGNED.
    "\ua7c7.de": "xn--t78a.de",
    # U+0D04 MALAYALAM LETTER VEDIC ANUSVARA (13.0); libidn2: IDN2_UNASSIGNED.
    "\u0d15\u0d04.in": "xn--tvc7a.in",
    # U+1AC1 (14.0, a combining mark); libidn2: IDN2_UNASSIGNED.
    "ü\u1ac1.de": "xn--tda803k.de",
}


def expected(host):
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return None


def readable(host):
    """False when the host holds invisible or combining code points: that line is written with
    \\u escapes so a reader sees what is there."""
    return not any(unicodedata.category(c)[0] in "CZM" for c in host)


def main():
    for host, ascii in EXCLUDED.items():
        if host in HOSTS:
            sys.exit(f"{host!r} is excluded but listed")
        if expected(host) != ascii:
            sys.exit(f"excluded {host!r}: idna now gives {expected(host)!r}, not {ascii!r}; recheck")
    seen = set()
    entries = []
    for host in HOSTS:
        if host in seen:
            sys.exit(f"duplicate host {host!r}")
        seen.add(host)
        entries.append({"host": host, "ascii": expected(host)})
    head = {
        "generator": "scripts/gen-idna-fixture.py",
        "call": "idna.encode(host, uts46=True)",
        "idna": idna.__version__,
        "idna_unicode": idna.idnadata.__version__,
        "python_unicodedata": unicodedata.unidata_version,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        # One host per line, so that a diff of the file reads as a diff of the list.
        f.write("{\n")
        for key, value in head.items():
            f.write(f" {json.dumps(key)}: {json.dumps(value)},\n")
        f.write(' "hosts": [\n')
        f.write(",\n".join("  " + json.dumps(e, ensure_ascii=not readable(e["host"])) for e in entries))
        f.write("\n ]\n}\n")
    print(f"{len(entries)} hosts → {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
