package text

import (
	"bytes"
	"strings"
)

// CleanGCIDEEntry turns one raw GCIDE article, as dictfmt renders it in
// gcide.dict, into plain English text: the headword and the article's prose
// paragraphs, one per line. It returns the headword ("" when the article has
// no headword line) and the text ("" when nothing is left).
//
// What a raw article looks like:
//
//	Abandon \A*ban"don\ ([.a]*b[a^]n"d[u^]n), v. t. [imp. & p. p.
//	   {Abandoned} (-d[u^]nd); ... [OF. abandoner, ...]
//	   1. To cast or drive out; to banish; to expel; to reject.
//	      [Obs.]
//	      [1913 Webster]
//
//	            That he might . . . abandon them from him. --Udall.
//	      [1913 Webster]
//
//	   Syn: To give up; yield; forego; ...
//
// What is done, in order:
//  1. Character codes in brackets become ASCII: accented letters ([a^],
//     ['e], [=o], [,c], ["u], [i^], ...) their base letter, ligatures
//     ([ae], [oe]) two letters, a few symbols ([deg], [sect], Greek letter
//     names) a word. Other bytes outside printable ASCII are dropped (the
//     file holds three such bytes; 0x92 becomes an apostrophe).
//  2. Every other bracketed span is removed, nested and across lines:
//     etymologies ([OF. abandoner ...]), inflections ([imp. & p. p. ...]),
//     usage labels ([Obs.], [R.], [Colloq.]) and source tags ([1913
//     Webster], [WordNet 1.5], [PJC]). These are metadata, not prose; the
//     rare editorial insertions in quotations ("[He] abandoned ...") go too.
//  3. The headword block is removed: the first line (headword, pronunciation
//     \A*ban"don\, respelling (...), part of speech) and the lines that
//     continue it (lines starting in column 0, or while a \...\ or (...) is
//     open, or after a line ending in a comma). The headword itself is kept
//     as the first line of the output.
//  4. Paragraphs (separated by blank lines in the raw article) are joined
//     into single lines with single spaces; "Syn:" paragraphs (lists of
//     synonyms, not prose) are dropped; "Note:" and "Usage:" labels and
//     sense numbers ("1.", "(a)") and part-of-speech remnants of the
//     headword line (", n.") are removed; quotation attributions
//     ("--Udall.", "--Shak.") are cut to the end of their line; cross
//     references {Abandoned} keep their text without braces or syllable
//     marks (* " `); parenthesized pronunciations (see stripRespellings)
//     and \...\ spans left in the body are removed.
func CleanGCIDEEntry(raw []byte) (headword, text string) {
	clean := decodeAndStripBrackets(stripRespellings(raw))
	rawLines := bytes.Split(raw, []byte{'\n'})
	lines := strings.Split(clean, "\n")
	body := 0
	if len(rawLines) > 0 && len(rawLines[0]) > 0 && rawLines[0][0] != ' ' && bytes.IndexByte(rawLines[0], '\\') > 0 {
		headword = cleanHeadword(string(rawLines[0][:bytes.IndexByte(rawLines[0], '\\')]))
		body = headerEnd(lines, rawLines)
	}
	var paras []string
	var cur []string
	flush := func() {
		if p := finishParagraph(strings.Join(cur, " ")); p != "" {
			paras = append(paras, p)
		}
		cur = cur[:0]
	}
	for i := body; i < len(lines); i++ {
		if len(bytes.TrimSpace(rawLines[i])) == 0 {
			flush()
			continue
		}
		l := strings.TrimSpace(lines[i])
		l = cutCitation(l)
		if l != "" {
			cur = append(cur, l)
		}
	}
	flush()
	if len(paras) == 0 {
		return headword, ""
	}
	return headword, strings.Join(paras, "\n")
}

// cutCitation cuts a quotation's attribution, "--" then a capital letter,
// to the end of the line ("--Shak.", "--I. Taylor.", "--Bp. Benson.").
func cutCitation(l string) string {
	for i := 0; i+2 < len(l); i++ {
		if l[i] == '-' && l[i+1] == '-' && l[i+2] >= 'A' && l[i+2] <= 'Z' {
			return strings.TrimSpace(l[:i])
		}
	}
	return l
}

// trimHeaderRemnant removes what is left of a headword line that ran into
// the body: a paragraph starting with a comma, followed by part-of-speech
// abbreviations (", n.", ", v. t.", ", a. & n.").
func trimHeaderRemnant(p string) string {
	if !strings.HasPrefix(p, ",") {
		return p
	}
	p = strings.TrimLeft(p, ", ")
	for {
		k := 0
		for k < len(p) && k < 6 && p[k] >= 'a' && p[k] <= 'z' {
			k++
		}
		switch {
		case k > 0 && k < 6 && k < len(p) && p[k] == '.':
			p = strings.TrimLeft(p[k+1:], " ,")
		case strings.HasPrefix(p, "& "):
			p = p[2:]
		default:
			return p
		}
	}
}

