"""Compile every notebook cell tagged skip-execution (widget cells that a
headless run cannot execute), so that they cannot rot unnoticed.

For each such cell a Go program is assembled the way GoNB assembles it: the
imports and declarations of every earlier code cell, plus the cell's own, with
its `%%` body as main(). goimports drops unused imports (as GoNB does), then
`go vet` type-checks it inside this module. Usage: compile_skipped_cells.py OUTDIR NOTEBOOK...
"""
import json
import os
import re
import subprocess
import sys

IMPORT_BLOCK = re.compile(r"^import \((.*?)^\)", re.S | re.M)
IMPORT_LINE = re.compile(r'^import ("[^"]+")\s*$', re.M)


def split(src):
    """Return (imports, declarations, main body) of a GoNB cell."""
    lines = [l for l in src.splitlines() if not l.startswith(("!", "%goworkfix", "%env", "%cd"))]
    src = "\n".join(lines)
    imports = []
    for m in IMPORT_BLOCK.finditer(src):
        imports += [l.strip() for l in m.group(1).splitlines() if l.strip()]
    imports += IMPORT_LINE.findall(src)
    src = IMPORT_LINE.sub("", IMPORT_BLOCK.sub("", src))
    decl, sep, body = src.partition("\n%%")
    if not sep and src.startswith("%%"):
        decl, body = "", src[2:]
    return imports, decl, body


def main():
    outdir, notebooks = sys.argv[1], sys.argv[2:]
    failed = 0
    for path in notebooks:
        with open(path) as f:
            nb = json.load(f)
        imports, decls = [], []
        for i, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") != "code":
                continue
            imp, decl, body = split("".join(cell.get("source", "")))
            imports += imp
            decls.append(decl)
            if "skip-execution" not in cell.get("metadata", {}).get("tags", []):
                continue
            name = os.path.splitext(os.path.basename(path))[0].replace("-", "_")
            d = os.path.join(outdir, f"{name}_cell{i}")
            os.makedirs(d, exist_ok=True)
            uniq = sorted(set(imports))
            prog = "package main\n\nimport (\n" + "\n".join(uniq) + "\n)\n\n" + "\n".join(decls)
            prog += "\n\nfunc main() {\n" + body + "\n}\n"
            main_go = os.path.join(d, "main.go")
            with open(main_go, "w") as f:
                f.write(prog)
            for cmd in (["goimports", "-w", main_go], ["go", "vet", "./" + os.path.relpath(d)]):
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"{path}: skip-execution cell {i} does not compile:\n{r.stdout}{r.stderr}", file=sys.stderr)
                    failed += 1
                    break
            else:
                print(f"notebooks: {path} cell {i} (skip-execution) compiles")
    sys.exit(1 if failed else 0)


main()
