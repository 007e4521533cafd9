#!/usr/bin/env python3
"""Old build against new build on the parser's work, as a user runs it: one `feedwatch parse`
process over a whole set, CPU seconds (user + system) from the kernel's accounting of the child.
Runs alternate old/new so both see the same machine, and the least CPU of N rounds is kept (CPU
time still grows a little when other jobs share the cores; the minimum is the steadiest figure).

Usage: scripts/compare-parse-cpu.py OLD_FEEDWATCH NEW_FEEDWATCH [ROUNDS, default 7]"""
import glob, os, resource, subprocess, sys

old, new = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)
feeds = sorted(f for ext in ("xml", "rss", "atom", "rdf") for f in glob.glob(f"Tests/Fixtures/realworld/*.{ext}"))
sets = [
    (f"real-world XML feeds ({len(feeds)} files) x10", [], feeds * 10),
    ("extraction pages (62, --format html) x5", ["--format", "html"], sorted(glob.glob("Tests/Fixtures/extraction/html/*.html")) * 5),
    ("plain-text articles x20", [], (sorted(glob.glob("Tests/Fixtures/text/editorial/*.txt")) + sorted(glob.glob("seeds/*.txt"))) * 20),
]

def cpu(binary, args, files):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([binary, "parse", *args, *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

worst = 0.0
for label, args, files in sets:
    a, b = [], []
    for _ in range(rounds):
        a.append(cpu(old, args, files))
        b.append(cpu(new, args, files))
    ratio = min(b) / min(a)
    worst = max(worst, ratio)
    print(f"{label:<44} old {min(a):6.3f} s  new {min(b):6.3f} s  new/old {ratio:.3f}  (least CPU of {rounds})")
print(f"slowest set: new/old {worst:.3f}")