// trimLabels removes sense numbers ("1.", "12.") and the labels "(a)",
// "Note:" and "Usage:" from the start of a paragraph.
func trimLabels(p string) string {
	for {
		q := p
		switch {
		case strings.HasPrefix(q, "Note:"):
			q = q[len("Note:"):]
		case strings.HasPrefix(q, "Usage:"):
			q = q[len("Usage:"):]
		case len(q) >= 3 && q[0] == '(' && q[1] >= 'a' && q[1] <= 'z' && q[2] == ')':
			q = q[3:]
		default:
			k := 0
			for k < len(q) && q[k] >= '0' && q[k] <= '9' {
				k++
			}
			if k > 0 && k < len(q) && q[k] == '.' && (k+1 == len(q) || q[k+1] == ' ') {
				q = q[k+1:]
			}
		}
		q = strings.TrimLeft(q, " ")
		if q == p {
			return p
		}
		p = q
	}
}

// headerEnd returns the index of the first body line: the headword block is
// line 0 plus its continuation lines.
func headerEnd(lines []string, rawLines [][]byte) int {
	slashes, parens := 0, 0
	i := 0
	for ; i < len(lines); i++ {
		if i > 0 {
			open := slashes%2 == 1 || parens > 0 || strings.HasSuffix(strings.TrimSpace(lines[i-1]), ",")
			col0 := len(rawLines[i]) > 0 && rawLines[i][0] != ' '
			if !open && !col0 {
				break
			}
		}
		for _, c := range lines[i] {
			switch c {
			case '\\':
				slashes++
			case '(':
				parens++
			case ')':
				if parens > 0 {
					parens--
				}
			}
		}
	}
	return i
}

// finishParagraph normalizes one joined paragraph; "" drops it.
func finishParagraph(p string) string {
	p = strings.Join(strings.Fields(p), " ")
	if strings.HasPrefix(p, "Syn:") || strings.HasPrefix(p, "Syn.") {
		return ""
	}
	p = stripBackslashes(p)
	p = trimHeaderRemnant(p)
	p = trimLabels(p)
	p = stripBraces(p)
	p = strings.Join(strings.Fields(p), " ")
	if strings.Trim(p, " .,;:-") == "" {
		return ""
	}
	return p
}

// stripBackslashes removes pronunciations \A*bas"si\ left in the body
// of run-in entries; a lone backslash is dropped.
func stripBackslashes(p string) string {
	if !strings.Contains(p, "\\") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' {
			if j := strings.IndexByte(p[i+1:], '\\'); j >= 0 {
				i += j + 1
			}
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// stripRespellings removes the parenthesized pronunciations of a raw
// article, such as ([.a]*b[a^]n"d[u^]n) or (z[o^]rbz), keeping the newlines
// inside them. A group (at most 80 bytes, not nested) is a pronunciation
// when it holds a syllable mark (* " `) between two letters or a
// pronunciation code: a letter with a breve, macron, dot or tilde ([a^],
// [=a], [.a], [-o], [~e]) or [imac], [aum], [asl], [add], [udd]. Accents of
// foreign words in prose (['e], [,c]) and ligatures ([ae]) do not count, so
// "(Hypot[ae]nidia Phillipensis)" stays.
func stripRespellings(raw []byte) []byte {
	if bytes.IndexByte(raw, '(') < 0 {
		return raw
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '(' {
			window := raw[i+1 : min(len(raw), i+81)]
			if j := bytes.IndexAny(window, "()"); j >= 0 && window[j] == ')' && isPronunciation(window[:j]) {
				for _, c := range window[:j] {
					if c == '\n' {
						out = append(out, '\n')
					}
				}
				i += j + 1
				continue
			}
		}
		out = append(out, raw[i])
	}
	return out
}

// isPronunciation implements the test of stripRespellings.
func isPronunciation(s []byte) bool {
	letter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == '*' || s[i] == '"' || s[i] == '`') && letter(s[i-1]) && letter(s[i+1]) {
			return true
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			continue
		}
		end := bytes.IndexByte(s[i:min(len(s), i+7)], ']')
		if end < 2 {
			continue
		}
		code := string(s[i+1 : i+end])
		switch {
		case code == "imac" || code == "aum" || code == "asl" || code == "add" || code == "udd":
			return true
		case strings.IndexByte("^=.-~", code[0]) >= 0 && len(code) >= 2 && letter(code[1]):
			return true
		case code[len(code)-1] == '^' && len(code) >= 2 && letter(code[0]):
			return true
		}
	}
	return false
}

