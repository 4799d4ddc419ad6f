package main

import "github.com/gin-gonic/gin"

// routes is the one route table of the service.
func (s *server) routes(r *gin.Engine) {
	// Health, for load balancers and monitoring.
	r.GET("/healthz", s.healthz)

	// Downloads anyone may have: the roster template carries no personal data.
	r.GET("/roster-template.xlsx", s.rosterTemplate)

	// Styles and images, cached by content hash (render.go).
	r.GET("/static/*filepath", s.serveStatic)

	// Signing in and out, and the account page (auth_*.go, session.go).
	r.GET("/login", s.loginPage)
	r.POST("/login", s.login)
	r.POST("/logout", s.logout)
	signed := r.Group("/", s.requireUser())
	signed.GET("/", s.home)
	signed.GET("/account", s.accountPage)
	signed.GET("/account/password", s.accountPage)
	signed.POST("/account/password", s.changePassword)
	signed.POST("/account/tokens", s.createAPIToken)
	signed.POST("/account/tokens/:id/delete", s.deleteAPIToken)

	// Teacher's pages: classes, roster upload with preview, letters
	// (classes_page.go, class_page.go, roster_upload_page.go,
	// letters_download.go). Scope is checked per class (scope.go).
	signed.GET("/classes", s.classesPage)
	signed.GET("/classes/:id", s.classPage)
	signed.GET("/classes/:id/roster", s.rosterPage)
	signed.POST("/classes/:id/roster", s.rosterUpload)
	signed.POST("/classes/:id/roster/:upload", s.rosterConfirm)
	signed.GET("/classes/:id/letters.pdf", s.classLetters)
	signed.GET("/students/:id/letter.pdf", s.studentLetter)

	// Parents: the letter by its token, acknowledgement, quiz and thanks; the
	// form for a typed code. No account: unknown codes are rate-limited per
	// client (parent_*.go, ratelimit.go).
	r.GET("/a", s.parentCodeForm)
	r.POST("/a", s.parentCodeSubmit)
	r.GET("/a/parent.css", s.parentCSS)
	r.GET("/a/:token", s.parentView)
	r.POST("/a/:token", s.parentAck)
	r.GET("/a/:token/quiz", s.parentQuiz)
	r.POST("/a/:token/quiz", s.parentQuizSubmit)
	r.GET("/a/:token/thanks", s.parentThanks)

	// Paper slips and reminders of a class for its teacher (and school and
	// district administrators): tick returned slips, download the reminder
	// list, send it through the SMS gateway (slips_page.go, reminders_*.go).
	if err := s.initStaffParentPages(); err != nil {
		panic(err) // embedded templates are broken: caught by every test
	}
	signed.GET("/classes/:id/slips", s.slipsPage)
	signed.POST("/classes/:id/slips", s.slipsSave)
	signed.GET("/classes/:id/reminders.csv", s.reminderExport(s.scopeOfClass, "csv"))
	signed.GET("/classes/:id/reminders.xlsx", s.reminderExport(s.scopeOfClass, "xlsx"))
	signed.POST("/classes/:id/reminders/send", s.reminderSend(s.scopeOfClass, slipsURL))

	// JSON API: a session cookie or an API token (Authorization: Bearer …);
	// every handler checks scope (scope.go).
	api := r.Group("/api/v1", s.requireUser())
	api.GET("/me", s.apiMe)
	api.GET("/classes", s.apiClasses)
	api.GET("/classes/:id", s.apiClass)
	api.GET("/classes/:id/letters.pdf", s.classLetters)
	api.GET("/students/:id/letter.pdf", s.studentLetter)
	api.POST("/schools/:school/imports", s.requireSchoolScope("school"), s.auditImport(), s.postImport)

	// Reminder lists and sending for a class, a school or a campaign (reminders_*.go).
	api.GET("/classes/:id/reminders.csv", s.reminderExport(s.scopeOfClass, "csv"))
	api.GET("/classes/:id/reminders.xlsx", s.reminderExport(s.scopeOfClass, "xlsx"))
	api.POST("/classes/:id/reminders/send", s.reminderSend(s.scopeOfClass, nil))
	api.GET("/schools/:school/reminders.csv", s.reminderExport(s.scopeOfSchool, "csv"))
	api.GET("/schools/:school/reminders.xlsx", s.reminderExport(s.scopeOfSchool, "xlsx"))
	api.POST("/schools/:school/reminders/send", s.reminderSend(s.scopeOfSchool, nil))
	api.GET("/campaigns/:id/reminders.csv", s.reminderExport(s.scopeOfCampaign, "csv"))
	api.GET("/campaigns/:id/reminders.xlsx", s.reminderExport(s.scopeOfCampaign, "xlsx"))
	api.POST("/campaigns/:id/reminders/send", s.reminderSend(s.scopeOfCampaign, nil))
}
