// Package problem is the one error the use cases return for what people can
// act on, in the manner of benbjohnson/wtf's error.go: a code that says what
// kind of failure it is (the staff site maps it to an HTTP status in one
// place, app/web/errors.go), a finer reason for programs (the API's error
// code), and a message for people, in Chinese, with its catalogue key when
// the pages have it in other languages. Anything else a use case returns is
// an internal error: logged, and answered without details.
package problem

import (
	"errors"
	"fmt"
)

// The codes: what the caller can do about the failure.
const (
	Invalid   = "invalid"   // the input is refused: correct it
	NotFound  = "not_found" // no such thing, or none the caller may see
	Conflict  = "conflict"  // the thing's state forbids it now (purged, closed, not yet issued)
	Forbidden = "forbidden" // the caller's role may not
)

// Error is a failure people can act on.
type Error struct {
	Code string // Invalid, NotFound, Conflict or Forbidden
	// Reason is the failure for programs, finer than Code (the API's error
	// code: "class_too_large", "campaign_purged" …); Code when empty.
	Reason string
	// Message says what happened and what to do, in Chinese.
	Message string
	// Key and Args are Message's catalogue entry, for pages in another
	// language; Key is empty when the message is the people's own words
	// (a roster's problem, a school's name).
	Key  string
	Args []any
	// Choices are what the caller may name instead, when the refusal is
	// that the request is ambiguous (a class holding letters of several
	// campaigns): the API lists them beside the message.
	Choices []Choice
	// Err is the cause, for the log; nil when there is none.
	Err error
}

// Choice is one thing a refused request may name instead: its id and name.
type Choice struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// New is a failure of code with reason and message.
func New(code, reason, message string) *Error {
	return &Error{Code: code, Reason: reason, Message: message}
}

// Errorf is a failure of code whose message is formatted.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error is the message, with the cause when there is one; without a
// message, the cause alone (a sentinel such as the store's not-found).
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		return e.Err.Error()
	}
	if msg == "" {
		msg = e.Key
	}
	if msg == "" {
		msg = e.ReasonCode()
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap is the cause.
func (e *Error) Unwrap() error { return e.Err }

// ReasonCode is Reason, or Code when there is none.
func (e *Error) ReasonCode() string {
	if e.Reason != "" {
		return e.Reason
	}
	return e.Code
}

// As returns the *Error in err's chain, or nil when there is none (an
// internal error).
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Code is the code of err's failure; "" for an internal error.
func Code(err error) string {
	if e := As(err); e != nil {
		return e.Code
	}
	return ""
}

// Message is the message of err's failure for people; "" for an internal
// error (which people are not shown).
func Message(err error) string {
	if e := As(err); e != nil {
		return e.Message
	}
	return ""
}
