package apitest

import (
	"strings"
	"testing"
)

// TestEveryOperationHasItsRunInDocumentOrder: the description's examples
// are one run; every operation says how it runs (or why it does not), in
// the order the file lists them, starting with who the caller is.
func TestEveryOperationHasItsRunInDocumentOrder(t *testing.T) {
	spec, err := Load(DocPath(), Strict)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := spec.Runs(DocPath())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range runs {
		seen[r.Operation] = true
		if r.Skip == "" && (r.As == "" || r.Status == 0 || strings.Contains(r.Target, "{")) {
			t.Errorf("%s: an incomplete run %+v", r.Operation, r)
		}
	}
	if len(seen) != len(spec.Operations()) {
		t.Errorf("%d operations run, %d described", len(seen), len(spec.Operations()))
	}
	if runs[0].Operation != "GET /me" || runs[0].Target != "/me" {
		t.Errorf("the run starts with %s %s", runs[0].Operation, runs[0].Target)
	}
}

// TestSameComparesTheNamedFields: nested fields by dotted path, lists by
// index; other fields may differ.
func TestSameComparesTheNamedFields(t *testing.T) {
	example := map[string]any{"user": map[string]any{"id": 7, "username": "zhanghua"}, "one_time_password": "aaaa-bbbb-cccc"}
	answer := []byte(`{"user":{"id":7,"username":"zhanghua"},"one_time_password":"k7md-2p9x-wq4r"}`)
	if d := Same(answer, example, []string{"user.id", "user.username"}); d != "" {
		t.Errorf("equal fields differ: %s", d)
	}
	if d := Same(answer, example, []string{"one_time_password"}); !strings.Contains(d, "one_time_password") {
		t.Errorf("a different field is not found: %q", d)
	}
	if d := Same([]byte(`{"schools":[{"id":1}]}`), map[string]any{"schools": []any{map[string]any{"id": 2}}}, []string{"schools.0.id"}); d == "" {
		t.Error("a different list item is not found")
	}
}
