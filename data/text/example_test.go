package text_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/data/text"
)

// Training windows of L+1 = 5 tokens in a seeded order, and the sequential
// evaluation windows of the same stream.
func ExampleBatcher() {
	vocab := text.ASCIIVocab()
	tokens, err := vocab.Encode([]byte("the token dynamics\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := text.NewBatcher(tokens, 2, 4, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	batch := b.Next(nil) // (2, 5)
	for r := range 2 {
		row, _ := vocab.Decode(batch[r*5 : (r+1)*5])
		fmt.Printf("train %q\n", row)
	}
	windows, _ := text.EvalWindows(tokens, 8)
	for w := range windows {
		s, _ := vocab.Decode(w)
		fmt.Printf("eval %q\n", s)
	}
	fmt.Println(b.Windows(), "windows per epoch; vocabulary", vocab.Size())
	// Output:
	// train "namic"
	// train "the t"
	// eval "the token"
	// eval "n dynamic"
	// eval "cs\n"
	// 4 windows per epoch; vocabulary 96
}
