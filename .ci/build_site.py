#!/usr/bin/python3
"""Build the offline site of the companion: build/site/.

    build_site.py --notebooks build/notebooks --figures figures \
                  --mathjax node_modules/mathjax/es5 --out build/site

Writes index.html (table of contents), one HTML page per executed notebook
(every *.ipynb in --notebooks, in name order, with previous/next links), a
gallery of every artifact of figures/INDEX.md's registry (thumbnail, caption,
what it reproduces, links to each file), and copies figures/ and MathJax (from
npm, pinned in package-lock.json) into the site. Nothing is loaded from the
network or from /usr/share: the site works from file:// and any static host.
Exit 1 with one line on bad input.
"""

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys

MATHJAX_CONFIG = """<script>
window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
        processEscapes: true, processEnvironments: true},
  options: {ignoreHtmlClass: 'tex2jax_ignore', processHtmlClass: 'tex2jax_process'}
};
</script>
<script src="%s"></script>"""

STYLE = """<style>
body { font-family: "Liberation Sans", Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
nav.tokendyn { font-family: "Liberation Sans", Arial, sans-serif; padding: .6em 1em; background: #f3f3f3;
  border-bottom: 1px solid #ccc; display: flex; justify-content: space-between; }
nav.tokendyn a { margin-right: 1em; }
.card { border: 1px solid #ddd; border-radius: 4px; padding: 1em; margin: 1em 0; display: flex; gap: 1em; }
.card img { max-width: 360px; height: auto; border: 1px solid #eee; }
.card .files a { margin-right: .6em; }
</style>"""


def fail(msg):
    print("build_site: " + msg, file=sys.stderr)
    sys.exit(1)


def title_of(nb_path):
    """The first Markdown heading of a notebook, or its file name."""
    with open(nb_path, encoding="utf-8") as f:
        nb = json.load(f)
    for c in nb.get("cells", []):
        if c.get("cell_type") == "markdown":
            for line in "".join(c.get("source", "")).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return os.path.splitext(os.path.basename(nb_path))[0]


def fix_head(page, mathjax_src):
    """Replace nbconvert's MathJax 2 block and its require.js tag (both from
    /usr/share) with MathJax 3 from the site; drop any other external script."""
    page, n = re.subn(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->",
                      lambda m: MATHJAX_CONFIG % mathjax_src, page, flags=re.S)
    if n == 0:
        page = page.replace("</head>", MATHJAX_CONFIG % mathjax_src + "\n</head>", 1)
    page = re.sub(r'<script[^>]*src="(file:|https?:)[^"]*"[^>]*>\s*</script>', "", page)
    return page


def nav(prev, nxt, up="../index.html", gallery="../gallery.html"):
    parts = ['<nav class="tokendyn"><span>', '<a href="%s">contents</a>' % up, '<a href="%s">gallery</a>' % gallery]
    parts.append("</span><span>")
    if prev:
        parts.append('<a href="%s">&larr; %s</a>' % (html.escape(prev[0]), html.escape(prev[1])))
    if nxt:
        parts.append('<a href="%s">%s &rarr;</a>' % (html.escape(nxt[0]), html.escape(nxt[1])))
    parts.append("</span></nav>")
    return "".join(parts)


