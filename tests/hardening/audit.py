"""`make audit` (run by `make test`): pip-audit over requirements-dev.lock (the runtime lock is a
subset), summarised.

Fails on any known vulnerability in a pinned package. A package the vulnerability service could
not be asked about (PyPI's per-version JSON API unreachable, as on a machine that reaches only a
package mirror) is listed as unaudited: a warning, or an error with AUDIT_STRICT=1.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "audit.json"
        done = subprocess.run(
            [str(BIN / "pip-audit"), "--requirement", str(ROOT / "requirements-dev.lock")]
            + ["--require-hashes", "--disable-pip", "--progress-spinner", "off"]
            + ["--format", "json", "--output", str(report), "--timeout", "20"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if not report.exists():
            print(done.stdout + done.stderr)
            print("pip-audit: no report written")
            return 1
        dependencies = json.loads(report.read_text())["dependencies"]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    unaudited = [d for d in dependencies if "skip_reason" in d]
    audited = len(dependencies) - len(unaudited)
    for d in vulnerable:
        for v in d["vulns"]:
            fixed = ", ".join(v.get("fix_versions", [])) or "no fixed version yet"
            print(f"VULNERABLE {d['name']} {d['version']}: {v['id']} (fixed in {fixed})")
    print(
        f"pip-audit: {len(dependencies)} pinned packages, {audited} audited, "
        f"{len(vulnerable)} with known vulnerabilities, {len(unaudited)} could not be audited."
    )
    if unaudited:
        print(
            "pip-audit: the vulnerability service did not answer for: "
            + ", ".join(d["name"] for d in unaudited[:8])
            + (" ..." if len(unaudited) > 8 else "")
            + " (AUDIT_STRICT=1 makes this an error)."
        )
    if vulnerable:
        return 1
    if unaudited and os.environ.get("AUDIT_STRICT") == "1":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
