"""Fail when an executed notebook holds an error output, a Go panic, or a
failed shell command, even if the kernel did not report the cell as failed.
Usage: check_notebook.py EXECUTED.ipynb"""
import json
import sys

path = sys.argv[1]
with open(path) as f:
    nb = json.load(f)
bad = []
for i, cell in enumerate(nb.get("cells", [])):
    if cell.get("cell_type") != "code":
        continue
    for out in cell.get("outputs", []):
        text = "".join(out.get("text", "")) if isinstance(out.get("text"), list) else out.get("text", "")
        if out.get("output_type") == "error":
            bad.append((i, out.get("ename", "") + ": " + out.get("evalue", "")))
        elif out.get("name") == "stderr" and ("panic:" in text or "exit status" in text):
            bad.append((i, text[-2000:]))
if bad:
    for i, msg in bad:
        print(f"{path}: cell {i}: {msg}", file=sys.stderr)
    sys.exit(1)
