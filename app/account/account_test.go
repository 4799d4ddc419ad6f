package account

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"jiashu/problem"
	"jiashu/store"
	"jiashu/store/storetest"
)

// accountStores runs f on each real database with a seeded school.
func accountStores(t *testing.T, f func(t *testing.T, st *store.Store, school storetest.School)) {
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := storetest.Open(t, dsn)
			f(t, st, storetest.Seed(t, st, 1, 2))
		})
	}
}

func TestCreateGivesAOneTimePasswordAndAuditsWhoDidIt(t *testing.T) {
	t.Parallel()
	accountStores(t, func(t *testing.T, st *store.Store, sc storetest.School) {
		ctx := context.Background()
		acc, err := Create(ctx, st, Actor{By: "CLI (root)"}, New{Username: "  Wang.Li ", DisplayName: " 王老师 ", Role: store.RoleTeacher, SchoolID: sc.SchoolID})
		if err != nil {
			t.Fatal(err)
		}
		u, err := st.UserByUsername(ctx, "wang.li")
		if err != nil || u.Username != "Wang.Li" || u.DisplayName != "王老师" || !u.MustChangePassword || !Check(u.PasswordHash, acc.Password) {
			t.Fatalf("stored %+v (%v); the one-time password must sign in and be changed first", u, err)
		}
		log, _ := st.AuditLog(ctx, 5)
		if len(log) == 0 || log[0].Action != "user_created" || !strings.HasSuffix(log[0].Detail, "by CLI (root)") {
			t.Errorf("audit %+v", log)
		}
	})
}

func TestCreateRefusesWhatThePageMustSay(t *testing.T) {
	t.Parallel()
	accountStores(t, func(t *testing.T, st *store.Store, sc storetest.School) {
		ctx := context.Background()
		for _, tc := range []struct {
			name string
			n    New
			want string // in the message
		}{
			{"a taken username in another case", New{Username: "LITEACHER"}, "已被使用"},
			{"a username with a space", New{Username: "wang li"}, "不能用"},
			{"a display name of 41 characters", New{Username: "wang", DisplayName: strings.Repeat("王", 41)}, "最多 40 个字"},
			{"a control character in the display name", New{Username: "wang", DisplayName: "王\x00"}, "控制字符"},
		} {
			tc.n.Role, tc.n.SchoolID = store.RoleTeacher, sc.SchoolID
			_, err := Create(ctx, st, Actor{}, tc.n)
			if problem.Code(err) != problem.Invalid || !strings.Contains(problem.Message(err), tc.want) {
				t.Errorf("%s: %v, want a refusal saying %q", tc.name, err, tc.want)
			}
		}
		if users, _ := st.Users(ctx); len(users) != 1 {
			t.Errorf("%d accounts after refusals, want only the seeded teacher", len(users))
		}
	})
}

func TestOneOfTwoSimultaneousCreationsOfAUsernameIsRefused(t *testing.T) {
	t.Parallel()
	accountStores(t, func(t *testing.T, st *store.Store, sc storetest.School) {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = Create(context.Background(), st, Actor{}, New{Username: "zhang", Role: store.RoleTeacher, SchoolID: sc.SchoolID})
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case problem.Code(err) != problem.Invalid:
				t.Errorf("a creation lost to another answered %v, want the taken-username refusal", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of 4 simultaneous creations of one username succeeded, want 1", ok)
		}
	})
}

func TestResetPasswordSignsOutAndRevokesTokens(t *testing.T) {
	t.Parallel()
	accountStores(t, func(t *testing.T, st *store.Store, sc storetest.School) {
		ctx := context.Background()
		u, _ := st.User(ctx, sc.TeacherID)
		session, _ := st.CreateSession(ctx, u.ID, time.Hour)
		token, _, _ := st.CreateAPIToken(ctx, u.ID, "脚本")
		pw, err := ResetPassword(ctx, st, Actor{ID: 0, By: "CLI (root)"}, u)
		if err != nil {
			t.Fatal(err)
		}
		u2, _ := st.User(ctx, u.ID)
		if !Check(u2.PasswordHash, pw) || !u2.MustChangePassword {
			t.Error("the new password is not a one-time password")
		}
		if _, _, err := st.SessionUser(ctx, session); err == nil {
			t.Error("the session survived the reset")
		}
		if _, err := st.UserByAPIToken(ctx, token); err == nil {
			t.Error("the API token survived the reset")
		}
	})
}

func TestChangePasswordKeepsThisSessionAndRefusesWeakOrRepeated(t *testing.T) {
	t.Parallel()
	accountStores(t, func(t *testing.T, st *store.Store, sc storetest.School) {
		ctx := context.Background()
		u, _ := st.User(ctx, sc.TeacherID)
		mine, _ := st.CreateSession(ctx, u.ID, time.Hour)
		other, _ := st.CreateSession(ctx, u.ID, time.Hour)
		const cur = "Old-secret-2026"
		for _, ch := range []Change{
			{Current: cur, New: "123456", Confirm: "123456"},
			{Current: cur, New: "Ziyuan-Lu-1987!", Confirm: "Ziyuan-Lu-1988!"},
			{Current: cur, New: cur, Confirm: cur},
		} {
			if err := ChangePassword(ctx, st, Actor{ID: u.ID}, u, ch); problem.Code(err) != problem.Invalid || problem.Message(err) == "" {
				t.Errorf("%+v: %v, want a refusal with a message", ch, err)
			}
		}
		ch := Change{Current: cur, New: "Ziyuan-Lu-1987!", Confirm: "Ziyuan-Lu-1987!", KeepSession: mine}
		if err := ChangePassword(ctx, st, Actor{ID: u.ID}, u, ch); err != nil {
			t.Fatal(err)
		}
		u2, _ := st.User(ctx, u.ID)
		if !Check(u2.PasswordHash, ch.New) || u2.MustChangePassword {
			t.Error("the new password is not stored")
		}
		if _, _, err := st.SessionUser(ctx, mine); err != nil {
			t.Error("the session that changed the password was signed out")
		}
		if _, _, err := st.SessionUser(ctx, other); err == nil {
			t.Error("another session survived the change")
		}
	})
}

func TestDisabledAccountsListWithTheirSchoolAndClasses(t *testing.T) {
	t.Parallel()
	accountStores(t, func(t *testing.T, st *store.Store, sc storetest.School) {
		ctx := context.Background()
		u, _ := st.User(ctx, sc.TeacherID)
		if err := SetDisabled(ctx, st, Actor{}, u, true); err != nil {
			t.Fatal(err)
		}
		list, err := List(ctx, st)
		if err != nil || len(list) != 1 {
			t.Fatalf("%+v %v", list, err)
		}
		if l := list[0]; l.School != "阳光实验小学" || len(l.Classes) != 1 || l.Classes[0] != "三年级1班" || l.State() != "disabled" {
			t.Errorf("listed %+v as %s", l, l.State())
		}
		if mine, _ := Users(ctx, st, sc.SchoolID+1); len(mine) != 0 {
			t.Errorf("another school lists %d accounts", len(mine))
		}
	})
}
