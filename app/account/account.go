// Package account holds the operations on staff accounts that the command
// line and the staff site share, with one set of rules: creating an account
// (a one-time password shown once), resetting and changing a password,
// disabling an account, assigning a teacher to a class, listing accounts;
// password hashing and the first administrator of a new database. Neither
// the CLI nor the web writes a user row itself: they call these, which
// audit what they did (Actor says who).
package account

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"

	"golang.org/x/crypto/bcrypt"

	"jiashu/store"
)

// Hash returns the bcrypt hash of a password.
func Hash(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// Check reports whether pw is the password of hash.
func Check(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// OneTimePassword is a random password for a new or reset account, typeable from a printout.
func OneTimePassword() string {
	const alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
	b := make([]byte, 12)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err) // crypto/rand never fails on Linux
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:])
}

// EnsureFirstAdmin creates the district administrator on a new database and
// prints its one-time password once to w. Of instances starting together
// on a new database, exactly one creates it and prints the password
// (store.CreateFirstUser).
func EnsureFirstAdmin(ctx context.Context, st *store.Store, w io.Writer) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := OneTimePassword()
	hash, err := Hash(pw)
	if err != nil {
		return err
	}
	_, created, err := st.CreateFirstUser(ctx, store.User{Username: "admin", DisplayName: "教管中心管理员", Role: store.RoleDistrictAdmin, PasswordHash: hash, MustChangePassword: true})
	if err != nil || !created {
		return err // another instance made the first account meanwhile
	}
	fmt.Fprintf(w, "\n  首次启动：已创建教管中心管理员账号\n  用户名 admin   一次性密码 %s\n  (first run: district administrator \"admin\", one-time password %s — change it at first login)\n\n", pw, pw)
	return nil
}
