// Package citations checks the repository's references to its
// reconstruction notes, docs/paper.md.
//
// Code, notebooks, help texts and artifact captions cite the notes by the
// path docs/paper.md followed by a section sign and a number such as 5 or
// 5.1, possibly followed by more sections ("§3, §4", "§2–§3", "§5.1/§5.2").
// Sections parses the notes' numbered headings ("## 5. The two
// refinements", "### 5.1 …"); Find lists the citations of a text, and
// flags a citation written without the docs/ prefix, which names no file
// of the repository. The package test applies both to every tracked text
// file.
package citations
