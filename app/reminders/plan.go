package reminders

import (
	"context"
	"fmt"

	"jiashu/app/campaign"
	"jiashu/problem"
	"jiashu/sms"
	"jiashu/store"
)

// Text is one text of a send with the guardian and letter it is about.
type Text struct {
	sms.Text
	GuardianID, LetterID, StudentID, AlertID int64
}

// TextProblem is a family whose text does not fit the provider's rules.
type TextProblem struct {
	Student, Class string
	Message        string
}

// Plan is what a send would do: its texts, what they cost, the exact text
// the first family receives, and the families whose texts do not fit.
type Plan struct {
	Kind     string        // KindReminder or KindAlert
	Template *sms.Template // nil for the JSON gateway
	Texts    []Text
	Estimate sms.Estimate
	Sample   string
	// Problems are the first maxProblems families whose texts do not fit;
	// ProblemCount counts all. A send with any is refused (Refusal).
	Problems     []TextProblem
	ProblemCount int
	// Limited counts the texts left out because their guardian had the
	// most reminders allowed (a preview's estimate, Request.Max).
	Limited int
}

// maxProblems is how many problems a plan lists.
const maxProblems = 20

// Request says what a send covers.
type Request struct {
	Scope store.ReminderScope
	Alert *store.Alert // the alert it carries; nil for reminders
	// Only keeps the (guardian, letter) pairs listed (a retry of the
	// failed texts); nil keeps all.
	Only map[[2]int64]bool
	// Key names each text for ever (the job's); nil for a preview.
	Key func(guardianID, letterID int64) string
	// Max, when > 0, leaves out the guardians who had that many reminders
	// already, as the send will (a preview's estimate).
	Max int
}

// Plan makes the texts of a send, each filled and checked.
func (t Texts) Plan(ctx context.Context, req Request) (Plan, error) {
	p := Plan{Kind: KindReminder}
	var list []Reminder
	var err error
	if req.Alert != nil {
		p.Kind = KindAlert
		list, err = t.Lists.AlertList(ctx, *req.Alert, req.Scope)
	} else {
		list, err = t.Lists.List(ctx, req.Scope)
	}
	if err != nil {
		return p, err
	}
	if p.Template, err = t.Template(ctx, p.Kind); err != nil {
		return p, err
	}
	families := map[int64]bool{}
	for _, rm := range list {
		if req.Only != nil && !req.Only[[2]int64{rm.GuardianID, rm.LetterID}] {
			continue
		}
		if req.Max > 0 && rm.Sent >= req.Max {
			p.Limited++
			continue
		}
		key := fmt.Sprintf("preview/g/%d/l/%d", rm.GuardianID, rm.LetterID)
		if req.Key != nil {
			key = req.Key(rm.GuardianID, rm.LetterID)
		}
		txt := sms.Text{Key: key, Phone: rm.Mobile, Body: rm.Message}
		if p.Template != nil {
			var probs []sms.Problem
			if txt, probs = p.Template.Fill(key, rm.Mobile, t.Fields(rm, rm.Title)); len(probs) > 0 {
				if p.ProblemCount++; len(p.Problems) < maxProblems {
					p.Problems = append(p.Problems, TextProblem{Student: rm.StudentName, Class: rm.ClassName, Message: probs[0].Message})
				}
				continue
			}
		}
		out := Text{Text: txt, GuardianID: rm.GuardianID, LetterID: rm.LetterID, StudentID: rm.StudentID}
		if req.Alert != nil {
			out.AlertID = req.Alert.ID
		}
		p.Texts = append(p.Texts, out)
		families[rm.StudentID] = true
	}
	texts := make([]sms.Text, len(p.Texts))
	for i, x := range p.Texts {
		texts[i] = x.Text
	}
	p.Estimate = sms.Cost(texts, len(families), t.Config.SMSPriceFen)
	if len(p.Texts) > 0 {
		p.Sample = p.Texts[0].Body
	}
	return p, nil
}

// Refusal is why the plan may not be sent (some texts do not fit), or nil.
func (t Texts) Refusal(p Plan) error {
	if p.ProblemCount == 0 {
		return nil
	}
	first := p.Problems[0]
	example := fmt.Sprintf("%s %s：%s", first.Class, campaign.MaskChildName(first.Student), first.Message)
	return t.failure(problem.Conflict, "sms_texts_do_not_fit", "sms.error.do_not_fit", p.ProblemCount, example)
}
