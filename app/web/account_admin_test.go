package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jiashu/store"
)

// oneTimeRe finds the one-time password a page shows.
var oneTimeRe = regexp.MustCompile(`<code class="secret">([^<]+)</code>`)

// signIn posts the login form and returns where it sends the user ("" when
// the login was refused).
func signIn(t *testing.T, base, username, password string) string {
	t.Helper()
	b := newBrowser(t, base)
	r := b.post("/login", url.Values{"username": {username}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		return ""
	}
	return r.Location
}

func TestAccountManagementScope(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			hash, _ := fixtureHash(testPassword)
			b2, err := f.st.CreateUser(context.Background(), store.User{Username: "adminB2", Role: store.RoleSchoolAdmin, SchoolID: f.schoolB, PasswordHash: hash})
			if err != nil {
				t.Fatal(err)
			}
			id := func(u string) string { return itoa(f.users[u].ID) }
			cases := []struct {
				name, actor, target string
				want                int
			}{
				{"a school admin may not reset their own password here", "adminB", id("adminB"), http.StatusForbidden},
				{"a school admin may not touch a fellow administrator", "adminB", itoa(b2.ID), http.StatusNotFound},
				{"a school admin may not touch another school's teacher", "adminA", id("tc"), http.StatusNotFound},
				{"a school admin may not touch the district", "adminB", id("district"), http.StatusNotFound},
				{"a teacher may not reset anyone", "ta", id("tb"), http.StatusForbidden},
				{"a teacher may not reset themselves", "tc", id("tc"), http.StatusForbidden},
				{"the reviewer may not reset anyone", "reviewer", id("tc"), http.StatusForbidden},
				{"the district may not reset itself", "district", id("district"), http.StatusForbidden},
				{"an unknown account is not found", "district", "999999", http.StatusNotFound},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					b := newBrowser(t, f.srv.URL)
					b.login(tc.actor)
					before := dbFingerprint(t, f.st)
					for _, action := range []string{"reset-password", "disable", "enable"} {
						if r := b.post("/users/"+tc.target+"/"+action, url.Values{"confirm": {"1"}}); r.Status != tc.want {
							t.Errorf("page %s: status %d, want %d", action, r.Status, tc.want)
						}
						if r := b.post("/api/v1/users/"+tc.target+"/"+action, nil, "Content-Type", "application/json"); r.Status != tc.want {
							t.Errorf("API %s: status %d, want %d", action, r.Status, tc.want)
						}
					}
					if dbFingerprint(t, f.st) != before {
						t.Error("a refused request changed the database")
					}
				})
			}
			t.Run("an unconfirmed reset changes nothing", func(t *testing.T) {
				b := newBrowser(t, f.srv.URL)
				b.login("adminB")
				before := dbFingerprint(t, f.st)
				if r := b.post("/users/"+id("tc")+"/reset-password", nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请先勾选") {
					t.Errorf("status %d, want 422 asking for the confirmation", r.Status)
				}
				if r := b.post("/users/"+id("tc")+"/disable", nil); r.Status != http.StatusUnprocessableEntity {
					t.Errorf("disable: status %d, want 422", r.Status)
				}
				if dbFingerprint(t, f.st) != before {
					t.Error("an unconfirmed request changed the database")
				}
			})
		})
	}
}

