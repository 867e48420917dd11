package text_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/data/text"
)

// A byte-level corpus: token ids of the 96-symbol GCIDE vocabulary, and a
// synthetic corpus whose bytes are their own ids.
func ExampleCorpus_Tokens() {
	vocab := text.ASCIIVocab()
	c := &text.Corpus{Name: "demo", Vocab: vocab,
		Text: [3][]byte{[]byte("the token\n"), []byte("dynamics"), []byte("of Mamba")}}
	ids, err := c.Tokens(text.Train)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ids, "vocabulary", vocab.Size())
	back, _ := vocab.Decode(ids)
	fmt.Printf("%q\n", back)

	s, err := text.FromTokens("bigram", 3, []byte{0, 1, 2, 0}, []byte{1, 2}, []byte{2, 0})
	if err != nil {
		fmt.Println(err)
		return
	}
	tr, _ := s.Tokens(text.Train)
	fmt.Println(tr, s.Vocab.Size())
	_, err = text.FromTokens("bad", 3, []byte{3}, nil, nil)
	fmt.Println(err)
	// Output:
	// [85 73 70 1 85 80 76 70 79 0] vocabulary 96
	// "the token\n"
	// [0 1 2 0] 3
	// text: bad train split: token id 3 outside the vocabulary of 3
}
