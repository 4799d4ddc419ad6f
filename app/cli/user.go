package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"jiashu/app/account"
	"jiashu/app/config"
	"jiashu/grade"
	"jiashu/store"
)

// roleNames maps what an administrator types to a role: the English id or
// the Chinese name.
var roleNames = map[string]store.Role{
	"district_admin": store.RoleDistrictAdmin, "教管中心": store.RoleDistrictAdmin,
	"reviewer": store.RoleReviewer, "审核员": store.RoleReviewer,
	"school_admin": store.RoleSchoolAdmin, "学校管理员": store.RoleSchoolAdmin,
	"teacher": store.RoleTeacher, "班主任": store.RoleTeacher,
}

// stringList is a repeatable string flag (--class A --class B).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// cmdUser: app user add|reset-password|unlock|list.
func cmdUser(ctx context.Context, e *env, args []string) int {
	const usage = "usage: app user add --username U --role R [--name NAME] [--school SCHOOL] [--class CLASS …]\n" +
		"       app user reset-password USERNAME\n       app user unlock USERNAME\n       app user list"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, usage)
		return exitUnusable
	}
	switch args[0] {
	case "add":
		return cmdUserAdd(ctx, e, args[1:])
	case "reset-password":
		return cmdUserReset(ctx, e, args[1:])
	case "list":
		return cmdUserList(ctx, e, args[1:])
	case "unlock":
		return cmdUserUnlock(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "app user: unknown action %q\n%s\n", args[0], usage)
	return exitUnusable
}

func cmdUserAdd(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	var username, roleName, display, schoolName string
	var classes stringList
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.StringVar(&username, "username", "", "login name")
	fs.StringVar(&roleName, "role", "", "district_admin (教管中心), reviewer (审核员), school_admin (学校管理员) or teacher (班主任)")
	fs.StringVar(&display, "name", "", "display name, e.g. 李老师")
	fs.StringVar(&schoolName, "school", "", "school (required for school_admin and teacher; created if new)")
	fs.Var(&classes, "class", "a class the teacher is assigned, e.g. 三年级2班 (repeatable; created if new)")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	role, ok := roleNames[roleName]
	var problems []string
	if strings.TrimSpace(username) == "" {
		problems = append(problems, "--username is required")
	} else if name, err := store.NormalizeUsername(username); err != nil {
		var bad *store.UsernameError
		if errors.As(err, &bad) {
			problems = append(problems, "--username: "+bad.Message)
		}
	} else {
		username = name
	}
	if !ok {
		problems = append(problems, fmt.Sprintf("--role %q is not one of district_admin, reviewer, school_admin, teacher", roleName))
	}
	needsSchool := role == store.RoleSchoolAdmin || role == store.RoleTeacher
	if needsSchool && strings.TrimSpace(schoolName) == "" {
		problems = append(problems, "--school is required for "+string(role))
	}
	if !needsSchool && schoolName != "" {
		problems = append(problems, "--school is only for school_admin and teacher")
	}
	if len(classes) > 0 && role != store.RoleTeacher {
		problems = append(problems, "--class is only for teachers")
	}
	type gc struct{ g, c int }
	var parsed []gc
	for _, name := range classes {
		g, c, ok := grade.ParseClassName(name)
		if !ok {
			problems = append(problems, fmt.Sprintf("--class %q is not a class name such as 三年级2班", name))
			continue
		}
		parsed = append(parsed, gc{g, c})
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "app user add:\n  %s\n", strings.Join(problems, "\n  "))
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "app user add: %v\n", err)
		return exitUnusable
	}
	defer st.Close()
	u := store.User{Username: strings.TrimSpace(username), DisplayName: display, Role: role, MustChangePassword: true}
	if needsSchool {
		sc, _, err := st.EnsureSchool(ctx, schoolName)
		if err != nil {
			fmt.Fprintf(e.stderr, "app user add: %v\n", err)
			return exitUnusable
		}
		u.SchoolID = sc.ID
	}
	if _, err := st.UserByUsername(ctx, u.Username); err == nil {
		fmt.Fprintf(e.stderr, "app user add: 用户名 %q 已被使用（用户名不区分大小写）/ username %q is taken (usernames ignore case)\n", u.Username, u.Username)
		return exitUnusable
	} else if !errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(e.stderr, "app user add: %v\n", err)
		return exitUnusable
	}
	pw := account.OneTimePassword()
	if u.PasswordHash, err = account.Hash(pw); err != nil {
		fmt.Fprintf(e.stderr, "app user add: %v\n", err)
		return exitUnusable
	}
	u, err = st.CreateUser(ctx, u)
	if err != nil {
		fmt.Fprintf(e.stderr, "app user add: %v\n", err)
		return exitUnusable
	}
	var names []string
	for _, p := range parsed {
		cl, err := st.EnsureClass(ctx, u.SchoolID, p.g, p.c, grade.ClassName(p.g, p.c))
		if err == nil {
			err = st.AssignTeacher(ctx, u.ID, cl.ID)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "app user add: %v\n", err)
			return exitUnusable
		}
		names = append(names, cl.Name)
	}
	st.Audit(ctx, 0, "user_created", fmt.Sprintf("%s (%s) by CLI %s", u.Username, u.Role, strings.Join(names, " ")))
	fmt.Fprintf(e.stdout, "已创建账号 %s（%s）", u.Username, roleLabel(u.Role))
	if len(names) > 0 {
		fmt.Fprintf(e.stdout, "，班级：%s", strings.Join(names, "、"))
	}
	fmt.Fprintf(e.stdout, "\n一次性密码：%s\n（首次登录后须修改密码 / must be changed at first sign-in）\n", pw)
	return exitOK
}

