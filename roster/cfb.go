package roster

import (
	"encoding/binary"
	"strings"
	"unicode/utf16"
)

// A reader of OLE2 compound files ([MS-CFB]), the container of .xls and
// .et workbooks, written for hostile input. A damaged container is
// refused, never read in part: every sector number must lie in the file,
// a chain that comes back to a sector it has passed is a loop, a chain
// that ends (or leaves the file) before the size its stream declares is
// cut short, and a declared size is compared with the sectors that exist
// before anything is allocated for it. What a workbook does not need (the
// mini stream of a workbook stored in full sectors, the directory's tree)
// is not judged, as Excel does not judge it. (mscfb v1.0.9, tried first,
// panics on a DIFAT count that overflows and spins on others.)

const (
	cfbFree        = 0xFFFFFFFF
	cfbEndOfChain  = 0xFFFFFFFE
	cfbMaxRegular  = 0xFFFFFFFA
	cfbMiniSector  = 64
	cfbMiniCutoff  = 4096
	cfbDirEntry    = 128
	cfbStreamEntry = 2
	cfbRootEntry   = 5
	cfbHeaderDIFAT = 109
)

// cfbFile is an opened compound file.
type cfbFile struct {
	data       []byte
	sectorSize int
	sectors    int // sectors after the header
	version3   bool
	fat        []uint32
	dirs       []cfbEntry
	m          *meter
}

// cfbEntry is a directory entry.
type cfbEntry struct {
	name  string
	typ   byte
	start uint32
	size  uint64
}

// openCFB reads the header, the FAT and the directory; a damaged or
// hostile container is refused (brokenXLS).
func openCFB(data []byte, m *meter) (*cfbFile, error) {
	if len(data) < 512 {
		return nil, brokenXLS()
	}
	shift := binary.LittleEndian.Uint16(data[30:])
	if shift != 9 && shift != 12 {
		return nil, brokenXLS()
	}
	f := &cfbFile{data: data, sectorSize: 1 << shift, m: m,
		version3: binary.LittleEndian.Uint16(data[26:]) == 3 || shift == 9}
	if len(data) < 2*f.sectorSize {
		return nil, brokenXLS()
	}
	// A last sector cut short (some writers stop after the last byte in
	// use) reads as if padded with zeros, as Excel reads it.
	if rest := len(data) % f.sectorSize; rest != 0 {
		if err := m.charge(len(data) + f.sectorSize - rest); err != nil {
			return nil, err
		}
		f.data = append(append(make([]byte, 0, len(data)+f.sectorSize-rest), data...), make([]byte, f.sectorSize-rest)...)
	}
	f.sectors = len(f.data)/f.sectorSize - 1
	if err := f.readFAT(); err != nil {
		return nil, err
	}
	if err := f.readDirectory(); err != nil {
		return nil, err
	}
	return f, nil
}

// readFAT reads the sector table: the number of FAT sectors the header
// declares, found through the DIFAT (109 entries in the header, then a
// chain of DIFAT sectors, each ending with the number of the next).
func (f *cfbFile) readFAT() error {
	count := int(binary.LittleEndian.Uint32(f.data[44:]))
	if count < 1 || count > f.sectors {
		return brokenXLS()
	}
	var difat []uint32
	for i := range cfbHeaderDIFAT {
		difat = append(difat, binary.LittleEndian.Uint32(f.data[76+4*i:]))
	}
	seen := newSectorSet(f.sectors)
	for next := binary.LittleEndian.Uint32(f.data[68:]); len(difat) < count; {
		s, ok := f.sector(next)
		if !ok || !seen.add(next) {
			return brokenXLS()
		}
		for i := 0; i+4 < len(s); i += 4 {
			difat = append(difat, binary.LittleEndian.Uint32(s[i:]))
		}
		next = binary.LittleEndian.Uint32(s[len(s)-4:])
	}
	if err := f.m.charge(count * f.sectorSize); err != nil {
		return err
	}
	f.fat = make([]uint32, 0, count*f.sectorSize/4)
	fatSeen := newSectorSet(f.sectors)
	for _, sn := range difat[:count] {
		s, ok := f.sector(sn)
		if !ok || !fatSeen.add(sn) {
			return brokenXLS()
		}
		for i := 0; i < len(s); i += 4 {
			f.fat = append(f.fat, binary.LittleEndian.Uint32(s[i:]))
		}
	}
	return nil
}

