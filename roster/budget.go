package roster

import (
	"context"
	"fmt"
)

// A parse is bounded by its input: every reader charges what it holds in
// memory (cells, strings, streams, rows) to a meter before it allocates
// it, and the meter refuses the file once the charges pass the budget,
// by default 20 times the file's size plus 64 MB. The charges are
// estimates on the safe side (a string's header and bytes, a row's
// slice), so that the heap a parse really holds stays below the budget
// (BenchmarkParseDamaged and TestReadersStayWithinTheirBudget measure
// it). The same meter carries the caller's context: readers poll it as
// they go, and a parse whose request has ended stops with ctx's error.

const (
	budgetPerByte  = 20
	budgetConstant = 64 << 20
	// stringCost is what a string held in a slice costs beyond its bytes.
	stringCost = 16
	// ctxEvery is how many charges pass between two looks at the context.
	ctxEvery = 1 << 12
)

// CodeTooComplex is the FileError code of a file whose reading would hold
// more memory than the parse's budget.
const CodeTooComplex = "too_complex"

// meter is the budget and the context of one parse.
type meter struct {
	ctx   context.Context
	limit int64
	used  int64
	ticks int
}

// newMeter gives a parse of size bytes its budget: max if positive, else
// the default for that size.
func newMeter(ctx context.Context, size int, max int64) *meter {
	if max <= 0 {
		max = defaultBudget(size)
	}
	return &meter{ctx: ctx, limit: max}
}

// defaultBudget is 20 times the file's size plus 64 MB.
func defaultBudget(size int) int64 { return budgetPerByte*int64(size) + budgetConstant }

// charge accounts for n more bytes held; it refuses the file past the
// budget and answers ctx's error once the request has ended.
func (m *meter) charge(n int) error {
	m.used += int64(n)
	if m.used > m.limit {
		return tooComplex(m.limit)
	}
	return m.tick()
}

// chargeStrings accounts for strings held in a slice: their bytes and
// headers.
func (m *meter) chargeStrings(ss []string) error {
	n := len(ss) * stringCost
	for _, s := range ss {
		n += len(s)
	}
	return m.charge(n)
}

// tick is a step of work that holds nothing new: every ctxEvery steps it
// looks at the context.
func (m *meter) tick() error {
	m.ticks++
	if m.ticks%ctxEvery == 0 {
		return m.ctx.Err()
	}
	return nil
}

// room reports whether n more bytes fit in the budget, without charging
// them: for sizes a file declares, checked before anything is read.
func (m *meter) room(n int64) bool { return n >= 0 && m.used+n <= m.limit }

func tooComplex(limit int64) *FileError {
	return fileError(CodeTooComplex, fmt.Sprintf(
		"这个文件读取时需要的内存超过上限（%s），不是正常的花名册：请删除多余的工作表、空行空列和格式，或按班级分成几个文件后再上传。",
		humanSize(limit)))
}
