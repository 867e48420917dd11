package safetensors

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

// rawFile assembles a safetensors file by hand, independently of Write: the
// 8-byte length, the header text exactly as given, then data.
func rawFile(header string, data []byte) []byte {
	b := make([]byte, 8, 8+len(header)+len(data))
	binary.LittleEndian.PutUint64(b, uint64(len(header)))
	b = append(b, header...)
	return append(b, data...)
}

func le32(vs ...float32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

func le64(vs ...float64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

func cat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// validHeader describes "a" F32 (2,) then "b" F64 (1,1): 8 + 8 data bytes.
const validHeader = `{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},` +
	`"b":{"dtype":"F64","shape":[1,1],"data_offsets":[8,16]}}`

func validFile() []byte {
	return rawFile(validHeader, cat(le32(1.5, -2), le64(math.Pi)))
}

// padded pads s with spaces to a multiple of 8, as writers do.
func padded(s string) string {
	return s + strings.Repeat(" ", (8-len(s)%8)%8)
}
