//go:build !unix

package cli

// PrivateUmask does nothing where there is no umask.
func PrivateUmask() {}