def export_notebooks(nb_dir, out, jupyter_env):
    nbs = sorted(f for f in os.listdir(nb_dir) if f.endswith(".ipynb"))
    if not nbs:
        fail("no executed notebook in %s (run make notebooks)" % nb_dir)
    os.makedirs(os.path.join(out, "notebooks"), exist_ok=True)
    pages = []
    for f in nbs:
        stem = f[:-len(".ipynb")]
        pages.append(("notebooks/%s.html" % stem, title_of(os.path.join(nb_dir, f)), os.path.join(nb_dir, f)))
    for i, (rel, title, src) in enumerate(pages):
        dst = os.path.join(out, rel)
        r = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", "--output-dir",
                            os.path.dirname(dst), "--output", os.path.basename(dst)[:-5], src],
                           env=jupyter_env, capture_output=True, text=True)
        if r.returncode != 0:
            fail("nbconvert %s: %s" % (src, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"))
        with open(dst, encoding="utf-8") as fh:
            page = fh.read()
        page = fix_head(page, "../assets/mathjax/tex-mml-chtml.js")
        # The notebooks' own link line points at the .ipynb files and at
        # notebooks/README.md; on the site those are the pages and the contents.
        page = re.sub(r'href="(\d\d-[A-Za-z0-9-]+)\.ipynb"', r'href="\1.html"', page)
        page = page.replace('href="README.md"', 'href="../index.html"')
        prev = ("../" + pages[i - 1][0], pages[i - 1][1]) if i > 0 else None
        nxt = ("../" + pages[i + 1][0], pages[i + 1][1]) if i + 1 < len(pages) else None
        bar = nav(prev, nxt)
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + bar, page, count=1)
        page = page.replace("</body>", bar + "</body>", 1)
        with open(dst, "w", encoding="utf-8") as fh:
            fh.write(page)
    return pages


def artifacts(fig_dir):
    """Every artifact of INDEX.md's table, in registry order, with its sidecar
    when built: (id, reproduces, scale, sidecar or None)."""
    idx = os.path.join(fig_dir, "INDEX.md")
    if not os.path.exists(idx):
        fail("%s is missing (run make figures)" % idx)
    out = []
    with open(idx, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\| `([a-z0-9-]+)` \| (.*?) \| (.*?) \| ", line)
            if not m:
                continue
            sc_path = os.path.join(fig_dir, m.group(1) + ".json")
            sc = None
            if os.path.exists(sc_path):
                with open(sc_path, encoding="utf-8") as s:
                    sc = json.load(s)
            out.append((m.group(1), m.group(2).replace("\\|", "|"), m.group(3).replace("\\|", "|"), sc))
    if not out:
        fail("%s lists no artifact" % idx)
    return out


def gallery(arts, out):
    body = ['<h1>Gallery: every figure and table</h1>',
            '<p>Each artifact as <code>tokendyn figures</code> wrote it into <code>figures/</code>. '
            'Interactive pages (HTML) load ECharts from <code>figures/assets/</code>.</p>']
    for aid, ref, scale, sc in arts:
        body.append('<div class="card" id="%s">' % aid)
        files = sc["files"] + [aid + ".json"] if sc else []
        pngs = [f for f in files if f.endswith(".png")]
        if pngs:
            body.append('<a href="figures/%s"><img src="figures/%s" alt="%s" loading="lazy"></a>' % (pngs[0], pngs[0], aid))
        title = (sc.get("title_html") or html.escape(sc.get("title", ""))) if sc else ""
        body.append("<div><h2><code>%s</code>: %s</h2>" % (aid, title))
        body.append("<p><b>Reproduces:</b> %s<br><b>Scale:</b> %s</p>" % (html.escape(ref), html.escape(scale)))
        if sc:
            if sc.get("quick"):
                body.append("<p><b>Quick mode</b>: small sizes, not the reported numbers.</p>")
            if sc.get("look"):
                body.append("<p><b>What to look at:</b> %s.</p>" % sc.get("look_html", html.escape(sc["look"])))
            body.append("<p>%s</p>" % sc.get("caption_html", html.escape(sc.get("caption", ""))))
            for f in files:
                if f.endswith(".md"):
                    body.append("<p><a href=\"figures/%s\">table (Markdown)</a></p>" % f)
            body.append('<p class="files">' + " ".join('<a href="figures/%s">%s</a>' % (f, f) for f in files) + "</p>")
        else:
            body.append("<p>Not built yet: run <code>make figures</code>.</p>")
        body.append("</div></div>")
    write_page(os.path.join(out, "gallery.html"), "tokendyn: gallery", body)


def write_page(path, title, body):
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>%s</head><body>\n"
            '<nav class="tokendyn"><span><a href="index.html">contents</a><a href="gallery.html">gallery</a></span></nav>\n'
            "%s\n</body></html>\n") % (html.escape(title), STYLE, "\n".join(body))
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)


def index(pages, arts, out):
    body = ["<h1>tokendyn</h1>",
            "<p>The executable companion of <i>Demystifying the Token Dynamics of Deep Selective State Space Models</i> "
            "(Vo, Pham, Tong, Nguyen; ICLR 2025; arXiv 2410.03292): executed notebooks and every figure and table.</p>",
            "<h2>Notebooks</h2><ol>"]
    for rel, title, _ in pages:
        body.append('<li><a href="%s">%s</a></li>' % (rel, html.escape(title)))
    body.append('</ol><h2><a href="gallery.html">Gallery</a> of figures and tables</h2><ul>')
    for aid, ref, _, sc in arts:
        state = "" if sc else " (not built)"
        body.append('<li><a href="gallery.html#%s"><code>%s</code></a>: %s%s</li>' % (aid, aid, html.escape(ref), state))
    body.append("</ul>")
    write_page(os.path.join(out, "index.html"), "tokendyn", body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--notebooks", required=True)
    ap.add_argument("--figures", required=True)
    ap.add_argument("--mathjax", required=True, help="MathJax's es5 directory from npm")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.mathjax, "tex-mml-chtml.js")):
        fail("%s/tex-mml-chtml.js is missing: run `npm ci` at the repository root (mathjax is pinned in "
             "package-lock.json)" % a.mathjax)
    if not os.path.isdir(a.figures):
        fail("%s is not a directory (run make figures)" % a.figures)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(os.path.join(a.out, "assets"))
    shutil.copytree(a.mathjax, os.path.join(a.out, "assets", "mathjax"))
    shutil.copytree(a.figures, os.path.join(a.out, "figures"))
    pages = export_notebooks(a.notebooks, a.out, dict(os.environ))
    arts = artifacts(a.figures)
    gallery(arts, a.out)
    index(pages, arts, a.out)
    print("build_site: %d notebooks, %d artifacts -> %s/index.html" % (len(pages), len(arts), a.out))


if __name__ == "__main__":
    main()
