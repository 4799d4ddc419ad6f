package account

import (
	"context"

	"jiashu/store"
)

// Listed is an account as the lists show it: its school's name and, for a
// teacher, the names of the classes it teaches.
type Listed struct {
	store.User
	School  string
	Classes []string
}

// State is how an account stands: "disabled", "one-time password" (not yet
// changed) or "active".
func (l Listed) State() string {
	switch {
	case l.Disabled:
		return "disabled"
	case l.MustChangePassword:
		return "one-time password"
	}
	return "active"
}

// Users lists the accounts of school schoolID (0: every account).
func Users(ctx context.Context, st *store.Store, schoolID int64) ([]store.User, error) {
	all, err := st.Users(ctx)
	if err != nil || schoolID == 0 {
		return all, err
	}
	var out []store.User
	for _, u := range all {
		if u.SchoolID == schoolID {
			out = append(out, u)
		}
	}
	return out, nil
}

// List lists every account with its school and classes.
func List(ctx context.Context, st *store.Store) ([]Listed, error) {
	users, err := st.Users(ctx)
	if err != nil {
		return nil, err
	}
	schools := map[int64]string{}
	out := make([]Listed, 0, len(users))
	for _, u := range users {
		l := Listed{User: u}
		if u.SchoolID != 0 {
			if _, ok := schools[u.SchoolID]; !ok {
				sc, err := st.School(ctx, u.SchoolID)
				if err != nil {
					return nil, err
				}
				schools[u.SchoolID] = sc.Name
			}
			l.School = schools[u.SchoolID]
		}
		if u.Role == store.RoleTeacher {
			cls, err := st.TeacherClasses(ctx, u.ID)
			if err != nil {
				return nil, err
			}
			for _, c := range cls {
				l.Classes = append(l.Classes, c.Name)
			}
		}
		out = append(out, l)
	}
	return out, nil
}
