"""Known vulnerabilities in narrascope's pinned dependencies, checked with pip-audit.

    python bench/audit_deps.py                      # the pins in pyproject.toml
    python bench/audit_deps.py --installed .venv    # and everything installed in that environment
    python bench/audit_deps.py --strict             # an unreachable vulnerability source fails too

1. Every dependency in pyproject.toml (main and extras) must be pinned with
   ``==``; an unpinned one is a finding.
2. pip-audit runs on the pins (``-r``, ``--no-deps``: the pins are the whole
   list) and, with ``--installed``, on the site-packages of that environment
   (every transitive dependency at the version installed). pip-audit is taken
   from ``--pip-audit``, else from PATH, else installed (``PIP_AUDIT_PIN``) into
   a throwaway virtualenv under the temporary directory: it is a tool, not a
   dependency of narrascope.
3. The vulnerability source (``--service``: the PyPI JSON API or OSV) must
   answer for at least one package. When it cannot be reached, or answers
   for none of them (a registry mirror without the per-version JSON API
   reports every package as "not found"), the audit is SKIPPED with the
   reason: exit 0, or 2 with ``--strict``.

Exit status: 0 clean (or skipped), 1 findings (listed), 2 skipped under ``--strict``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIP_AUDIT_PIN = "pip-audit==2.10.1"
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;,]+)\s*(;.*)?$")


def pins(pyproject: Path) -> tuple[list[str], list[str]]:
    """(pinned requirement lines, requirements that are not pinned with ==) from pyproject.toml."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    reqs = list(project.get("dependencies") or [])
    for extra in (project.get("optional-dependencies") or {}).values():
        reqs += list(extra)
    pinned, loose = [], []
    for r in reqs:
        m = PIN.match(r)
        (pinned if m else loose).append(f"{m.group(1)}=={m.group(3)}" if m else r)
    return pinned, loose


def find_pip_audit(given: str | None, workdir: str) -> tuple[list[str] | None, str]:
    """The pip-audit command, or None with the reason it could not be had."""
    if given:
        return [given], f"pip-audit from {given}"
    on_path = shutil.which("pip-audit")
    if on_path:
        return [on_path], f"pip-audit from {on_path}"
    env = os.path.join(workdir, "audit-venv")
    venv.create(env, with_pip=True)
    py = os.path.join(env, "bin", "python")
    done = subprocess.run([py, "-m", "pip", "install", "-q", PIP_AUDIT_PIN], capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return None, f"pip-audit could not be installed ({PIP_AUDIT_PIN}): {tail[0]}"
    return [py, "-m", "pip_audit"], f"{PIP_AUDIT_PIN} in a throwaway virtualenv"


def run_audit(cmd: list[str], args: list[str], workdir: str, name: str) -> tuple[dict | None, str]:
    """pip-audit's JSON report, or None with its last error line."""
    out = os.path.join(workdir, f"{name}.json")
    done = subprocess.run(cmd + args + ["-f", "json", "-o", out, "--progress-spinner", "off"],
                          capture_output=True, text=True, timeout=1800)
    if os.path.exists(out) and os.path.getsize(out):
        return json.loads(Path(out).read_text()), ""
    lines = [x for x in (done.stderr or done.stdout).strip().splitlines() if x.strip()]
    return None, lines[-1] if lines else f"pip-audit exited {done.returncode} with no report"


def summarise(report: dict) -> dict:
    deps = report.get("dependencies") or []
    audited = [d for d in deps if "skip_reason" not in d]
    return {"packages": len(deps), "audited": len(audited),
            "skipped": [(d["name"], d["skip_reason"]) for d in deps if "skip_reason" in d],
            "vulnerable": [(d["name"], d["version"], v) for d in audited for v in d.get("vulns") or []]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pyproject", default=str(ROOT / "pyproject.toml"))
    ap.add_argument("--installed", metavar="VENV", help="also audit this environment's site-packages")
    ap.add_argument("--pip-audit", help="the pip-audit executable to use")
    ap.add_argument("--service", choices=("pypi", "osv"), default="pypi", help="pip-audit's vulnerability source")
    ap.add_argument("--strict", action="store_true", help="exit 2 when the vulnerability source cannot be reached")
    args = ap.parse_args(argv)

    pinned, loose = pins(Path(args.pyproject))
    findings = [f"not pinned with ==: {r}" for r in loose]
    print(f"{len(pinned)} pinned requirements in {args.pyproject}" + (f", {len(loose)} not pinned" if loose else ""))
    with tempfile.TemporaryDirectory(prefix="audit_deps_") as work:
        cmd, how = find_pip_audit(args.pip_audit, work)
        if cmd is None:
            return _skip(how, findings, args.strict)
        print(f"using {how}, vulnerability source: {args.service}")
        reqs = os.path.join(work, "requirements.txt")
        Path(reqs).write_text("\n".join(pinned) + "\n")
        runs = [("pins", ["-r", reqs, "--no-deps", "--disable-pip", "-s", args.service])]
        if args.installed:
            site = sorted(Path(args.installed).glob("lib/python3*/site-packages"))
            if not site:
                print(f"error: no lib/python3*/site-packages under {args.installed}", file=sys.stderr)
                return 1
            runs.append(("installed", ["--path", str(site[0]), "-s", args.service]))
        unreachable = []
        for name, extra in runs:
            report, error = run_audit(cmd, extra, work, name)
            if report is None:
                unreachable.append(f"{name}: pip-audit failed: {error}")
                continue
            s = summarise(report)
            print(f"{name}: {s['packages']} packages, {s['audited']} audited, {len(s['skipped'])} not audited, "
                  f"{len(s['vulnerable'])} known vulnerabilities")
            for pkg, version, v in s["vulnerable"]:
                fixed = ", ".join(v.get("fix_versions") or []) or "no fixed version listed"
                findings.append(f"{pkg} {version}: {v.get('id')} {' '.join(v.get('aliases') or [])} (fixed in: {fixed})")
            if s["audited"] == 0 and s["packages"]:
                unreachable.append(f"{name}: the source answered for none of {s['packages']} packages "
                                   f"(first: {s['skipped'][0][1]})")
            elif s["skipped"]:
                print(f"  not audited: {', '.join(n for n, _ in s['skipped'])}")
    for f in findings:
        print(f"FINDING {f}")
    if findings:
        for u in unreachable:
            print(f"NOT AUDITED {u}")
        return 1
    if unreachable:
        return _skip("; ".join(unreachable), [], args.strict)
    print("no known vulnerabilities")
    return 0


def _skip(reason: str, findings: list[str], strict: bool) -> int:
    for f in findings:
        print(f"FINDING {f}")
    print(f"SKIPPED: the vulnerability audit could not run here: {reason}")
    return 1 if findings else (2 if strict else 0)


if __name__ == "__main__":
    sys.exit(main())
