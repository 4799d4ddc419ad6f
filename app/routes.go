package main

import (
	"github.com/gin-gonic/gin"

	"jiashu/store"
)

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
	signed.POST("/classes/:id/delivered", s.markDelivered)
	signed.GET("/students/:id/letter.pdf", s.studentLetter)

	// School administrator (and the district for any school): classes and
	// teachers, teacher accounts and assignments, the school-wide roster
	// import, the school's letters as a background job (school_*.go,
	// jobs_pages.go). Scope per school via schoolParam (scope.go).
	signed.GET("/school", s.mySchool)
	signed.GET("/schools/:school", s.schoolPage)
	signed.POST("/schools/:school/teachers", s.createTeacher)
	signed.POST("/schools/:school/classes/:class/teachers", s.assignTeacher)
	signed.POST("/schools/:school/classes/:class/teachers/:user/remove", s.unassignTeacher)
	signed.GET("/schools/:school/roster", s.schoolRosterPage)
	signed.POST("/schools/:school/roster", s.schoolRosterUpload)
	signed.POST("/schools/:school/roster/:upload", s.schoolRosterConfirm)
	signed.POST("/schools/:school/letters", s.startSchoolLetters)
	signed.GET("/overview/schools/:school", s.overviewSchoolPage)
	signed.GET("/overview/schools/:school/classes/:class", s.overviewClassPage)
	signed.GET("/overview/schools/:school/report.xlsx", s.overviewSchoolReport)
	// Accounts an administrator manages: password reset, disable, enable
	// (account_admin.go; scope per account).
	signed.POST("/users/:user/reset-password", s.resetUserPassword)
	signed.POST("/users/:user/disable", s.disableUser)
	signed.POST("/users/:user/enable", s.enableUser)
	// Background jobs: progress page (reloads itself while running) and the
	// ZIP download, audited (jobs_pages.go). Scope per job.
	signed.GET("/jobs/:job", s.jobPage)
	signed.GET("/jobs/:job/download", s.jobDownload)
	signed.POST("/jobs/:job/cancel", s.cancelJob)

	// Education center (district_admin only): schools and their
	// administrators, campaigns and their letters job, the overview
	// (district_page.go, campaign_pages.go, overview_page.go).
	district := signed.Group("/", s.requireRole(store.RoleDistrictAdmin))
	district.GET("/district", s.districtPage)
	district.POST("/district/schools", s.createSchool)
	district.POST("/district/admins", s.createSchoolAdmin)
	district.GET("/campaigns", s.campaignsPage)
	district.POST("/campaigns", s.createCampaign)
	district.GET("/campaigns/:campaign", s.campaignPage)
	district.POST("/campaigns/:campaign", s.updateCampaign)
	district.POST("/campaigns/:campaign/letters", s.startCampaignLetters)
	district.GET("/overview", s.overviewPage)
	district.GET("/overview/report.xlsx", s.overviewReport)

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
	signed.GET("/classes/:id/slips", s.slipsPage)
	signed.POST("/classes/:id/slips", s.slipsSave)
	signed.GET("/classes/:id/reminders.csv", s.reminderExport(s.scopeOfClass, "csv"))
	signed.GET("/classes/:id/reminders.xlsx", s.reminderExport(s.scopeOfClass, "xlsx"))
	signed.POST("/classes/:id/reminders/send", s.reminderSend(s.scopeOfClass))
	// The same for a school (its administrator and the district) and a whole
	// campaign (the district), with a confirmation page before a send
	// (reminders_pages.go).
	signed.GET("/schools/:school/reminders.csv", s.reminderExport(s.scopeOfSchool, "csv"))
	signed.GET("/schools/:school/reminders.xlsx", s.reminderExport(s.scopeOfSchool, "xlsx"))
	signed.GET("/schools/:school/reminders/send", s.reminderConfirm(s.scopeOfSchool))
	signed.POST("/schools/:school/reminders/send", s.reminderSend(s.scopeOfSchool))
	district.GET("/campaigns/:campaign/reminders.csv", s.reminderExport(s.scopeOfCampaign, "csv"))
	district.GET("/campaigns/:campaign/reminders.xlsx", s.reminderExport(s.scopeOfCampaign, "xlsx"))
	district.GET("/campaigns/:campaign/reminders/send", s.reminderConfirm(s.scopeOfCampaign))
	district.POST("/campaigns/:campaign/reminders/send", s.reminderSend(s.scopeOfCampaign))

	// JSON API: a session cookie or an API token (Authorization: Bearer …);
	// every handler checks scope (scope.go).
	api := r.Group("/api/v1", s.requireUser())
	api.GET("/me", s.apiMe)
	api.GET("/classes", s.apiClasses)
	api.GET("/classes/:id", s.apiClass)
	api.GET("/classes/:id/letters.pdf", s.classLetters)
	api.GET("/students/:id/letter.pdf", s.studentLetter)
	api.POST("/schools/:school/imports", s.postImport)

	// API of the school administrator and the district: schools, accounts,
	// assignments, letters jobs, campaigns, overview (school_api.go,
	// campaign_api.go, jobs_pages.go; docs/api.md). Same scope checks.
	api.GET("/schools", s.apiSchools)
	api.GET("/schools/:school", s.apiSchoolGet)
	api.POST("/schools/:school/users", s.apiCreateSchoolUser)
	api.POST("/schools/:school/classes/:class/teachers", s.apiAssignTeacher)
	api.DELETE("/schools/:school/classes/:class/teachers/:user", s.apiUnassignTeacher)
	api.POST("/users/:user/reset-password", s.resetUserPassword)
	api.POST("/users/:user/disable", s.disableUser)
	api.POST("/users/:user/enable", s.enableUser)
	api.POST("/schools/:school/letters", s.apiStartSchoolLetters)
	api.GET("/schools/:school/jobs", s.apiSchoolJobs)
	api.GET("/jobs/:job", s.apiJobGet)
	api.GET("/jobs/:job/result", s.jobDownload)
	api.POST("/jobs/:job/cancel", s.cancelJob)
	api.GET("/overview/schools/:school", s.apiOverviewSchool)
	api.GET("/overview/schools/:school/classes/:class", s.apiOverviewClass)
	api.GET("/overview/schools/:school/report.xlsx", s.overviewSchoolReport)
	apiDistrict := api.Group("/", s.requireRole(store.RoleDistrictAdmin))
	apiDistrict.POST("/schools", s.apiCreateSchool)
	apiDistrict.GET("/campaigns", s.apiCampaigns)
	apiDistrict.POST("/campaigns", s.apiCreateCampaign)
	apiDistrict.GET("/campaigns/:campaign", s.apiCampaignGet)
	apiDistrict.PUT("/campaigns/:campaign", s.apiUpdateCampaign)
	apiDistrict.POST("/campaigns/:campaign/letters", s.apiStartCampaignLetters)
	apiDistrict.GET("/overview", s.apiOverview)
	apiDistrict.GET("/overview/report.xlsx", s.overviewReport)

	// Reminder lists and sending for a class, a school or a campaign (reminders_*.go).
	api.GET("/classes/:id/reminders.csv", s.reminderExport(s.scopeOfClass, "csv"))
	api.GET("/classes/:id/reminders.xlsx", s.reminderExport(s.scopeOfClass, "xlsx"))
	api.POST("/classes/:id/reminders/send", s.reminderSend(s.scopeOfClass))
	api.GET("/schools/:school/reminders.csv", s.reminderExport(s.scopeOfSchool, "csv"))
	api.GET("/schools/:school/reminders.xlsx", s.reminderExport(s.scopeOfSchool, "xlsx"))
	api.POST("/schools/:school/reminders/send", s.reminderSend(s.scopeOfSchool))
	api.GET("/campaigns/:campaign/reminders.csv", s.reminderExport(s.scopeOfCampaign, "csv"))
	api.GET("/campaigns/:campaign/reminders.xlsx", s.reminderExport(s.scopeOfCampaign, "xlsx"))
	api.POST("/campaigns/:campaign/reminders/send", s.reminderSend(s.scopeOfCampaign))
}
