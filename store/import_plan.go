package store

import (
	"slices"

	"jiashu/roster"
)

// This file is the decision half of ImportRoster: what the stored school
// and the file's records say must change. It reads no database, so every
// rule (who is added, updated, transferred; which guardians siblings share)
// is tested in import_plan_test.go without one; import_load.go reads the
// state it needs and import_write.go applies the plan.

type classKey struct{ grade, number int }

type guardianTuple struct{ name, relation, mobile string }

// sharedKey is the identity under which siblings at one school share a
// guardian row: the same name and the same mobile.
func sharedKey(name, mobile string) string { return name + "\x00" + mobile }

// importState is what the database holds that one import can change.
type importState struct {
	classes  map[classKey]storedClass  // every class of the school
	students map[string]*storedStudent // by number: the students the import can touch
	shared   map[string]storedGuardian // by sharedKey: the school's guardians with a mobile
}

type storedClass struct {
	id         int64
	name, head string
}

type storedStudent struct {
	id, classID         int64
	name, gender, birth string
	active              bool
	guardians           []guardianTuple // in roster order, each with the child's relation
	guardianIDs         []int64         // the rows behind guardians
}

// unchanged says whether the row st, in the class with id classID (0 for
// a class the import creates), leaves the student's own fields as stored
// and the student active.
func (old *storedStudent) unchanged(classID int64, st *roster.Student) bool {
	return old.active && classID != 0 && old.classID == classID &&
		old.name == st.Name && old.gender == st.Gender && old.birth == st.BirthDate
}

type storedGuardian struct {
	id       int64
	relation string
}

// ref names a row the plan writes to: a stored row (id set), or the
// index-th row the plan itself adds (id 0), whose id is known only once the
// writers have allocated it.
type ref struct {
	id    int64
	index int
}

// resolve returns the row's id, given the ids allocated for the plan's new
// rows.
func (r ref) resolve(added []int64) int64 {
	if r.id != 0 {
		return r.id
	}
	return added[r.index]
}

// importPlan is everything one import changes.
type importPlan struct {
	classes      []plannedClass   // the file's classes, in file order
	add          []plannedStudent // new student numbers
	update       []plannedStudent // changed or reactivated students
	unchanged    int              // students exactly as stored
	unlink       []int64          // students whose guardian links are replaced
	guardians    []guardianTuple  // guardian rows to create
	fixRelations []relationFix    // shared guardians whose blank relation the file fills
	links        []plannedLink    // student → guardian links to create
	tidy         []int64          // guardians that lose links: removed if nobody links to them any more
	transfer     []int64          // students of the imported classes missing from the file
	transferName []string         // their names with numbers ("王小明（A0001）"), in the order of transfer
	// oversize are the imported classes that would hold more active
	// students than the import allows a class (ImportOptions.MaxClassStudents).
	oversize []ClassSize
}

// ClassSize is a class and how many active students it would hold.
type ClassSize struct {
	Name     string
	Students int
}

type plannedClass struct {
	key        classKey
	id         int64  // 0: the import creates the class
	name, head string // as stored after the import
	changed    bool   // an existing class whose name or head teacher changes
	students   int    // students of this class in the file
	// rosterHead is the head teacher the file names when it differs from
	// the one the class has recorded, which is kept (HeadTeacherNote).
	rosterHead string
}

type plannedStudent struct {
	id    int64 // 0 for a new student
	class classKey
	st    *roster.Student
}

type relationFix struct {
	guardianID int64
	relation   string
}

type plannedLink struct {
	student  ref // stored student, or index into add
	guardian ref // stored guardian, or index into guardians
	position int
	relation string // the child's own relation to the guardian
}

// planImport decides what importing file (classes merged by grade and
// number, student numbers unique) into a school holding state changes.
// Students are matched by number: a new number is added; a changed name,
// gender, birth date, class or guardian list, or a transferred student who
// appears again, is an update; students of the file's classes missing from
// it are transferred (kept, never deleted) unless keepMissing. Guardians
// with a mobile are shared by name and mobile among the school's students.
func planImport(file []roster.Class, state importState, keepMissing bool, maxClass int) importPlan {
	var p importPlan
	total := 0
	for _, c := range file {
		total += len(c.Students)
	}
	// Sized for the common first import, where every row is new.
	p.add = make([]plannedStudent, 0, total-min(total, len(state.students)))
	inFile := make(map[string]bool, len(state.students))
	type relinked struct {
		student   ref
		guardians []guardianTuple
	}
	var relinkStored []relinked
	for i := range file {
		c := &file[i]
		pc := planClass(c, state.classes)
		p.classes = append(p.classes, pc)
		for j := range c.Students {
			st := &c.Students[j]
			old := state.students[st.Number]
			if old == nil {
				p.add = append(p.add, plannedStudent{class: pc.key, st: st})
				continue
			}
			inFile[st.Number] = true
			want := wantedGuardians(st.Guardians)
			sameGuardians := slices.Equal(old.guardians, want)
			if sameGuardians && old.unchanged(pc.id, st) {
				p.unchanged++
				continue
			}
			p.update = append(p.update, plannedStudent{id: old.id, class: pc.key, st: st})
			if !sameGuardians {
				relinkStored = append(relinkStored, relinked{ref{id: old.id}, want})
				p.unlink = append(p.unlink, old.id)
				p.tidy = append(p.tidy, old.guardianIDs...)
			}
		}
	}

	// Link the changed students first, then the new ones, each to a shared
	// guardian row when one exists and to a new row otherwise.
	g := guardianPlanner{plan: &p, shared: state.shared, created: map[string]int{}, filled: map[int64]bool{}}
	for _, r := range relinkStored {
		g.link(r.student, r.guardians)
	}
	for i, a := range p.add {
		g.link(ref{index: i}, wantedGuardians(a.st.Guardians))
	}

	if !keepMissing {
		p.transfer = transferred(p.classes, state.students, inFile)
		byID := make(map[int64]string, len(p.transfer))
		for number, st := range state.students {
			byID[st.id] = st.name + "（" + number + "）"
		}
		for _, id := range p.transfer {
			p.transferName = append(p.transferName, byID[id])
		}
	}
	if maxClass > 0 {
		p.oversize = oversize(p.classes, state.students, inFile, p.transfer, maxClass)
	}
	return p
}

