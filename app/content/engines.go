package content

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"jiashu/letters"
	"jiashu/store"
)

// ErrNotApproved: a version that was never approved is asked for where only
// approved content may go (a letter, a parent page).
var ErrNotApproved = errors.New("content: version not approved")

// Engines holds a letters engine per approved content version, sharing the
// parsed fonts of one base engine. Approved versions never change, so an
// engine once built serves for the life of the process.
type Engines struct {
	store *store.Store
	base  *letters.Engine

	mu      sync.Mutex
	engines map[int64]*letters.Engine
	lessons map[int64]*letters.Lessons
}

// NewEngines builds the cache over base (the embedded library's engine).
func NewEngines(st *store.Store, base *letters.Engine) *Engines {
	return &Engines{store: st, base: base, engines: map[int64]*letters.Engine{}, lessons: map[int64]*letters.Lessons{}}
}

// Base is the engine of the embedded library.
func (e *Engines) Base() *letters.Engine { return e.base }

// Approved returns the engine of an approved (or retired) version;
// anything else is ErrNotApproved, so nothing unapproved is ever printed
// or shown to a parent. Version 0 (no pin) is the embedded library.
func (e *Engines) Approved(ctx context.Context, id int64) (*letters.Engine, error) {
	if id == 0 {
		return e.base, nil
	}
	e.mu.Lock()
	eng, ok := e.engines[id]
	e.mu.Unlock()
	if ok {
		return eng, nil
	}
	v, err := e.store.ContentVersion(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.State != store.ContentApproved && v.State != store.ContentRetired {
		return nil, fmt.Errorf("%w: version %d is %s", ErrNotApproved, id, v.State)
	}
	files, err := e.store.ContentFiles(ctx, id)
	if err != nil {
		return nil, err
	}
	eng, err = Files(files).Engine(e.base)
	if err != nil {
		return nil, fmt.Errorf("content: version %d: %w", id, err)
	}
	e.mu.Lock()
	e.engines[id] = eng
	e.mu.Unlock()
	return eng, nil
}

// Library is the method library and templates of an approved version.
func (e *Engines) Library(ctx context.Context, id int64) (*letters.Library, error) {
	eng, err := e.Approved(ctx, id)
	if err != nil {
		return nil, err
	}
	return eng.Library(), nil
}

// Lessons returns the class-meeting kits of an approved version: its own
// lessons/*.txt, or the embedded kits when it carries none.
func (e *Engines) Lessons(ctx context.Context, id int64) (*letters.Lessons, error) {
	e.mu.Lock()
	ls, ok := e.lessons[id]
	e.mu.Unlock()
	if ok {
		return ls, nil
	}
	eng, err := e.Approved(ctx, id)
	if err != nil {
		return nil, err
	}
	files := Files{}
	if id != 0 {
		if files, err = e.store.ContentFiles(ctx, id); err != nil {
			return nil, err
		}
	}
	if files.HasLessons() {
		ls, err = eng.LoadLessons(files.lessonFS())
	} else {
		ls, err = eng.DefaultLessons()
	}
	if err != nil {
		return nil, fmt.Errorf("content: lessons of version %d: %w", id, err)
	}
	e.mu.Lock()
	e.lessons[id] = ls
	e.mu.Unlock()
	return ls, nil
}

// Engine parses the files and returns an engine sharing base's fonts.
func (f Files) Engine(base *letters.Engine) (*letters.Engine, error) {
	lib, err := f.Library()
	if err != nil {
		return nil, err
	}
	return base.WithLibrary(lib)
}
