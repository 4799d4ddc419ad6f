// Package buildinfo says which build of the program is running: the
// release's version and commit, set by the release build
// (release/build: -ldflags "-X jiashu/app/buildinfo.version=… -X
// jiashu/app/buildinfo.commit=…"), shown by `app version` and /healthz.
package buildinfo

import "runtime/debug"

// Set at link time by release/build; empty in a plain `go build` or `go run`.
var version, commit string

// Info is the version and commit of the running program.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
}

// Get returns what the release build set; without it, the commit Go
// recorded from the source tree's git checkout (suffixed "-dirty" when it
// had changes), and the version "devel".
func Get() Info {
	info := Info{Version: version, Commit: commit}
	if info.Version == "" {
		info.Version = "devel"
	}
	if info.Commit == "" {
		info.Commit = vcsRevision()
	}
	return info
}

// vcsRevision is the commit `go build` stamped into the binary, or "unknown".
func vcsRevision() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "unknown"
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}