func TestSchoolAdminResetsTeacherPassword(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			teacher := newBrowser(t, f.srv.URL)
			teacher.login("tc")
			admin := newBrowser(t, f.srv.URL)
			admin.login("adminB")
			if r := admin.get("/schools/" + itoa(f.schoolB)); !strings.Contains(r.Body, "/users/"+itoa(f.users["tc"].ID)+"/reset-password") {
				t.Fatal("the school page offers no password reset for its teacher")
			}
			r := admin.follow(admin.post("/users/"+itoa(f.users["tc"].ID)+"/reset-password", url.Values{"confirm": {"1"}}))
			m := oneTimeRe.FindStringSubmatch(r.Body)
			if r.Status != http.StatusOK || m == nil {
				t.Fatalf("reset: status %d, no one-time password shown; body %.300s", r.Status, r.Body)
			}
			pw := m[1]
			t.Run("the teacher's session ended", func(t *testing.T) {
				if r := teacher.get("/classes"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
					t.Errorf("status %d to %q, want sent to the login page", r.Status, r.Location)
				}
			})
			t.Run("the old password no longer works", func(t *testing.T) {
				if loc := signIn(t, f.srv.URL, "tc", testPassword); loc != "" {
					t.Errorf("signed in with the old password, sent to %q", loc)
				}
			})
			t.Run("the one-time password signs in and forces a change", func(t *testing.T) {
				if loc := signIn(t, f.srv.URL, "tc", pw); loc != "/account/password" {
					t.Errorf("sent to %q, want /account/password", loc)
				}
			})
			t.Run("the reset is audited", func(t *testing.T) {
				var n int
				f.st.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'password_reset'`).Scan(&n)
				if n != 1 {
					t.Errorf("%d password_reset audit entries, want 1", n)
				}
			})
		})
	}
}

func TestDisabledAccountIsLockedOut(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			teacher := newBrowser(t, f.srv.URL)
			teacher.login("tc")
			token, _, err := f.st.CreateAPIToken(context.Background(), f.users["tc"].ID, "脚本")
			if err != nil {
				t.Fatal(err)
			}
			script := newBrowser(t, f.srv.URL)
			if r := script.get("/api/v1/me", "Authorization", "Bearer "+token); r.Status != http.StatusOK {
				t.Fatalf("token before: status %d", r.Status)
			}
			admin := newBrowser(t, f.srv.URL)
			admin.login("adminB")
			r := admin.post("/users/"+itoa(f.users["tc"].ID)+"/disable", url.Values{"confirm": {"1"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("disable: status %d; body %.300s", r.Status, r.Body)
			}
			if page := admin.get(r.Location); !strings.Contains(page.Body, "账号已停用") || !strings.Contains(page.Body, "/users/"+itoa(f.users["tc"].ID)+"/enable") {
				t.Error("the school page neither says the account was disabled nor offers to enable it")
			}
			t.Run("the session stops working", func(t *testing.T) {
				if r := teacher.get("/classes"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
					t.Errorf("status %d to %q, want sent to the login page", r.Status, r.Location)
				}
			})
			t.Run("the API token stops working", func(t *testing.T) {
				if r := script.get("/api/v1/me", "Authorization", "Bearer "+token); r.Status != http.StatusUnauthorized {
					t.Errorf("status %d, want 401", r.Status)
				}
			})
			t.Run("the user cannot sign in", func(t *testing.T) {
				if loc := signIn(t, f.srv.URL, "tc", testPassword); loc != "" {
					t.Errorf("signed in, sent to %q", loc)
				}
			})
			t.Run("enabled again, the user signs in and the token works", func(t *testing.T) {
				if r := admin.post("/users/"+itoa(f.users["tc"].ID)+"/enable", nil); r.Status != http.StatusSeeOther {
					t.Fatalf("enable: status %d", r.Status)
				}
				if loc := signIn(t, f.srv.URL, "tc", testPassword); loc == "" {
					t.Error("refused after enabling")
				}
				if r := script.get("/api/v1/me", "Authorization", "Bearer "+token); r.Status != http.StatusOK {
					t.Errorf("token: status %d, want 200", r.Status)
				}
			})
		})
	}
}

func TestDistrictManagesSchoolAdminsThroughPageAndAPI(t *testing.T) {
	t.Parallel()
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWebFixture(t, dsn)
			district := newBrowser(t, f.srv.URL)
			district.login("district")
			adminID := itoa(f.users["adminA"].ID)
			if r := district.get("/district"); !strings.Contains(r.Body, "/users/"+adminID+"/disable") {
				t.Fatal("the district page offers no disable for a school administrator")
			}
			t.Run("the page reset shows the password on the district page", func(t *testing.T) {
				r := district.follow(district.post("/users/"+adminID+"/reset-password", url.Values{"confirm": {"1"}}))
				m := oneTimeRe.FindStringSubmatch(r.Body)
				if r.Status != http.StatusOK || m == nil || !strings.Contains(r.Body, "阳光小学") {
					t.Fatalf("status %d, password or school missing; body %.300s", r.Status, r.Body)
				}
				if loc := signIn(t, f.srv.URL, "adminA", m[1]); loc != "/account/password" {
					t.Errorf("sign-in with the new password sent to %q, want /account/password", loc)
				}
			})
			t.Run("the API resets a teacher and disables an administrator", func(t *testing.T) {
				r := district.post("/api/v1/users/"+itoa(f.users["ta"].ID)+"/reset-password", nil, "Content-Type", "application/json")
				var out struct {
					User     apiUser `json:"user"`
					Password string  `json:"one_time_password"`
				}
				if err := json.Unmarshal([]byte(r.Body), &out); r.Status != http.StatusOK || err != nil || out.Password == "" {
					t.Fatalf("status %d, body %s", r.Status, r.Body)
				}
				if loc := signIn(t, f.srv.URL, "ta", out.Password); loc != "/account/password" {
					t.Errorf("sent to %q, want /account/password", loc)
				}
				r = district.post("/api/v1/users/"+itoa(f.users["adminB"].ID)+"/disable", nil, "Content-Type", "application/json")
				if r.Status != http.StatusOK || !strings.Contains(r.Body, `"disabled":true`) {
					t.Fatalf("disable: status %d, body %s", r.Status, r.Body)
				}
				if loc := signIn(t, f.srv.URL, "adminB", testPassword); loc != "" {
					t.Errorf("a disabled administrator signed in, sent to %q", loc)
				}
			})
		})
	}
}
