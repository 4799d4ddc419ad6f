//go:build unix

package cli

import "syscall"

// PrivateUmask sets the process's umask to 077, so that any file the
// program or a library creates without saying its mode is its owner's
// only. main calls it at start; the files that hold personal data do not
// rely on it (store/filemode.go, and the modes given where the commands
// write), so tests check them under a umask of 000.
func PrivateUmask() { syscall.Umask(0o077) }
