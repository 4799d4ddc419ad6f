package problem

import (
	"errors"
	"fmt"
	"testing"
)

func TestAFailureIsFoundThroughWrappingAndAnInternalErrorIsNot(t *testing.T) {
	t.Parallel()
	cause := errors.New("disk full")
	p := &Error{Code: Conflict, Reason: "campaign_purged", Message: "活动已清除", Err: cause}
	wrapped := fmt.Errorf("letters: class 3: %w", p)
	if Code(wrapped) != Conflict || Message(wrapped) != "活动已清除" || As(wrapped).ReasonCode() != "campaign_purged" {
		t.Errorf("code %q message %q", Code(wrapped), Message(wrapped))
	}
	if !errors.Is(wrapped, cause) {
		t.Error("the cause is lost")
	}
	if Code(cause) != "" || Message(cause) != "" || As(cause) != nil {
		t.Error("an internal error must not read as a failure people can act on")
	}
}

func TestReasonDefaultsToCodeAndErrorSaysTheMessage(t *testing.T) {
	t.Parallel()
	e := Errorf(Invalid, "显示名最多 %d 个字", 40)
	if e.ReasonCode() != Invalid || e.Error() != "显示名最多 40 个字" {
		t.Errorf("reason %q, error %q", e.ReasonCode(), e.Error())
	}
	if got := (&Error{Code: NotFound}).Error(); got != NotFound {
		t.Errorf("a bare code reads %q", got)
	}
}
