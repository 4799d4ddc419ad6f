package letters

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ClassLetters is one class's letters, written as one PDF.
type ClassLetters struct {
	ClassName string // names the file: 三年级2班.pdf
	Letters   []Letter
}

// BatchOptions control output of many class PDFs.
type BatchOptions struct {
	Options
	// Workers is the number of classes typeset at once; 0 means every core.
	Workers int
	// Progress, if set, is called after each class is written, in order,
	// from the calling goroutine.
	Progress func(done, total int)
}

// WriteClasses typesets a PDF per class on all cores and hands them to
// sink one by one in input order, together with a unique file name. At most
// two PDFs per worker are held in memory, so a district's run streams.
// It stops at the first error.
func (e *Engine) WriteClasses(classes []ClassLetters, opt BatchOptions, sink func(name string, pdf []byte) error) (Stats, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		buf *bytes.Buffer
		st  Stats
		err error
	}
	results := make([]chan result, len(classes))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	slots := make(chan struct{}, 2*workers) // bounds PDFs in flight
	var stop atomic.Bool
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if stop.Load() {
					results[i] <- result{err: errStopped}
					continue
				}
				buf := bufs.Get().(*bytes.Buffer)
				buf.Reset()
				st, err := e.WriteLetters(buf, classes[i].Letters, opt.Options)
				if err != nil {
					err = fmt.Errorf("letters: class %q: %w", classes[i].ClassName, err)
				}
				results[i] <- result{buf, st, err}
			}
		}()
	}
	go func() {
		for i := range classes {
			slots <- struct{}{}
			jobs <- i
		}
		close(jobs)
	}()

	var total Stats
	names := newFileNamer()
	var firstErr error
	for i := range classes {
		r := <-results[i]
		<-slots
		if firstErr != nil {
			continue // drain so the workers finish
		}
		if r.err != nil {
			firstErr = r.err
			stop.Store(true)
			continue
		}
		for k := range r.st.Attention {
			r.st.Attention[k].ClassName = classes[i].ClassName
		}
		total.add(r.st)
		if err := sink(names.name(classes[i].ClassName), r.buf.Bytes()); err != nil {
			firstErr = err
			stop.Store(true)
		}
		bufs.Put(r.buf)
		if opt.Progress != nil {
			opt.Progress(i+1, len(classes))
		}
	}
	wg.Wait()
	if firstErr != nil {
		return total, firstErr
	}
	return total, nil
}

var errStopped = fmt.Errorf("letters: stopped after an earlier error")

// WriteSchoolZip streams a ZIP with a PDF per class (三年级2班.pdf …) to w.
// Stats.Bytes counts the PDF bytes before compression into the ZIP.
func (e *Engine) WriteSchoolZip(w io.Writer, classes []ClassLetters, opt BatchOptions) (Stats, error) {
	zw := zip.NewWriter(w)
	var date time.Time
	if len(classes) > 0 && len(classes[0].Letters) > 0 {
		date = classes[0].Letters[0].Date
	}
	st, err := e.WriteClasses(classes, opt, func(name string, pdf []byte) error {
		// PDFs are compressed already: store them, which keeps the ZIP
		// step cheap.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: date})
		if err != nil {
			return fmt.Errorf("letters: zip: %w", err)
		}
		_, err = f.Write(pdf)
		return err
	})
	if err != nil {
		return st, err
	}
	if err := zw.Close(); err != nil {
		return st, fmt.Errorf("letters: zip: %w", err)
	}
	return st, nil
}

// fileNamer makes safe, unique file names from class names.
type fileNamer map[string]int

func newFileNamer() fileNamer { return fileNamer{} }

func (n fileNamer) name(class string) string {
	base := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(class))
	base = strings.Trim(base, ". ")
	if base == "" {
		base = "班级"
	}
	n[base]++
	if c := n[base]; c > 1 {
		base = fmt.Sprintf("%s（%d）", base, c)
	}
	return base + ".pdf"
}