// readDirectory reads every directory entry; the first is the root.
func (f *cfbFile) readDirectory() error {
	dir, err := f.chainToEnd(binary.LittleEndian.Uint32(f.data[48:]))
	if err != nil {
		return err
	}
	for i := 0; i+cfbDirEntry <= len(dir); i += cfbDirEntry {
		e := dir[i : i+cfbDirEntry]
		n := min(int(binary.LittleEndian.Uint16(e[64:])), 64) / 2
		u := make([]uint16, 0, n)
		for k := 0; k < n; k++ {
			if c := binary.LittleEndian.Uint16(e[2*k:]); c != 0 {
				u = append(u, c)
			}
		}
		size := binary.LittleEndian.Uint64(e[120:])
		if f.version3 {
			// Version 3 files have 32-bit sizes; some writers leave
			// garbage in the high half.
			size &= 0xFFFFFFFF
		}
		f.dirs = append(f.dirs, cfbEntry{name: string(utf16.Decode(u)), typ: e[66],
			start: binary.LittleEndian.Uint32(e[116:]), size: size})
	}
	if len(f.dirs) == 0 || f.dirs[0].typ != cfbRootEntry {
		return brokenXLS()
	}
	return f.m.charge(len(f.dirs) * 64)
}

// sector returns sector sn (the header is the sector before sector 0).
func (f *cfbFile) sector(sn uint32) ([]byte, bool) {
	if int64(sn) >= int64(f.sectors) {
		return nil, false
	}
	off := (int(sn) + 1) * f.sectorSize
	return f.data[off : off+f.sectorSize], true
}

// sectorSet remembers the sectors a chain has passed.
type sectorSet []uint64

func newSectorSet(n int) sectorSet { return make(sectorSet, n/64+1) }

// add reports false for a sector already in the set (or outside it).
func (s sectorSet) add(sn uint32) bool {
	i := int(sn / 64)
	if i >= len(s) || s[i]&(1<<(sn%64)) != 0 {
		return false
	}
	s[i] |= 1 << (sn % 64)
	return true
}

// has reports whether sn is in the set.
func (s sectorSet) has(sn uint32) bool {
	i := int(sn / 64)
	return i < len(s) && s[i]&(1<<(sn%64)) != 0
}

// chainToEnd reads a chain of full sectors whose length the file does not
// declare (the directory) up to its end of chain.
func (f *cfbFile) chainToEnd(start uint32) ([]byte, error) {
	seen := newSectorSet(f.sectors)
	var out []byte
	for sn := start; sn != cfbEndOfChain; {
		s, ok := f.sector(sn)
		if !ok || int(sn) >= len(f.fat) || !seen.add(sn) {
			return nil, brokenXLS()
		}
		if err := f.m.charge(len(s)); err != nil {
			return nil, err
		}
		out = append(out, s...)
		sn = f.fat[sn]
	}
	return out, nil
}

// chain reads size bytes from the chain that starts at start, through
// table, in sectors of unit bytes got by sector (of which there are
// count). A size larger than the sectors that exist, a chain that ends or
// leaves the file early, and a loop are refusals.
func (f *cfbFile) chain(start uint32, size uint64, table []uint32, unit, count int, sector func(uint32) ([]byte, bool)) ([]byte, error) {
	need := (size + uint64(unit) - 1) / uint64(unit)
	if need > uint64(count) {
		return nil, brokenXLS()
	}
	if err := f.m.charge(int(need) * unit); err != nil {
		return nil, err
	}
	out := make([]byte, 0, int(need)*unit)
	seen := newSectorSet(count)
	sn := start
	for range need {
		s, ok := sector(sn)
		if !ok || int(sn) >= len(table) || !seen.add(sn) {
			return nil, brokenXLS()
		}
		out = append(out, s...)
		sn = table[sn]
	}
	return out[:size], nil
}

// find returns the stream named one of names (compared as the format
// does, without regard to case), in the order of names.
func (f *cfbFile) find(names ...string) (cfbEntry, bool) {
	for _, name := range names {
		for _, e := range f.dirs {
			if e.typ == cfbStreamEntry && strings.EqualFold(e.name, name) {
				return e, true
			}
		}
	}
	return cfbEntry{}, false
}

// stream returns the content of a stream; a damaged chain is refused.
func (f *cfbFile) stream(e cfbEntry) ([]byte, error) {
	if e.size >= cfbMiniCutoff {
		return f.chain(e.start, e.size, f.fat, f.sectorSize, f.sectors, f.sector)
	}
	// A small stream lives in the mini stream, whose 64-byte sectors are
	// chained by the mini FAT.
	miniFAT, err := f.chainToEnd(binary.LittleEndian.Uint32(f.data[60:]))
	if err != nil {
		return nil, err
	}
	table := make([]uint32, len(miniFAT)/4)
	for i := range table {
		table[i] = binary.LittleEndian.Uint32(miniFAT[4*i:])
	}
	root := f.dirs[0]
	miniSize := (root.size + cfbMiniSector - 1) / cfbMiniSector * cfbMiniSector
	mini, err := f.chain(root.start, miniSize, f.fat, f.sectorSize, f.sectors, f.sector)
	if err != nil {
		return nil, err
	}
	miniSector := func(sn uint32) ([]byte, bool) {
		off := int64(sn) * cfbMiniSector
		if off+cfbMiniSector > int64(len(mini)) {
			return nil, false
		}
		return mini[off : off+cfbMiniSector], true
	}
	return f.chain(e.start, e.size, table, cfbMiniSector, len(mini)/cfbMiniSector, miniSector)
}
