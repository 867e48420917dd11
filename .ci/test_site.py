#!/usr/bin/python3
"""Open the built site (build/site) in headless Debian chromium and check it
as a reader would see it offline:

  - every page loads without a console error (no missing script, no
    exception);
  - math is typeset everywhere: no raw `$$`, `$...$` or `\\(...\\)` is left
    in the rendered text of any page (code and program output excepted), and
    a page whose source has math holds MathJax output;
  - our stylesheet (assets/site.css) is linked from every page and applied:
    the prose of each page is set at a readable measure (computed max-width
    of a paragraph between 30 and 100 characters' worth of pixels);
  - one label per link target: on a page, no two links with the same label
    go to different places (a picture's label is its alt text);
  - every picture of the front page and the gallery is a link to a full-size
    image file of the site, and every built figure has one in the gallery;
  - every notebook page has a contents box whose entries go to its sections;
  - the front page opens with the key results: every cell of every README
    generated block (<!-- begin ... --> ... <!-- end ... -->) is in its text,
    before the list of notebooks;
  - every chart of every interactive figure page is drawn: as many ECharts
    instances as the page initialises, each with drawn canvas pixels or SVG
    paths and text (the figures use ECharts' SVG renderer).

Each page is also screenshot (1280 px wide) into site-shots/ beside the
site (build/site-shots/), so that a reviewer can look without a browser.

    test_site.py build/site [--readme README.md]

Chromium runs with a fresh profile, no network services, under a virtual-time
budget. Prints "N passed, N failed" and exits 1 on a failure. Runs on
Debian's /usr/bin/python3 with the standard library only.
"""

import glob
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from html.parser import HTMLParser

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


