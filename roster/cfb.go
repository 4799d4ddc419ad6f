package roster

import (
	"encoding/binary"
	"unicode/utf16"
)

// A reader of OLE2 compound files ([MS-CFB]), the container of .xls and
// .et workbooks, written for hostile input: every sector number is
// checked against the file, and every chain is cut at the number of
// sectors the file has, so that a loop in a chain ends. (mscfb v1.0.9,
// tried first, panics on a DIFAT count that overflows and spins on others.)

const (
	cfbEndOfChain  = 0xFFFFFFFE
	cfbMiniSector  = 64
	cfbMiniCutoff  = 4096
	cfbDirEntry    = 128
	cfbStreamEntry = 2
)

// cfbFile is an opened compound file.
type cfbFile struct {
	data       []byte
	sectorSize int
	fat        []uint32
	dirs       []cfbEntry
	miniFAT    []uint32
	miniStream []byte
}

// cfbEntry is a directory entry.
type cfbEntry struct {
	name  string
	typ   byte
	start uint32
	size  uint64
}

// openCFB reads the header, the FAT and the directory; ok is false for a
// file that is not a readable compound file.
func openCFB(data []byte) (*cfbFile, bool) {
	if len(data) < 512 {
		return nil, false
	}
	shift := binary.LittleEndian.Uint16(data[30:])
	if shift != 9 && shift != 12 {
		return nil, false
	}
	f := &cfbFile{data: data, sectorSize: 1 << shift}
	sectors := f.sectorCount()
	// The DIFAT: 109 sector numbers in the header, then a chain of DIFAT
	// sectors, each ending with the number of the next.
	var difat []uint32
	for i := range 109 {
		difat = append(difat, binary.LittleEndian.Uint32(data[76+4*i:]))
	}
	next := binary.LittleEndian.Uint32(data[68:])
	for n := 0; next < cfbEndOfChain-2 && n < sectors; n++ {
		s, ok := f.sector(next)
		if !ok {
			break
		}
		for i := 0; i+4 < len(s); i += 4 {
			difat = append(difat, binary.LittleEndian.Uint32(s[i:]))
		}
		next = binary.LittleEndian.Uint32(s[len(s)-4:])
	}
	for _, sn := range difat {
		if len(f.fat) >= sectors {
			break
		}
		s, ok := f.sector(sn)
		if !ok {
			continue
		}
		for i := 0; i < len(s); i += 4 {
			f.fat = append(f.fat, binary.LittleEndian.Uint32(s[i:]))
		}
	}
	dir := f.chain(binary.LittleEndian.Uint32(data[48:]), f.fat, f.sectorSize, f.sector)
	for i := 0; i+cfbDirEntry <= len(dir); i += cfbDirEntry {
		e := dir[i : i+cfbDirEntry]
		n := min(int(binary.LittleEndian.Uint16(e[64:])), 64) / 2
		u := make([]uint16, 0, n)
		for k := 0; k < n; k++ {
			if c := binary.LittleEndian.Uint16(e[2*k:]); c != 0 {
				u = append(u, c)
			}
		}
		f.dirs = append(f.dirs, cfbEntry{
			name:  string(utf16.Decode(u)),
			typ:   e[66],
			start: binary.LittleEndian.Uint32(e[116:]),
			size:  binary.LittleEndian.Uint64(e[120:]),
		})
	}
	if len(f.dirs) == 0 {
		return nil, false
	}
	// The mini stream holds the small streams, in 64-byte sectors.
	miniFAT := f.chain(binary.LittleEndian.Uint32(data[60:]), f.fat, f.sectorSize, f.sector)
	for i := 0; i+4 <= len(miniFAT); i += 4 {
		f.miniFAT = append(f.miniFAT, binary.LittleEndian.Uint32(miniFAT[i:]))
	}
	f.miniStream = f.chain(f.dirs[0].start, f.fat, f.sectorSize, f.sector)
	return f, true
}

func (f *cfbFile) sectorCount() int { return len(f.data)/f.sectorSize - 1 }

// sector returns sector sn (the header is the sector before sector 0).
func (f *cfbFile) sector(sn uint32) ([]byte, bool) {
	if int64(sn) >= int64(f.sectorCount()) {
		return nil, false
	}
	off := (int(sn) + 1) * f.sectorSize
	return f.data[off : off+f.sectorSize], true
}

func (f *cfbFile) miniSector(sn uint32) ([]byte, bool) {
	off := int64(sn) * cfbMiniSector
	if off+cfbMiniSector > int64(len(f.miniStream)) {
		return nil, false
	}
	return f.miniStream[off : off+cfbMiniSector], true
}

// chain concatenates the sectors of a chain; it stops at the end of the
// chain, at a sector outside the file, or after as many sectors as the
// table has entries (a loop).
func (f *cfbFile) chain(start uint32, table []uint32, size int, sector func(uint32) ([]byte, bool)) []byte {
	var out []byte
	for sn, n := start, 0; sn < uint32(len(table)) && n < len(table); n++ {
		s, ok := sector(sn)
		if !ok {
			break
		}
		out = append(out, s...)
		sn = table[sn]
	}
	return out
}

// stream returns the content of the stream with the given name, or false.
func (f *cfbFile) stream(name string) ([]byte, bool) {
	for _, e := range f.dirs {
		if e.typ != cfbStreamEntry || e.name != name {
			continue
		}
		var b []byte
		if e.size < cfbMiniCutoff {
			b = f.chain(e.start, f.miniFAT, cfbMiniSector, f.miniSector)
		} else {
			b = f.chain(e.start, f.fat, f.sectorSize, f.sector)
		}
		if uint64(len(b)) > e.size {
			b = b[:e.size]
		}
		return b, true
	}
	return nil, false
}
