package safetensors_test

import (
	"bytes"
	"fmt"

	"github.com/tokendyn/tokendyn/internal/safetensors"
)

func Example() {
	var buf bytes.Buffer
	err := safetensors.Write(&buf, []safetensors.Tensor{
		{Name: "A", DType: safetensors.F32, Shape: []int{2, 2}, F32: []float32{-1, -2, -1, -2}},
		{Name: "D", DType: safetensors.F64, Shape: []int{2}, F64: []float64{1, 0.5}},
	}, map[string]string{"delta_softplus": "true"})
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := safetensors.Decode(buf.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := f.Tensor("A")
	fmt.Println(f.Names(), a.DType, a.Shape, a.F32, f.Metadata["delta_softplus"])
	// Output: [D A] F32 [2 2] [-1 -2 -1 -2] true
}
