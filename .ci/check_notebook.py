"""Fail when an executed notebook holds an error output, a Go panic, a
failed shell command, or a display cell that displayed nothing, even if the
kernel did not report the cell as failed.
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
    src = "".join(cell.get("source", ""))
    tags = cell.get("metadata", {}).get("tags", [])
    if "gonbui.Display" in src and "skip-execution" not in tags:
        if not any(o.get("output_type") == "display_data" for o in cell.get("outputs", [])):
            bad.append((i, "calls gonbui.Display* but produced no display output"))
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
