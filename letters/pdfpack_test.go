package letters

import "testing"

func TestPruneWidthsDropsOnlyDefaultWidths(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"default-width ranges go, others and lists stay",
			"<</DW 1000\n/W [ 32 32 262 12288 12290 1000 80 [ 618 745 ]\n 19968 19968 1000 ]\n/CIDToGIDMap 10 0 R>>\n",
			"<</DW 1000\n/W [ 32 32 262 80 [ 618 745 ] ]\n/CIDToGIDMap 10 0 R>>\n"},
		{"another default width is honoured",
			"<</DW 500\n/W [ 1 2 500 3 3 1000 ]>>",
			"<</DW 500\n/W [ 3 3 1000 ]>>"},
		{"no width array is left alone", "<</DW 1000>>", "<</DW 1000>>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(pruneWidths([]byte(tc.in))); got != tc.want {
				t.Errorf("pruneWidths:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