// oversize lists the imported classes that would hold more than max
// active students after the import: the file's students of the class and
// the stored ones it keeps (missing from the file, not transferred).
func oversize(classes []plannedClass, students map[string]*storedStudent, inFile map[string]bool, transfer []int64, max int) []ClassSize {
	kept := map[int64]int{}
	for number, st := range students {
		if st.active && !inFile[number] && !slices.Contains(transfer, st.id) {
			kept[st.classID]++
		}
	}
	var out []ClassSize
	for _, c := range classes {
		n := c.students
		if c.id != 0 {
			n += kept[c.id]
		}
		if n > max {
			out = append(out, ClassSize{Name: c.name, Students: n})
		}
	}
	return out
}

// planClass is what becomes of one class of the file: created, or updated
// with the name the file gives (a blank keeps the stored one). The head
// teacher the class's letters sign with is the school's to change (on the
// class page): the file fills it only while the class has none, and a
// different name in the file is reported, the recorded one kept.
func planClass(c *roster.Class, stored map[classKey]storedClass) plannedClass {
	k := classKey{c.Grade, c.Number}
	pc := plannedClass{key: k, name: c.Name, head: c.HeadTeacher, students: len(c.Students)}
	old, ok := stored[k]
	if !ok {
		return pc
	}
	pc.id = old.id
	if pc.name == "" {
		pc.name = old.name
	}
	if pc.head != old.head && old.head != "" {
		if pc.head != "" {
			pc.rosterHead = pc.head
		}
		pc.head = old.head
	}
	pc.changed = pc.name != old.name || pc.head != old.head
	return pc
}

// guardianPlanner assigns guardian rows to the students being linked.
type guardianPlanner struct {
	plan    *importPlan
	shared  map[string]storedGuardian
	created map[string]int // sharedKey → index of a row this import creates
	filled  map[int64]bool // shared rows whose blank relation is already being filled
}

func (g *guardianPlanner) link(student ref, guardians []guardianTuple) {
	p := g.plan
	for pos, gd := range guardians {
		l := plannedLink{student: student, position: pos, relation: gd.relation}
		key := sharedKey(gd.name, gd.mobile)
		if sg, ok := g.shared[key]; ok && gd.mobile != "" {
			// The child's own spelling goes on the link; the shared row only
			// fills a blank, so siblings' rosters spelling the relation
			// differently do not overwrite each other.
			if gd.relation != "" && sg.relation == "" && !g.filled[sg.id] {
				g.filled[sg.id] = true
				p.fixRelations = append(p.fixRelations, relationFix{sg.id, gd.relation})
			}
			l.guardian = ref{id: sg.id}
			p.links = append(p.links, l)
			continue
		}
		if i, ok := g.created[key]; ok && gd.mobile != "" {
			l.guardian = ref{index: i}
			p.links = append(p.links, l)
			continue
		}
		if gd.mobile != "" {
			g.created[key] = len(p.guardians)
		}
		l.guardian = ref{index: len(p.guardians)}
		p.guardians = append(p.guardians, gd)
		p.links = append(p.links, l)
	}
}

// transferred lists, by id, the active students of the file's stored
// classes whose numbers are not in the file.
func transferred(classes []plannedClass, students map[string]*storedStudent, inFile map[string]bool) []int64 {
	imported := map[int64]bool{}
	for _, c := range classes {
		if c.id != 0 {
			imported[c.id] = true
		}
	}
	var gone []int64
	for number, st := range students {
		if st.active && !inFile[number] && imported[st.classID] {
			gone = append(gone, st.id)
		}
	}
	slices.Sort(gone)
	return gone
}

// wantedGuardians is the guardian list a roster row asks for: rows with
// neither name nor mobile dropped, repeats of the same person dropped.
func wantedGuardians(gs []roster.Guardian) []guardianTuple {
	out := make([]guardianTuple, 0, len(gs))
	seen := map[string]bool{}
	for _, g := range gs {
		if g.Name == "" && g.Mobile == "" {
			continue
		}
		key := sharedKey(g.Name, g.Mobile)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, guardianTuple{g.Name, g.Relation, g.Mobile})
	}
	return out
}

// result is the report of the plan: classIDs gives the ids of the classes
// the writers created (nil in a dry run, where they stay 0).
func (p importPlan) result(classIDs map[classKey]int64, dryRun bool) ImportResult {
	res := ImportResult{
		Added: len(p.add), Updated: len(p.update), Unchanged: p.unchanged, Deactivated: len(p.transfer), DryRun: dryRun,
		Transferred: p.transferName,
	}
	for _, c := range p.classes {
		id := c.id
		if id == 0 {
			id = classIDs[c.key]
		}
		res.Classes = append(res.Classes, ImportedClass{
			ID: id, Grade: c.key.grade, Number: c.key.number, Name: c.name, Students: c.students, Created: c.id == 0,
		})
		res.Students += c.students
		if c.rosterHead != "" {
			res.HeadTeachers = append(res.HeadTeachers, HeadTeacherNote{Grade: c.key.grade, Number: c.key.number, Class: c.name, Recorded: c.head, Roster: c.rosterHead})
		}
	}
	return res
}
