package rostertest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
)

// Damaged files, made the way files are damaged on their way to a school's
// upload: a bit or a byte changed (a failing USB stick, a bad copy), a
// block of a disk's sector zeroed or filled with garbage (a bad block), a
// file cut short (an interrupted download, a mail size limit), and text
// conversions by a mail gateway (line ends rewritten, the eighth bit
// lost). The readers must refuse such files, or read them as they were.

// A Damage is one damaged copy of a file and what was done to it.
type Damage struct {
	Name string // e.g. "flip-1234-3", "zero-4096-512", "cut-8000"
	Data []byte
}

// FlipBit changes bit (0–7) of the byte at off.
func FlipBit(data []byte, off, bit int) Damage {
	out := bytes.Clone(data)
	out[off] ^= 1 << bit
	return Damage{fmt.Sprintf("flip-%d-%d", off, bit), out}
}

// SetByte writes v at off.
func SetByte(data []byte, off int, v byte) Damage {
	out := bytes.Clone(data)
	out[off] = v
	return Damage{fmt.Sprintf("set-%d-%02x", off, v), out}
}

// Zero overwrites n bytes from off with zeros, as a bad block reads.
func Zero(data []byte, off, n int) Damage {
	out := bytes.Clone(data)
	clear(out[off:min(off+n, len(out))])
	return Damage{fmt.Sprintf("zero-%d-%d", off, n), out}
}

// Garbage overwrites n bytes from off with random bytes of seed.
func Garbage(data []byte, off, n int, seed uint64) Damage {
	out := bytes.Clone(data)
	r := rand.New(rand.NewPCG(seed, uint64(off)))
	for i := off; i < min(off+n, len(out)); i++ {
		out[i] = byte(r.UintN(256))
	}
	return Damage{fmt.Sprintf("garbage-%d-%d-%d", off, n, seed), out}
}

// Cut keeps the first n bytes.
func Cut(data []byte, n int) Damage {
	return Damage{fmt.Sprintf("cut-%d", n), bytes.Clone(data[:n])}
}

// CRLF rewrites every line feed as carriage return and line feed, as a
// transfer in text mode does.
func CRLF(data []byte) Damage {
	return Damage{"crlf", bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))}
}

// SevenBit clears the eighth bit of every byte, as an old mail gateway does.
func SevenBit(data []byte) Damage {
	out := bytes.Clone(data)
	for i := range out {
		out[i] &= 0x7f
	}
	return Damage{"7bit", out}
}

// Sample is a reproducible mix of n damaged copies of data for seed: bit
// flips and changed bytes anywhere, zeroed and garbage blocks at sector
// boundaries, and cuts, with one each of the conversions.
func Sample(data []byte, n int, seed uint64) []Damage {
	r := rand.New(rand.NewPCG(seed, uint64(len(data))))
	out := []Damage{CRLF(data), SevenBit(data)}
	for len(out) < n {
		off := r.IntN(len(data))
		switch r.IntN(6) {
		case 0, 1:
			out = append(out, FlipBit(data, off, r.IntN(8)))
		case 2:
			out = append(out, SetByte(data, off, []byte{0, 0xff, byte(r.UintN(256))}[r.IntN(3)]))
		case 3:
			out = append(out, Zero(data, off/512*512, 512))
		case 4:
			out = append(out, Garbage(data, off/512*512, 512, seed))
		case 5:
			out = append(out, Cut(data, off))
		}
	}
	return out
}