// stripBraces removes the braces of cross references and the syllable marks
// inside them: {Un*wor"thi*ly} → Unworthily.
func stripBraces(s string) string {
	if !strings.ContainsAny(s, "{}") {
		return s
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{':
			depth++
		case c == '}':
			if depth > 0 {
				depth--
			}
		case depth > 0 && (c == '*' || c == '"' || c == '`'):
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// cleanHeadword trims a headword and removes syllable marks and braces.
func cleanHeadword(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("*\"`{}", r) || r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, decodeAndStripBrackets([]byte(s)))
	return strings.Join(strings.Fields(s), " ")
}

// decodeAndStripBrackets performs steps 1 and 2 of CleanGCIDEEntry. It keeps
// every newline, even inside removed spans, so that line i of the result is
// line i of raw. A '[' without a matching ']' (or the reverse) is dropped
// alone, so a stray bracket never swallows the rest of an article.
func decodeAndStripBrackets(raw []byte) string {
	// Pass 1: find which '[' are matched; entity codes are skipped whole.
	matched := make(map[int]bool)
	var stack []int
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '[':
			if _, n, ok := entityAt(raw[i:]); ok {
				i += n - 1
				continue
			}
			stack = append(stack, i)
		case ']':
			if len(stack) > 0 {
				matched[stack[len(stack)-1]] = true
				stack = stack[:len(stack)-1]
			}
		}
	}
	// Pass 2: emit.
	var b strings.Builder
	b.Grow(len(raw))
	depth := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\n':
			b.WriteByte('\n')
			continue
		case c == '[':
			if rep, n, ok := entityAt(raw[i:]); ok {
				if depth == 0 {
					b.WriteString(rep)
				}
				i += n - 1
				continue
			}
			if matched[i] {
				depth++
			}
			continue
		case c == ']':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 {
			continue
		}
		switch {
		case c == '\t':
			b.WriteByte(' ')
		case c == 0x92:
			b.WriteByte('\'')
		case c >= 0x20 && c <= 0x7e:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// entityAt recognizes a character code at the start of s ("[a^]", "['e]",
// "[ae]", "[deg]", ...) and returns its ASCII replacement and length.
func entityAt(s []byte) (string, int, bool) {
	end := bytes.IndexByte(s[:min(len(s), 12)], ']')
	if end < 2 {
		return "", 0, false
	}
	code := string(s[1:end])
	if rep, ok := namedEntity(code); ok {
		return rep, end + 1, true
	}
	if rep, ok := accented(code); ok {
		return rep, end + 1, true
	}
	return "", 0, false
}

// accentMarks are the diacritic marks of GCIDE's letter codes.
const accentMarks = "'`^\"~=-.,*_"

// accented decodes a mark followed by one or two letters ("=a", "'e",
// "=oo", ",c") or one or two letters followed by '^' ("i^", "oo^").
func accented(code string) (string, bool) {
	letters := func(s string) bool {
		if len(s) < 1 || len(s) > 2 {
			return false
		}
		for i := 0; i < len(s); i++ {
			if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return false
			}
		}
		return true
	}
	if len(code) >= 2 && strings.IndexByte(accentMarks, code[0]) >= 0 && letters(code[1:]) {
		return code[1:], true
	}
	if len(code) >= 2 && code[len(code)-1] == '^' && letters(code[:len(code)-1]) {
		return code[:len(code)-1], true
	}
	return "", false
}

// namedEntity returns the replacement of GCIDE's named codes that stand
// for letters or symbols inside prose. Codes not listed here are treated as
// ordinary bracketed text and removed.
func namedEntity(code string) (string, bool) {
	switch code {
	case "ae", "AE", "oe", "OE", "th", "ng":
		return code, true
	case "aum", "asl", "add":
		return "a", true
	case "imac":
		return "i", true
	case "udd":
		return "u", true
	case "eth", "thorn":
		return "th", true
	case "yogh":
		return "y", true
	case "schwa":
		return "e", true
	case "root", "hand":
		return "", true
	case "deg":
		return " deg", true
	case "sect":
		return "sect.", true
	case "pounds":
		return "L", true
	case "middot":
		return ".", true
	case "times":
		return "x", true
	case "divby", "div":
		return "/", true
	case "ldquo", "rdquo", "ldqo", "rdqo":
		return `"`, true
	case "lsquo", "rsquo":
		return "'", true
	case "nbsp":
		return " ", true
	case "frac12", "frac13", "frac14", "frac23", "frac34", "frac18":
		return code[4:5] + "/" + code[5:], true
	case "sigmat":
		return "sigma", true
	case "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
		"xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
		"Gamma", "Delta", "Theta", "Lambda", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega":
		return code, true
	}
	return "", false
}
