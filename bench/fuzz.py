"""The long fuzz run: the properties of tests/test_fuzz.py with many more examples, and a report.

    .venv/bin/python bench/fuzz.py                 # 2,000 examples per property
    .venv/bin/python bench/fuzz.py --examples 10000

Each property runs with random (not derandomised) inputs; the report gives the
number of inputs tried per property, the time, and every failure pytest saw
(hypothesis prints the smallest failing input for each).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=2000, help="examples per property")
    ap.add_argument("-k", default=None, help="only the properties matching this pytest expression")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "tried.json"
        env = dict(os.environ, NARRASCOPE_FUZZ_EXAMPLES=str(args.examples), NARRASCOPE_FUZZ_REPORT=str(report))
        cmd = [sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-q", "-p", "no:cacheprovider", "--show-capture=no"]
        if args.k:
            cmd += ["-k", args.k]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        tried = json.loads(report.read_text()) if report.exists() else {}
    total = sum(tried.values())
    print(f"fuzz: {total:,} inputs in {seconds:.0f} s ({args.examples:,} examples per property)")
    for name, n in sorted(tried.items()):
        print(f"  {n:>9,}  {name}")
    failures = [line for line in proc.stdout.splitlines() if line.startswith("FAILED")]
    print(f"failures: {len(failures)}")
    if proc.returncode != 0:
        print(proc.stdout[-20000:])
        print(proc.stderr[-5000:], file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
