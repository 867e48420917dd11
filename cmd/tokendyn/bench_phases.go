package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"runtime/pprof"
	"strings"
	"time"
)

// The per-phase breakdown of `tokendyn bench train`: one more repetition
// runs under the CPU profiler, and every sample is attributed to a phase by
// its stack (phaseOf); what the threads did not spend on CPU is sync/idle.
// Only the standard library is used: the profile's protocol buffer is read
// by the small decoder below.

// phaseNames is the fixed order of the breakdown lines.
var phaseNames = []string{
	"forward GEMMs", "scan forward", "scan backward", "backward GEMMs",
	"elementwise/activations", "optimizer", "runtime (GC, alloc)", "sync/idle/preempted",
}

// phaseOf returns the index in phaseNames of a sample with the given stack
// (function names, leaf first): a stack through a matrix-product kernel is
// a GEMM (backward when any frame belongs to a backward pass), one through
// the training scan is the scan; otherwise the first frame from the leaf in
// the model or in the trainer decides, and the rest is the Go runtime.
func phaseOf(stack []string) int {
	has := func(subs ...string) bool {
		for _, f := range stack {
			for _, s := range subs {
				if strings.Contains(f, s) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("model.sgemm", "model.gemm"):
		if has("backward", "weightGrad") {
			return 3
		}
		return 0
	case has("mamba.ScanTokensBackward", "mamba.ReduceTokenGrads"):
		return 2
	case has("mamba.ScanTokens"):
		return 1
	}
	for _, f := range stack {
		switch {
		case strings.Contains(f, "/pkg/model."), strings.Contains(f, "/pkg/mamba."):
			return 4
		case strings.Contains(f, "/pkg/train."):
			return 5
		}
	}
	return 6
}

// profilePhases runs f under the CPU profiler and returns the share of
// threads × its wall time spent in each phase of phaseNames, and the number
// of samples.
func profilePhases(threads int, f func() error) ([]float64, int, error) {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		return nil, 0, err
	}
	start := time.Now()
	err := f()
	wall := time.Since(start).Seconds()
	pprof.StopCPUProfile()
	if err != nil {
		return nil, 0, err
	}
	stacks, ns, err := decodeCPUProfile(buf.Bytes())
	if err != nil {
		return nil, 0, fmt.Errorf("reading the CPU profile: %w", err)
	}
	share := make([]float64, len(phaseNames))
	var busy float64
	for _, n := range ns {
		busy += float64(n) / 1e9
	}
	// The profiler samples every 10 ms, so on a short run the sampled CPU
	// time can exceed threads × wall; the shares are then of the sampled
	// time (nothing idle) and still add up to 1.
	total := max(float64(threads)*wall, busy)
	for i, st := range stacks {
		share[phaseOf(st)] += float64(ns[i]) / 1e9 / total
	}
	share[len(share)-1] = max(0, 1-busy/total)
	return share, len(stacks), nil
}

// decodeCPUProfile reads a gzipped pprof profile (profile.proto) and returns
// each sample's stack (function names, leaf first; inlined frames included)
// and its CPU nanoseconds (the last sample value).
func decodeCPUProfile(gz []byte) ([][]string, []int64, error) {
	data, err := gunzipAll(gz)
	if err != nil {
		return nil, nil, err
	}
	p := profileTables{
		locFns: map[uint64][]uint64{},
		fnName: map[uint64]int64{},
	}
	if err := protoFields(data, p.field); err != nil {
		return nil, nil, err
	}
	stacks, ns := p.stacks()
	return stacks, ns, nil
}

// gunzipAll returns the decompressed bytes of the gzip stream gz.
func gunzipAll(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// profileSample is one sample of a profile: its location ids (leaf first)
// and values.
type profileSample struct {
	locs []uint64
	vals []int64
}

// profileTables holds what decodeCPUProfile keeps of a profile's message:
// the samples, the string table, and the ids that link them.
type profileTables struct {
	samples []profileSample
	strs    []string
	locFns  map[uint64][]uint64 // location → function ids, leaf first
	fnName  map[uint64]int64    // function → string index
}

// field records one top-level field of the Profile message (as the f of
// protoFields): a sample, a location, a function or a string.
func (p *profileTables) field(field int, v uint64, b []byte) error {
	switch field {
	case 2: // sample
		s, err := decodeProfileSample(b)
		p.samples = append(p.samples, s)
		return err
	case 4: // location
		id, fns, err := decodeProfileLocation(b)
		p.locFns[id] = fns
		return err
	case 5: // function
		id, name, err := decodeProfileFunction(b)
		p.fnName[id] = name
		return err
	case 6: // string table
		p.strs = append(p.strs, string(b))
	}
	return nil
}

// decodeProfileSample reads a Sample message: location ids (field 1) and
// values (field 2), packed or not.
func decodeProfileSample(b []byte) (profileSample, error) {
	var s profileSample
	err := protoFields(b, func(f int, v uint64, b []byte) error {
		switch f {
		case 1:
			s.locs = appendPacked(s.locs, v, b)
		case 2:
			for _, x := range appendPacked(nil, v, b) {
				s.vals = append(s.vals, int64(x))
			}
		}
		return nil
	})
	return s, err
}

// decodeProfileLocation reads a Location message: its id (field 1) and the
// function ids of its lines (field 4), leaf first.
func decodeProfileLocation(b []byte) (uint64, []uint64, error) {
	var id uint64
	var fns []uint64
	err := protoFields(b, func(f int, v uint64, b []byte) error {
		switch f {
		case 1:
			id = v
		case 4: // line
			return protoFields(b, func(f int, v uint64, _ []byte) error {
				if f == 1 {
					fns = append(fns, v)
				}
				return nil
			})
		}
		return nil
	})
	return id, fns, err
}

// decodeProfileFunction reads a Function message: its id (field 1) and the
// string index of its name (field 2).
func decodeProfileFunction(b []byte) (uint64, int64, error) {
	var id uint64
	var name int64
	err := protoFields(b, func(f int, v uint64, _ []byte) error {
		switch f {
		case 1:
			id = v
		case 2:
			name = int64(v)
		}
		return nil
	})
	return id, name, err
}

// stacks returns each sample's stack (function names, leaf first) and its
// last value, skipping the samples without values.
func (p *profileTables) stacks() ([][]string, []int64) {
	var stacks [][]string
	var ns []int64
	for _, s := range p.samples {
		if len(s.vals) == 0 {
			continue
		}
		var st []string
		for _, l := range s.locs {
			for _, fn := range p.locFns[l] {
				if i := p.fnName[fn]; i >= 0 && int(i) < len(p.strs) {
					st = append(st, p.strs[i])
				}
			}
		}
		stacks = append(stacks, st)
		ns = append(ns, s.vals[len(s.vals)-1])
	}
	return stacks, ns
}

// appendPacked appends a repeated integer field: one varint v, or the packed
// varints of b.
func appendPacked(dst []uint64, v uint64, b []byte) []uint64 {
	if b == nil {
		return append(dst, v)
	}
	for len(b) > 0 {
		x, n := uvarint(b)
		if n <= 0 {
			break
		}
		dst = append(dst, x)
		b = b[n:]
	}
	return dst
}

// protoFields calls f for each field of a protocol-buffer message: varint
// fields with v, length-delimited ones with b (fixed-width ones skipped).
func protoFields(data []byte, f func(field int, v uint64, b []byte) error) error {
	for len(data) > 0 {
		key, n := uvarint(data)
		if n <= 0 {
			return errors.New("bad field key")
		}
		data = data[n:]
		field, wire := int(key>>3), key&7
		switch wire {
		case 0:
			v, n := uvarint(data)
			if n <= 0 {
				return errors.New("bad varint")
			}
			data = data[n:]
			if err := f(field, v, nil); err != nil {
				return err
			}
		case 2:
			l, n := uvarint(data)
			if n <= 0 || uint64(len(data)-n) < l {
				return errors.New("bad length")
			}
			b := data[n : n+int(l)]
			data = data[n+int(l):]
			if err := f(field, 0, b); err != nil {
				return err
			}
		case 1:
			if len(data) < 8 {
				return errors.New("short fixed64")
			}
			data = data[8:]
		case 5:
			if len(data) < 4 {
				return errors.New("short fixed32")
			}
			data = data[4:]
		default:
			return fmt.Errorf("wire type %d", wire)
		}
	}
	return nil
}

func uvarint(b []byte) (uint64, int) {
	var x uint64
	for i := 0; i < len(b) && i < 10; i++ {
		x |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return x, i + 1
		}
	}
	return 0, 0
}
