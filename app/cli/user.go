package cli

import (
	"context"
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

// userAdd is what "user add" was asked, checked.
type userAdd struct {
	account.New
	school  string
	classes [][2]int // grade, number
}

// parseUserAdd reads and checks the flags of "user add"; problems lists
// every flag refused.
func parseUserAdd(e *env, args []string) (cfg config.Config, req userAdd, problems []string, ok bool) {
	var username, roleName string
	var classes stringList
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.StringVar(&username, "username", "", "login name")
	fs.StringVar(&roleName, "role", "", "district_admin (教管中心), reviewer (审核员), school_admin (学校管理员) or teacher (班主任)")
	fs.StringVar(&req.DisplayName, "name", "", "display name, e.g. 李老师")
	fs.StringVar(&req.school, "school", "", "school (required for school_admin and teacher; created if new)")
	fs.Var(&classes, "class", "a class the teacher is assigned, e.g. 三年级2班 (repeatable; created if new)")
	if !parseFlags(e, fs, args, &cfg) {
		return cfg, req, nil, false
	}
	role, known := roleNames[roleName]
	req.Username, req.Role = username, role
	if strings.TrimSpace(username) == "" {
		problems = append(problems, "--username is required")
	} else if _, err := account.CheckNew(req.New); err != nil {
		problems = append(problems, "--username/--name: "+err.Error())
	}
	if !known {
		problems = append(problems, fmt.Sprintf("--role %q is not one of district_admin, reviewer, school_admin, teacher", roleName))
	}
	needsSchool := role == store.RoleSchoolAdmin || role == store.RoleTeacher
	if needsSchool && strings.TrimSpace(req.school) == "" {
		problems = append(problems, "--school is required for "+string(role))
	}
	if !needsSchool && req.school != "" {
		problems = append(problems, "--school is only for school_admin and teacher")
	}
	if len(classes) > 0 && role != store.RoleTeacher {
		problems = append(problems, "--class is only for teachers")
	}
	for _, name := range classes {
		g, c, ok := grade.ParseClassName(name)
		if !ok {
			problems = append(problems, fmt.Sprintf("--class %q is not a class name such as 三年级2班", name))
			continue
		}
		req.classes = append(req.classes, [2]int{g, c})
	}
	return cfg, req, problems, true
}

// cmdUserAdd: app user add: the account (account.Create, the web's rules),
// its school and classes created when new.
func cmdUserAdd(ctx context.Context, e *env, args []string) int {
	cfg, req, problems, ok := parseUserAdd(e, args)
	if !ok {
		return exitUnusable
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "app user add:\n  %s\n", strings.Join(problems, "\n  "))
		return exitUnusable
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "app user add: %v\n", err)
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	if req.school != "" {
		sc, _, err := st.EnsureSchool(ctx, req.school)
		if err != nil {
			return fail(err)
		}
		req.SchoolID = sc.ID
	}
	by := account.Actor{By: "CLI (" + osUser(e) + ")"}
	acc, err := account.Create(ctx, st, by, req.New)
	if err != nil {
		return fail(err)
	}
	var names []string
	for _, gc := range req.classes {
		cl, err := st.EnsureClass(ctx, acc.User.SchoolID, gc[0], gc[1], grade.ClassName(gc[0], gc[1]))
		if err == nil {
			err = account.Assign(ctx, st, by, acc.User, cl, true)
		}
		if err != nil {
			return fail(err)
		}
		names = append(names, cl.Name)
	}
	fmt.Fprintf(e.stdout, "已创建账号 %s（%s）", acc.User.Username, roleLabel(acc.User.Role))
	if len(names) > 0 {
		fmt.Fprintf(e.stdout, "，班级：%s", strings.Join(names, "、"))
	}
	fmt.Fprintf(e.stdout, "\n一次性密码：%s\n（首次登录后须修改密码 / must be changed at first sign-in）\n", acc.Password)
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
	pw, err := account.ResetPassword(ctx, st, account.Actor{By: "CLI (" + osUser(e) + ")"}, u)
	if err != nil {
		fmt.Fprintf(e.stderr, "app user reset-password: %v\n", err)
		return exitUnusable
	}
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
	list, err := account.List(ctx, st)
	if err != nil {
		fmt.Fprintf(e.stderr, "app user list: %v\n", err)
		return exitUnusable
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tNAME\tROLE\tSCHOOL\tCLASSES\tSTATE")
	for _, u := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.DisplayName, u.Role, u.School, strings.Join(u.Classes, ","), u.State())
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
