package model

import "fmt"

// embeddingForward gathers rows of the embedding table, nn.Embedding.
//
//	table  (V, D)  backbone.embedding.weight
//	ids    (M)     token ids in [0, V)
//	out    (M, D)  overwritten
func embeddingForward[T Float](v, d int, table []T, ids []int32, out []T) error {
	for i, id := range ids {
		if id < 0 || int(id) >= v {
			return fmt.Errorf("model: embedding: token %d at position %d is outside the vocabulary [0, %d)", id, i, v)
		}
		copy(out[i*d:(i+1)*d], table[int(id)*d:(int(id)+1)*d])
	}
	return nil
}

// embeddingBackward scatters gout (M, D) into gtable (V, D): gtable[ids[i]] += gout[i].
// ids must have been validated by embeddingForward.
func embeddingBackward[T Float](d int, ids []int32, gout, gtable []T) {
	for i, id := range ids {
		g := gtable[int(id)*d : (int(id)+1)*d]
		for j, v := range gout[i*d : (i+1)*d] {
			g[j] += v
		}
	}
}