func cmdUserReset(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("user reset-password", flag.ContinueOnError)
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: app user reset-password USERNAME")
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "app user reset-password: %v\n", err)
		return exitUnusable
	}
	defer st.Close()
	u, err := st.UserByUsername(ctx, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "app user reset-password: no user %q\n", fs.Arg(0))
		return exitUnusable
	}
	pw := account.OneTimePassword()
	hash, err := account.Hash(pw)
	if err == nil {
		err = st.SetPassword(ctx, u.ID, hash, true)
	}
	if err == nil {
		err = st.DeleteUserSessions(ctx, u.ID, "")
	}
	if err == nil {
		err = st.UnlockLogin(ctx, u.Username)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "app user reset-password: %v\n", err)
		return exitUnusable
	}
	st.Audit(ctx, 0, "password_reset", u.Username+" by CLI; sessions ended, API tokens revoked, sign-in unlocked")
	fmt.Fprintf(e.stdout, "已重置 %s 的密码：其登录已全部退出，API 令牌已全部作废，登录锁定（如有）已解除。\n一次性密码：%s\n", u.Username, pw)
	return exitOK
}

func cmdUserList(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "app user list: %v\n", err)
		return exitUnusable
	}
	defer st.Close()
	users, err := st.Users(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "app user list: %v\n", err)
		return exitUnusable
	}
	schools := map[int64]string{}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tNAME\tROLE\tSCHOOL\tCLASSES\tSTATE")
	for _, u := range users {
		school := ""
		if u.SchoolID != 0 {
			if _, ok := schools[u.SchoolID]; !ok {
				if sc, err := st.School(ctx, u.SchoolID); err == nil {
					schools[u.SchoolID] = sc.Name
				}
			}
			school = schools[u.SchoolID]
		}
		var classes []string
		if u.Role == store.RoleTeacher {
			cls, err := st.TeacherClasses(ctx, u.ID)
			if err != nil {
				fmt.Fprintf(e.stderr, "app user list: %v\n", err)
				return exitUnusable
			}
			for _, c := range cls {
				classes = append(classes, c.Name)
			}
		}
		state := "active"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.MustChangePassword:
			state = "one-time password"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.DisplayName, u.Role, school, strings.Join(classes, ","), state)
	}
	w.Flush()
	return exitOK
}

// roleLabel is the Chinese name of a role, for the CLI.
func roleLabel(r store.Role) string {
	for name, role := range roleNames {
		if role == r && !strings.ContainsAny(name, "_abcdefghijklmnopqrstuvwxyz") {
			return name
		}
	}
	return string(r)
}
