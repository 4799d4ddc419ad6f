package letters

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"jiashu/assets"
)

func defaultFS(t testing.TB) fs.FS {
	t.Helper()
	sub, err := fs.Sub(assets.Letters, "letters")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func TestLoadLibraryDefaultsAreComplete(t *testing.T) {
	t.Parallel()
	lib, err := LoadLibrary(defaultFS(t))
	if err != nil {
		t.Fatalf("default library rejected: %v", err)
	}
	if len(lib.Methods) < 14 {
		t.Errorf("library has %d methods, want at least 14", len(lib.Methods))
	}
	for _, ag := range AgeGroups() {
		tp, err := lib.Template(ag)
		if err != nil {
			t.Fatal(err)
		}
		if len(tp.Quiz) != 3 {
			t.Errorf("%s: %d quiz questions", ag, len(tp.Quiz))
		}
	}
	// Every scam type the work plan names is in the library.
	for _, title := range []string{"网络交友", "刷单", "客服", "保健品", "冒充领导", "邮件", "贷款诈骗", "皮肤", "冒充老师", "追星", "校园贷", "银行卡", "公检法", "出事"} {
		found := false
		for _, m := range lib.Methods {
			found = found || strings.Contains(m.Title, title)
		}
		if !found {
			t.Errorf("no method titled with %q", title)
		}
	}
}

func TestLoadLibraryRejectsBadFilesNamingFileAndLine(t *testing.T) {
	t.Parallel()
	good := defaultFS(t)
	read := func(name string) string {
		b, err := fs.ReadFile(good, name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	base := fstest.MapFS{}
	for _, n := range []string{MethodsFile, "templates/primary-lower.txt", "templates/primary-upper.txt", "templates/junior.txt", "templates/senior.txt"} {
		base[n] = &fstest.MapFile{Data: []byte(read(n))}
	}
	tests := []struct {
		name, file, old, new, want string
	}{
		{"unknown method id is rejected", "templates/junior.txt", "* card-renting", "* card-rent", "templates/junior.txt:17: unknown method id \"card-rent\""},
		{"unknown placeholder is rejected", "templates/senior.txt", "尊敬的{学生姓名}同学家长", "尊敬的{学生名}同学家长", "templates/senior.txt:6: unknown placeholder {学生名}"},
		{"method missing 防范 is rejected", MethodsFile, "防范: 手表设开机密码", "备注: 手表设开机密码", "methods.txt:29: method watch-sim: missing 防范"},
		{"method for another age group is rejected", "templates/primary-lower.txt", "* game-free-skin", "* card-renting", "not marked for age group primary-lower"},
		{"brief without 提醒 is rejected", "templates/junior.txt", "~ fake-boss", "~ card-renting", "method \"card-renting\" has no 提醒"},
		{"quiz without answer is rejected", "templates/primary-upper.txt", "答案: C\n解析: 警察不会", "解析: 警察不会", "答案 missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			src := read(tc.file)
			if !strings.Contains(src, tc.old) {
				t.Fatalf("fixture text %q not in %s", tc.old, tc.file)
			}
			fsys[tc.file] = &fstest.MapFile{Data: []byte(strings.Replace(src, tc.old, tc.new, 1))}
			_, err := LoadLibrary(fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