class Page(HTMLParser):
    """What the checks need from a page: its prose text (outside script,
    style, pre, code, textarea and MathJax's assistive copy), its links
    (href, class, label: text plus the alt of pictures inside), its pictures
    (src, the href of the enclosing link or None), its ids, its stylesheets
    and the hrefs of its contents box."""

    SKIP = {"script", "style", "pre", "code", "textarea", "mjx-assistive-mml"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.links, self.imgs, self.ids, self.css, self.toc = [], [], [], [], set(), [], []
        self.a = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "link" and "stylesheet" in (a.get("rel") or ""):
            self.css.append(a.get("href", ""))
        if tag == "a":
            self.a = [a.get("href"), a.get("class") or "", ""]
            if any(t == "nav" and "toc" in (c or "") for t, c in self.stack):
                self.toc.append(a.get("href"))
        if tag == "img":
            self.imgs.append((a.get("src", ""), self.a[0] if self.a else None))
            if self.a:
                self.a[2] += " " + (a.get("alt") or "")
        if tag not in self.VOID:
            self.stack.append((tag, a.get("class")))

    def handle_endtag(self, tag):
        if tag == "a" and self.a:
            self.links.append((self.a[0], self.a[1], " ".join(self.a[2].split())))
            self.a = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.a is not None:
            self.a[2] += data
        if not any(t in self.SKIP for t, _ in self.stack):
            self.text.append(data)

    def prose(self):
        return " ".join("".join(self.text).split())


def parse(src):
    p = Page()
    p.feed(src)
    p.close()
    return p


# Raw TeX left in rendered text: $$, a $...$ pair around a formula, \( or \).
RAW_TEX = re.compile(r"\$\$|\$[^$\s][^$]{0,200}?[^$\s]\$|\$[^$\s]\$|\\\(|\\\)")


def readme_cells(readme):
    """Per generated block of README.md, its name and the text of every table
    cell, as it reads once rendered (no Markdown emphasis, code or escapes)."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    out = []
    for m in re.finditer(r"^<!-- begin (.+?) -->\n(.*?)^<!-- end ", text, re.S | re.M):
        cells = []
        for line in m.group(2).splitlines():
            if not line.startswith("|") or re.match(r"^\|[-:| ]+\|$", line):
                continue
            for c in line.strip().strip("|").split("|"):
                c = html.unescape(re.sub(r"[*`]", "", c))
                c = " ".join(c.split())
                if c:
                    cells.append(c)
        out.append((m.group(1).split(" (")[0], cells))
    return out


STYLE_PROBE = """<!DOCTYPE html><html><body><iframe id="f" width="1280" height="900" src="%s"></iframe>
<pre id="out">NOT RUN</pre><script>
document.getElementById('f').onload = function () { setTimeout(function () {
  var d = document.getElementById('f').contentDocument, w = d.defaultView;
  var p = d.querySelector('main p, .jp-RenderedMarkdown p'), r = {sheet: false};
  for (var i = 0; i < d.styleSheets.length; i++) {
    if ((d.styleSheets[i].href || '').endsWith('/assets/site.css') && d.styleSheets[i].cssRules.length > 10) { r.sheet = true; }
  }
  if (p) { var cs = w.getComputedStyle(p); r.maxWidth = parseFloat(cs.maxWidth); r.fontSize = parseFloat(cs.fontSize); }
  document.getElementById('out').textContent = 'STYLE ' + JSON.stringify(r);
}, 1000); };
</script></body></html>"""


def screenshot(url, path, profile):
    r = subprocess.run(["chromium"] + FLAGS + ["--user-data-dir=" + profile, "--window-size=1280,2400",
                                               "--hide-scrollbars", "--screenshot=" + path, url],
                       capture_output=True, text=True, timeout=120)
    return os.path.exists(path) and os.path.getsize(path) > 10000


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
    args = sys.argv[1:]
    readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")
    if len(args) == 3 and args[1] == "--readme":
        readme, args = args[2], args[:1]
    if len(args) != 1 or not os.path.exists(os.path.join(args[0], "index.html")):
        print("test_site: usage: test_site.py SITE_DIR [--readme README.md] (with index.html; run make report)",
              file=sys.stderr)
        sys.exit(2)
    site = os.path.abspath(args[0])
    shots = os.path.join(os.path.dirname(site), "site-shots")
    shutil.rmtree(shots, ignore_errors=True)
    os.makedirs(shots)
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
        pages = [os.path.join(site, "index.html"), os.path.join(site, "gallery.html"), os.path.join(site, "claims.html")]
        pages += sorted(glob.glob(os.path.join(site, "notebooks", "*.html")))
        doms = {}
        for p in pages:
            rel = os.path.relpath(p, site)
            with open(p, encoding="utf-8") as f:
                src = f.read()
            check("/usr/share" not in src and not re.search(r'<script[^>]*src="(https?:|//)', src),
                  "%s: loads a script from /usr/share or the network" % rel)
            dom, errors = chromium("file://" + p, profile)
            check(not errors, "%s: console errors: %s" % (rel, errors[:3]))
            page = parse(dom)
            doms[rel] = (dom, page)
            raw = RAW_TEX.findall(page.prose())
            check(not raw, "%s: raw TeX left after MathJax: %s" % (rel, raw[:3]))
            if re.search(r"\$\$|\\\(|\$[^$\s][^$]*\$", text_of(src)):
                check("mjx-container" in dom, "%s: has math but no MathJax output" % rel)

            # One label per target (nbconvert's pilcrow anchors excepted).
            targets = {}
            for href, cls, label in page.links:
                if "anchor-link" not in cls and href:
                    targets.setdefault(label, set()).add(href)
            dup = {l: sorted(h) for l, h in targets.items() if len(h) > 1}
            check(not dup, "%s: one label for several targets: %s" % (rel, list(dup.items())[:3]))

            # Our stylesheet, linked and applied.
            sheets = [urllib.parse.urljoin("file://" + p, h) for h in page.css]
            check("file://" + os.path.join(site, "assets", "site.css") in sheets,
                  "%s: does not link assets/site.css (links %s)" % (rel, page.css))
            probe = os.path.join(tmp, "style.html")
            with open(probe, "w", encoding="utf-8") as f:
                f.write(STYLE_PROBE % ("file://" + p))
            pdom, _ = chromium("file://" + probe, profile)
            m = re.search(r"STYLE (\{.*?\})", pdom)
            st = json.loads(html.unescape(m.group(1))) if m else {}
            ok = st.get("sheet") and st.get("maxWidth") and 30 <= st["maxWidth"] / (st["fontSize"] / 2) <= 100
            check(bool(ok), "%s: stylesheet not applied or prose not at a readable measure: %s" % (rel, st or pdom[-200:]))

            name = rel[:-len(".html")].replace(os.sep, "-")
            check(screenshot("file://" + p, os.path.join(shots, name + ".png"), profile),
                  "%s: no screenshot written to %s" % (rel, shots))

        # Pictures on the front page and the gallery link to a full-size image.
        for rel in ("index.html", "gallery.html"):
            for img, href in doms[rel][1].imgs:
                target = os.path.normpath(os.path.join(site, urllib.parse.unquote(href or "")))
                check(href is not None and os.path.isfile(target) and
                      os.path.splitext(target)[1] in (".png", ".svg", ".jpg") and
                      os.path.basename(target) == os.path.basename(img),
                      "%s: picture %s is not a link to its full-size image (href %s)" % (rel, img, href))
        shown = {os.path.basename(i) for i, _ in doms["gallery.html"][1].imgs}
        for sc in glob.glob(os.path.join(site, "figures", "*.json")):
            with open(sc, encoding="utf-8") as f:
                d = json.load(f)
            if d.get("kind") == "figure":
                check(d["id"] + ".png" in shown, "gallery.html: no picture of %s" % d["id"])

        # A contents box on every notebook page, going to its sections.
        for rel, (dom, page) in doms.items():
            if rel.startswith("notebooks" + os.sep):
                check(len(page.toc) >= 1 and all(h and h.startswith("#") and h[1:] in page.ids for h in page.toc),
                      "%s: contents box missing or pointing elsewhere: %s" % (rel, page.toc[:5]))

        # The front page opens with README's generated result blocks.
        front = doms["index.html"][1].prose()
        blocks = readme_cells(readme)
        check(len(blocks) >= 2, "%s: fewer than two generated result blocks" % readme)
        notebooks_at = front.find("Notebooks")
        for name, cells in blocks:
            missing = [c for c in cells if c not in front]
            check(cells and not missing, "index.html: README block %s: cells missing: %s" % (name, missing[:4]))
            at = front.find(cells[0]) if cells else -1
            check(0 <= at < notebooks_at, "index.html: README block %s is not before the notebooks" % name)

        # The interactive figures: the HTML pages that have a sidecar
        # (figures/claims.html, the ledger, is a page of text).
        charts = sorted(c for c in glob.glob(os.path.join(site, "figures", "*.html"))
                        if os.path.exists(c[:-len(".html")] + ".json") and not c.endswith(os.sep + "claims.html"))
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
    print("%d passed, %d failed; screenshots in %s" % (passed, failed, shots))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
