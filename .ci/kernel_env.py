"""Give installed GoNB kernels the PATH that make used, so the kernel finds
go, goimports and gopls however Jupyter is started. Usage: kernel_env.py KERNEL_JSON..."""
import json
import os
import sys
import tempfile

for path in sys.argv[1:]:
    if not os.path.exists(path):
        continue
    with open(path) as f:
        spec = json.load(f)
    spec.setdefault("env", {})["PATH"] = os.environ["PATH"]
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as f:
        json.dump(spec, f, indent=1, sort_keys=True)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
