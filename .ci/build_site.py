#!/usr/bin/python3
"""Build the offline site of the companion: build/site/.

    build_site.py --notebooks build/notebooks --figures figures \
                  --mathjax node_modules/mathjax/es5 --readme README.md --out build/site \
                  [--verify build/verify.json]

Writes index.html (the key results, then the contents), one HTML page per
executed notebook (every *.ipynb in --notebooks, in name order, with
previous/next links and a contents box of its sections), a gallery of every
artifact of figures/INDEX.md's registry (a thumbnail linked to the full image,
title, caption, what it reproduces, its tables inline, one link per file,
labelled by file name; with --verify, the output of `tokendyn verify --json
figures`, whether it is fresh or stale and why), and copies figures/, that
JSON (verify.json) and MathJax (from npm, pinned in package-lock.json) into
the site. Every page loads MathJax (titles and
captions are typeset everywhere) and assets/site.css, our stylesheet.

The key results are README.md's generated blocks (<!-- begin NAME --> ...
<!-- end NAME -->, kept equal to figures/ and docs/results/ by the Go tests),
each with the paragraphs that introduce it, rendered as Markdown: the numbers
live in one place.

Nothing is loaded from the network or from /usr/share: the site works from
file:// and any static host. Runs on Debian's /usr/bin/python3 with
python3-nbconvert (its Markdown renderer). Exit 1 with one line on bad input.
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

# assets/site.css: a readable measure for prose, code blocks, figures with
# captions, tables, the navigation bar and the contents box. Linked after
# nbconvert's own styles on the notebook pages.
SITE_CSS = """/* tokendyn site: our own small stylesheet (no CDN, no web font). */
:root { --measure: 70ch; --rule: #d8d8d8; --muted: #555; --tint: #f6f7f8; --link: #1a55a8; }
body.tokendyn { font-family: "Liberation Serif", "DejaVu Serif", Georgia, serif; font-size: 17px;
  line-height: 1.55; color: #1d1d1d; margin: 0; background: #fff; }
body.tokendyn main { max-width: 110ch; margin: 0 auto; padding: 1em 1.5em 3em; }
body.tokendyn main p, body.tokendyn main li, body.tokendyn main h1, body.tokendyn main h2,
body.tokendyn main figcaption, body.tokendyn main dl { max-width: var(--measure); }
body.tokendyn h1, body.tokendyn h2, body.tokendyn h3 { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  line-height: 1.25; }
body.tokendyn h2 { margin-top: 2em; border-bottom: 1px solid var(--rule); padding-bottom: .2em; }
a { color: var(--link); }
code, pre, kbd { font-family: "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: .88em; }
body.tokendyn pre { background: var(--tint); border: 1px solid var(--rule); border-radius: 4px;
  padding: .7em 1em; overflow-x: auto; line-height: 1.4; }
body.tokendyn :not(pre) > code { background: var(--tint); padding: 0 .2em; border-radius: 3px; }
figure { margin: 1.5em 0; }
figcaption { font-size: .92em; color: var(--muted); margin-top: .4em; line-height: 1.45; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
body.tokendyn table { border-collapse: collapse; font-size: .88em; margin: 1em 0; display: block; overflow-x: auto; }
body.tokendyn th, body.tokendyn td { border-bottom: 1px solid var(--rule); padding: .3em .6em; vertical-align: top; }
body.tokendyn th { background: var(--tint); text-align: left; }
nav.tokendyn { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; font-size: 15px; padding: .6em 1.5em;
  background: var(--tint); border-bottom: 1px solid var(--rule); display: flex; justify-content: space-between;
  flex-wrap: wrap; gap: .5em; }
nav.tokendyn a { margin-right: 1em; }
nav.toc { border: 1px solid var(--rule); background: var(--tint); border-radius: 4px; padding: .4em 1.2em .6em;
  margin: 1em 0 2em; max-width: var(--measure); font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  font-size: 15px; }
nav.toc h2 { font-size: 1em; margin: .4em 0; border: 0; }
nav.toc ol { margin: 0; padding-left: 1.4em; }
nav.toc ol ol { padding-left: 1.2em; }
.card { border: 1px solid var(--rule); border-radius: 4px; padding: 1em 1.2em; margin: 1.5em 0; }
.card h2 { margin-top: .2em; border: 0; }
.card figure.thumb { float: right; margin: 0 0 1em 1.5em; max-width: 45%; }
.card figure.thumb img { width: 100%; cursor: zoom-in; }
.card .files { clear: both; font-size: .9em; }
.card .files a { margin-right: .8em; white-space: nowrap; }
.card::after { content: ""; display: block; clear: both; }
.card .verify { font-size: .9em; }
.card .verify.ok { color: #1a7f37; }
.card .verify.stale, .card .verify.missing, .card .verify.invalid { color: #b42318; }
.results .lead { max-width: var(--measure); }
/* The notebook pages (nbconvert's lab template): prose at the same measure. */
.jp-RenderedMarkdown p, .jp-RenderedMarkdown li, .jp-RenderedMarkdown blockquote { max-width: var(--measure); }
.jp-RenderedMarkdown { font-size: 16px; line-height: 1.55; }
.jp-Notebook pre { line-height: 1.4; }
.jp-Notebook nav.toc { margin-left: 0; }
"""


def head_extra(prefix):
    """MathJax and our stylesheet, for a page at depth prefix ("" or "../")."""
    return (MATHJAX_CONFIG % (prefix + "assets/mathjax/tex-mml-chtml.js") +
            '\n<link rel="stylesheet" href="%sassets/site.css">' % prefix)


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


def fix_head(page, prefix):
    """Replace nbconvert's MathJax 2 block and its require.js tag (both from
    /usr/share) with MathJax 3 from the site, link our stylesheet after
    nbconvert's styles and drop any other external script."""
    page, n = re.subn(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->",
                      lambda m: MATHJAX_CONFIG % (prefix + "assets/mathjax/tex-mml-chtml.js"), page, flags=re.S)
    if n == 0:
        page = page.replace("</head>", MATHJAX_CONFIG % (prefix + "assets/mathjax/tex-mml-chtml.js") + "\n</head>", 1)
    page = page.replace("</head>", '<link rel="stylesheet" href="%sassets/site.css">\n</head>' % prefix, 1)
    page = re.sub(r'<script[^>]*src="(file:|https?:)[^"]*"[^>]*>\s*</script>', "", page)
    return page


def nav(prev, nxt, up="../index.html", gallery="../gallery.html", claims="../claims.html"):
    parts = ['<nav class="tokendyn"><span>', '<a href="%s">contents</a>' % up, '<a href="%s">claims</a>' % claims,
             '<a href="%s">gallery</a>' % gallery]
    parts.append("</span><span>")
    if prev:
        parts.append('<a href="%s">&larr; %s</a>' % (html.escape(prev[0]), html.escape(prev[1])))
    if nxt:
        parts.append('<a href="%s">%s &rarr;</a>' % (html.escape(nxt[0]), html.escape(nxt[1])))
    parts.append("</span></nav>")
    return "".join(parts)


HEADING = re.compile(r'<h([23]) id="[^"]*">(.*?)<a class="anchor-link" href="(#[^"]*)">', re.S)


def toc(page):
    """A contents box of the page's h2 and h3 sections (nbconvert gives each
    an id and an anchor link), inserted after the first h1; the page is
    returned unchanged when it has fewer than two sections."""
    items = [(int(m.group(1)), m.group(2).strip(), m.group(3)) for m in HEADING.finditer(page)]
    if len(items) < 2:
        return page, 0
    out = ['<nav class="toc" aria-label="contents of this notebook"><h2>Contents</h2><ol>']
    depth = 2
    for i, (lvl, text, href) in enumerate(items):
        if lvl > depth:
            out.append("<ol>")
        elif lvl < depth:
            out.append("</li></ol></li>")
        elif i > 0:
            out.append("</li>")
        depth = lvl
        out.append('<li><a href="%s">%s</a>' % (href, text))
    out.append("</li>" + ("</ol></li>" if depth == 3 else "") + "</ol></nav>")
    box = "".join(out)
    m = re.search(r"</h1>", page)
    if m:
        return page[:m.end()] + box + page[m.end():], len(items)
    return re.sub(r"(<body[^>]*>)", lambda b: b.group(1) + box, page, count=1), len(items)


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
        page = fix_head(page, "../")
        # The notebooks' own link line points at the .ipynb files and at
        # notebooks/README.md; on the site those are the pages and the contents.
        page = re.sub(r'href="(\d\d-[A-Za-z0-9-]+)\.ipynb"', r'href="\1.html"', page)
        page = page.replace('href="README.md"', 'href="../index.html"')
        page, _ = toc(page)
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


def markdown(text):
    """Markdown to HTML with nbconvert's renderer (mistune; GitHub tables)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    return markdown2html_mistune(text)


FORMATS = {".png": "PNG", ".svg": "SVG", ".pdf": "PDF", ".html": "interactive", ".json": "sidecar",
           ".csv": "CSV", ".md": "Markdown", ".tex": "LaTeX"}


VERIFY_TEXT = {"ok": "Fresh: its files are all here and every input it was computed from is unchanged",
               "stale": "Stale", "missing": "Missing files", "invalid": "Invalid sidecar",
               "unverifiable": "Unverifiable"}


def load_verify(path):
    """The statuses of `tokendyn verify --json`, by artifact ID."""
    try:
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
        return {a["id"]: a for a in rep["artifacts"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail("%s is not the output of tokendyn verify --json: %s" % (path, e))


def gallery(arts, fig_dir, out, verify=None):
    body = ['<h1>Gallery: every figure and table</h1>',
            '<p>Each artifact as <code>tokendyn figures</code> wrote it into <code>figures/</code>: click a picture '
            'for the full-size image. Interactive pages load ECharts from <code>figures/assets/</code>; each link '
            'is labelled by its file.</p>']
    if verify is not None:
        body.append('<p>Each card says whether the artifact is fresh, as <code>tokendyn verify</code> found it when '
                    'the site was built: its parameters, the code and the stored experiment results it drew have '
                    'the digests its sidecar records (<a href="verify.json">verify.json</a>).</p>')
    for aid, ref, scale, sc in arts:
        status = (verify or {}).get(aid)
        body.append('<section class="card" id="%s"%s>' % (aid, ' data-status="%s"' % html.escape(status["status"]) if status else ""))
        files = sc["files"] + [aid + ".json"] if sc else []
        pngs = [f for f in files if f.endswith(".png")]
        title = (sc.get("title_html") or html.escape(sc.get("title", ""))) if sc else ""
        body.append("<h2><code>%s</code>: %s</h2>" % (aid, title))
        if pngs:
            body.append('<figure class="thumb"><a href="figures/%s" title="full-size image"><img src="figures/%s" '
                        'alt="%s" loading="lazy"></a><figcaption>%s (click for full size)</figcaption></figure>'
                        % (pngs[0], pngs[0], html.escape(aid), html.escape(pngs[0])))
        if status:
            st = status["status"]
            text = VERIFY_TEXT.get(st, st)
            if status.get("detail") and st != "ok":
                text += ": " + status["detail"]
            body.append('<p class="verify %s"><b>%s</b></p>' % (html.escape(st), html.escape(text)))
        body.append("<p><b>Reproduces:</b> %s<br><b>Scale:</b> %s</p>" % (html.escape(ref), html.escape(scale)))
        if sc:
            if sc.get("quick"):
                body.append("<p><b>Quick mode</b>: small sizes, not the reported numbers.</p>")
            if sc.get("look"):
                body.append("<p><b>What to look at:</b> %s.</p>" % sc.get("look_html", html.escape(sc["look"])))
            body.append("<p>%s</p>" % sc.get("caption_html", html.escape(sc.get("caption", ""))))
            for f in files:
                if f.endswith(".md"):
                    with open(os.path.join(fig_dir, f), encoding="utf-8") as fh:
                        body.append('<figure class="table">%s<figcaption>%s</figcaption></figure>'
                                    % (markdown(fh.read()), html.escape(f)))
            links = []
            for f in files:
                kind = FORMATS.get(os.path.splitext(f)[1], "")
                links.append('<a href="figures/%s">%s</a>' % (html.escape(f), html.escape(f)) +
                             (" <small>(%s)</small>" % kind if kind else ""))
            body.append('<p class="files"><b>Files:</b> ' + " ".join(links) + "</p>")
        else:
            body.append("<p>Not built yet: run <code>make figures</code>.</p>")
        body.append("</section>")
    write_page(os.path.join(out, "gallery.html"), "tokendyn: gallery", body)


def write_page(path, title, body):
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>%s</title>\n%s\n</head>"
            '<body class="tokendyn">\n'
            '<nav class="tokendyn"><span><a href="index.html">contents</a><a href="claims.html">claims</a>'
            '<a href="gallery.html">gallery</a></span></nav>\n'
            "<main>\n%s\n</main>\n</body></html>\n") % (html.escape(title), head_extra(""), "\n".join(body))
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)


BLOCK = re.compile(r"^<!-- begin (.+?) -->\n(.*?)^<!-- end ", re.S | re.M)


def readme_results(readme):
    """README.md's generated blocks, in order, each as (name, lead, body):
    name is the marker's text up to its first parenthesis, body the block's
    Markdown and lead the paragraphs just above it, back to the nearest one
    that opens in bold (the block's label), when there is one within three
    paragraphs and no heading or other block between."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    out = []
    for m in BLOCK.finditer(text):
        name = m.group(1).split(" (")[0].strip()
        paras = re.split(r"\n\s*\n", text[:m.start()].rstrip("\n"))
        lead = []
        for p in reversed(paras[-3:]):
            p = p.strip()
            if p.startswith("#") or p.startswith("<!--") or p.startswith("!["):
                lead = []
                break
            lead.insert(0, p)
            if p.startswith("**"):
                break
        else:
            lead = []
        out.append((name, "\n\n".join(lead), m.group(2)))
    if not out:
        fail("%s has no <!-- begin ... --> block of results" % readme)
    return out


def claims_page(fig_dir, out):
    """claims.html: the claims ledger that `tokendyn claims` wrote as
    figures/claims.md, in the site's style."""
    src = os.path.join(fig_dir, "claims.md")
    if not os.path.exists(src):
        fail("%s is missing (make figures writes it; make claims alone too)" % src)
    with open(src, encoding="utf-8") as f:
        text = f.read()
    write_page(os.path.join(out, "claims.html"), "tokendyn: claims ledger",
               [markdown(text), '<p>The same ledger as data: <a href="figures/claims.json">claims.json</a>.</p>'])


def index(pages, arts, results, out):
    ids = sorted((a[0] for a in arts), key=len, reverse=True)
    body = ["<h1>tokendyn</h1>",
            "<p>The executable companion of <i>Demystifying the Token Dynamics of Deep Selective State Space Models</i> "
            "(Vo, Pham, Tong, Nguyen; ICLR 2025; arXiv 2410.03292): executed notebooks and every figure and table.</p>",
            '<section class="results" id="key-results"><h2>Key results</h2>',
            "<p>The generated blocks of the repository's README (regenerated by <code>make figures</code> and kept "
            "equal to its outputs by the Go tests), as they stand in this checkout.</p>"]
    for name, lead, md in results:
        aid = next((i for i in ids if i in name), "")
        body.append('<div class="result" data-block="%s">' % html.escape(name))
        if lead:
            body.append('<div class="lead">%s</div>' % markdown(lead))
        body.append(markdown(md))
        if aid:
            body.append('<p><a href="gallery.html#%s">%s in the gallery</a></p>' % (aid, aid))
        body.append("</div>")
    body.append('<p>Every claim with its check, rule and evidence: <a href="claims.html">the claims ledger</a>.</p>')
    body.append("</section><h2>Notebooks</h2><ol>")
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
    ap.add_argument("--readme", required=True, help="README.md, whose generated blocks are the key results")
    ap.add_argument("--out", required=True)
    ap.add_argument("--verify", help="the output of tokendyn verify --json: each card says fresh or stale")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.mathjax, "tex-mml-chtml.js")):
        fail("%s/tex-mml-chtml.js is missing: run `npm ci` at the repository root (mathjax is pinned in "
             "package-lock.json)" % a.mathjax)
    if not os.path.isdir(a.figures):
        fail("%s is not a directory (run make figures)" % a.figures)
    if not os.path.isfile(a.readme):
        fail("%s is missing" % a.readme)
    results = readme_results(a.readme)
    verify = load_verify(a.verify) if a.verify else None
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(os.path.join(a.out, "assets"))
    shutil.copytree(a.mathjax, os.path.join(a.out, "assets", "mathjax"))
    with open(os.path.join(a.out, "assets", "site.css"), "w", encoding="utf-8") as f:
        f.write(SITE_CSS)
    shutil.copytree(a.figures, os.path.join(a.out, "figures"))
    if a.verify:
        shutil.copyfile(a.verify, os.path.join(a.out, "verify.json"))
    pages = export_notebooks(a.notebooks, a.out, dict(os.environ))
    arts = artifacts(a.figures)
    gallery(arts, a.figures, a.out, verify)
    claims_page(a.figures, a.out)
    index(pages, arts, results, a.out)
    print("build_site: %d notebooks, %d artifacts, %d result blocks -> %s/index.html"
          % (len(pages), len(arts), len(results), a.out))


if __name__ == "__main__":
    main()
