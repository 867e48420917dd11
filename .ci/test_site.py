#!/usr/bin/python3
"""Open the built site (build/site) in headless Debian chromium and check it
as a reader would see it offline:

  - every page loads without a console error (no missing script, no
    exception);
  - math is typeset: no raw `$$` is left in the text of a page after MathJax
    ran, and a page whose source has math holds MathJax output;
  - every chart of every interactive figure page is drawn: as many ECharts
    instances as the page initialises, each with drawn canvas pixels or SVG
    paths and text (the figures use ECharts' SVG renderer).

    test_site.py build/site

Chromium runs with a fresh profile, no network services, under a virtual-time
budget. Prints "N passed, N failed" and exits 1 on a failure.
"""

import glob
import os
import re
import subprocess
import sys
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--allow-file-access-from-files",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000"]


def chromium(url, profile):
    r = subprocess.run(["chromium"] + FLAGS + ["--user-data-dir=" + profile, "--dump-dom", url],
                       capture_output=True, text=True, timeout=120)
    errors = [l for l in r.stderr.splitlines()
              if "CONSOLE" in l and re.search(r"Uncaught|Error|Failed to load|ERR_", l)]
    errors += [l for l in r.stderr.splitlines() if "ERR_FILE_NOT_FOUND" in l or "net::ERR" in l]
    return r.stdout, errors


def text_of(dom):
    dom = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S | re.I)
    dom = re.sub(r"<style\b.*?</style>", "", dom, flags=re.S | re.I)
    dom = re.sub(r"<mjx-assistive-mml\b.*?</mjx-assistive-mml>", "", dom, flags=re.S)
    return re.sub(r"<[^>]+>", "", dom)


CANVAS_PROBE = """<!DOCTYPE html><html><body><iframe id="f" width="1400" height="1000" src="%s"></iframe>
<pre id="out">NOT RUN</pre><script>
document.getElementById('f').onload = function () { setTimeout(function () {
  var d = document.getElementById('f').contentDocument, res = [];
  d.querySelectorAll('[_echarts_instance_]').forEach(function (el) {
    var n = 0;
    el.querySelectorAll('canvas').forEach(function (c) {
      var x = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (var i = 3; i < x.length; i += 4) { if (x[i] !== 0) n++; }
    });
    n += 100 * el.querySelectorAll('svg path, svg text').length;
    res.push(n);
  });
  document.getElementById('out').textContent = 'CANVASES ' + JSON.stringify(res);
}, 3000); };
</script></body></html>"""


def main():
    if len(sys.argv) != 2 or not os.path.exists(os.path.join(sys.argv[1], "index.html")):
        print("test_site: usage: test_site.py SITE_DIR (with index.html; run make report)", file=sys.stderr)
        sys.exit(2)
    site = os.path.abspath(sys.argv[1])
    passed, failed = 0, 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL " + what)

    with tempfile.TemporaryDirectory() as tmp:
        profile = os.path.join(tmp, "profile")
        pages = [os.path.join(site, "index.html"), os.path.join(site, "gallery.html")]
        pages += sorted(glob.glob(os.path.join(site, "notebooks", "*.html")))
        for p in pages:
            with open(p, encoding="utf-8") as f:
                src = f.read()
            check("/usr/share" not in src and not re.search(r'<script[^>]*src="(https?:|//)', src),
                  "%s: loads a script from /usr/share or the network" % p)
            dom, errors = chromium("file://" + p, profile)
            check(not errors, "%s: console errors: %s" % (p, errors[:3]))
            check("$$" not in text_of(dom), "%s: raw $$ left after MathJax" % p)
            if re.search(r"\$\$|\\\(|\$[^$\s][^$]*\$", text_of(src)) and "notebooks" in p:
                check("mjx-container" in dom, "%s: has math but no MathJax output" % p)
        charts = sorted(glob.glob(os.path.join(site, "figures", "*.html")))
        check(len(charts) > 0, "no interactive figure page in %s/figures" % site)
        for c in charts:
            probe = os.path.join(tmp, "probe.html")
            with open(probe, "w", encoding="utf-8") as f:
                f.write(CANVAS_PROBE % ("file://" + c))
            dom, errors = chromium("file://" + probe, profile)
            m = re.search(r"CANVASES (\[[0-9,]*\])", dom)
            counts = eval(m.group(1)) if m else None
            with open(c, encoding="utf-8") as f:
                want = f.read().count("echarts.init(")
            check(counts is not None and len(counts) == want > 0 and all(n > 1000 for n in counts),
                  "%s: charts %s (drawn pixels + 100 per SVG path/text), want %d charts all drawn" % (c, counts, want))
            check(not errors, "%s: console errors: %s" % (c, errors[:3]))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
