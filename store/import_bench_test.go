package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"jiashu/roster"
)

// benchRoster is a 50,000-student school in 1,100 classes (grades 1–12),
// each student with two guardians, one of them sharing a mobile with a
// sibling in every tenth family.
func benchRoster() []roster.Class {
	const students, classes = 50_000, 1_100
	per := students / classes
	var out []roster.Class
	n := 0
	for i := range classes {
		c := genClass(i%12+1, i/12+1, n, per)
		n += per
		if i == classes-1 {
			c = genClass(i%12+1, i/12+1, n-per, students-(n-per))
		}
		for j := range c.Students {
			st := &c.Students[j]
			st.Guardians = append(st.Guardians, roster.Guardian{Name: "父" + st.Name, Relation: "父亲", Mobile: st.Guardians[0].Mobile[:10] + "9"})
		}
		out = append(out, c)
	}
	return out
}

// BenchmarkImportRoster50k measures the store's half of a school import:
// 50,000 new students into an empty database (first), and the same file
// again, everything unchanged (reimport). SQLite always; PostgreSQL too when
// JIASHU_TEST_POSTGRES_DSN is set.
func BenchmarkImportRoster50k(b *testing.B) {
	classes := benchRoster()
	total := 0
	for _, c := range classes {
		total += len(c.Students)
	}
	ctx := context.Background()
	run := func(b *testing.B, newDSN func(testing.TB) string, again bool) {
		var elapsed time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s, err := Open(ctx, newDSN(b))
			if err != nil {
				b.Fatal(err)
			}
			sc, _, err := s.EnsureSchool(ctx, "基准中学")
			if err != nil {
				b.Fatal(err)
			}
			if again {
				if _, err := s.ImportRoster(ctx, sc.ID, classes, ImportOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			start := time.Now()
			res, err := s.ImportRoster(ctx, sc.ID, classes, ImportOptions{})
			elapsed += time.Since(start)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if res.Students != total || (again && res.Unchanged != total) || (!again && res.Added != total) {
				b.Fatalf("result %+v", res)
			}
			s.Close()
		}
		b.ReportMetric(float64(total*b.N)/elapsed.Seconds(), "rows/s")
	}
	for _, be := range testBackends() {
		b.Run(be.name+"/first", func(b *testing.B) { run(b, be.newDSN, false) })
		b.Run(be.name+"/reimport", func(b *testing.B) { run(b, be.newDSN, true) })
	}
}

// BenchmarkImportClassIntoBigSchool measures a teacher's upload: one class
// of 45, one name corrected, into a school of 50,000 students on SQLite —
// the time the database's write lock is held. whole-school forces the path
// a school-wide import takes, for comparison.
func BenchmarkImportClassIntoBigSchool(b *testing.B) {
	classes := benchRoster()
	ctx := context.Background()
	for _, path := range []struct {
		name  string
		limit int
	}{{"class-scoped", defaultSmallImport}, {"whole-school", 0}} {
		b.Run(path.name, func(b *testing.B) {
			s, err := Open(ctx, testBackends()[0].newDSN(b))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			s.smallImport = path.limit
			sc, _, err := s.EnsureSchool(ctx, "基准中学")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.ImportRoster(ctx, sc.ID, classes, ImportOptions{}); err != nil {
				b.Fatal(err)
			}
			one := classes[500]
			one.Students = append([]roster.Student(nil), one.Students...)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				one.Students[0].Name = fmt.Sprintf("改名%d", i)
				res, err := s.ImportRoster(ctx, sc.ID, []roster.Class{one}, ImportOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if res.Updated != 1 || res.Unchanged != len(one.Students)-1 {
					b.Fatalf("result %+v", res)
				}
			}
		})
	}
}
