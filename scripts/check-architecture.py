#!/usr/bin/env python3
"""Checks the layering in docs/ARCHITECTURE.md ("Which target may import which") against
Package.swift's declared dependencies (`swift package dump-package`) and every `import` in Sources/.
Exit 1 with one line per violation."""
import json, os, re, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
doc = open(os.path.join(root, "docs/ARCHITECTURE.md"), encoding="utf-8").read()
table = doc.split("<!-- imports:begin -->")[1].split("<!-- imports:end -->")[0]
allowed = {}
for row in table.strip().splitlines()[2:]:
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    allowed[cells[0]] = {m.strip() for m in cells[1].split(",") if m.strip()}

SYSTEM = {"Foundation", "FoundationEssentials", "FoundationXML", "Glibc", "Dispatch", "Synchronization", "FoundationNetworking"}
PARSER = {"ParserSupport", "HTMLToText", "FeedFormats", "PlainText", "PageExtraction", "FeedParser", "FeedModel"}
problems = []

package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                    capture_output=True, text=True).stdout)
for target in package["targets"]:
    name, kind = target["name"], target["type"]
    if kind not in ("regular", "executable"):
        continue
    if name not in allowed:
        problems.append(f"Package.swift: target {name} is missing from the table in docs/ARCHITECTURE.md")
        continue
    for dep in target.get("dependencies", []):
        dep_name = (dep.get("byName") or dep.get("target") or dep.get("product"))[0]
        if dep_name not in allowed[name]:
            problems.append(f"Package.swift: {name} depends on {dep_name}, which docs/ARCHITECTURE.md does not allow")

import_line = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+)?(?:public\s+|package\s+|internal\s+)?import\s+(?:struct\s+|enum\s+|class\s+|func\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)
for name, mods in allowed.items():
    folder = os.path.join(root, "Sources", name)
    for dirpath, _, files in os.walk(folder):
        for f in files:
            if not f.endswith(".swift"):
                continue
            path = os.path.join(dirpath, f)
            text = open(path, encoding="utf-8").read()
            for lineno, line in enumerate(text.splitlines(), 1):
                m = import_line.match(line)
                if not m:
                    continue
                mod = m.group(1)
                rel = os.path.relpath(path, root)
                if name in PARSER and mod == "FoundationNetworking":
                    problems.append(f"{rel}:{lineno}: the parser does no I/O; it may not import {mod}")
                elif mod not in SYSTEM and mod not in mods:
                    problems.append(f"{rel}:{lineno}: {name} may not import {mod} (docs/ARCHITECTURE.md)")

for p in problems:
    print(p)
print(f"architecture: {len(allowed)} targets checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
