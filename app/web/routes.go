package web

import (
	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// routes is the one route table of the staff site and the API (the
// parents' routes are app/parent's Register). Every handler returns an
// error that s.h answers (errors.go).
func (s *Server) routes(r *gin.Engine) {
	h := s.h
	// Heavy requests (roster previews and imports, class PDFs) pass a gate
	// that bounds how many run at once and answers the rest 503 with
	// Retry-After (heavy.go).
	heavy := s.heavy()
	// Health, for load balancers and monitoring.
	r.GET("/healthz", h(s.healthz))
	// Prometheus metrics, for --metrics-allow addresses only (metrics_route.go).
	r.GET("/metrics", h(s.metricsPage))
	// Delivery reports pushed by the SMS provider, authenticated by the
	// token in the address (sms_callback.go).
	r.POST("/sms/report/:token", h(s.smsReport))

	// Downloads anyone may have: the roster template carries no personal data.
	r.GET("/roster-template.xlsx", h(s.rosterTemplate))

	// Styles and images, cached by content hash (render.go).
	r.GET("/static/*filepath", h(s.serveStatic))
	r.GET("/favicon.ico", h(s.favicon))

	// Signing in and out, and the account page (auth_*.go, session.go).
	r.GET("/login", h(s.loginPage))
	r.POST("/login", h(s.login))
	r.POST("/logout", h(s.logout))
	signed := r.Group("/", s.requireUser())
	signed.GET("/", h(s.home))
	signed.GET("/account", h(s.accountPage))
	signed.GET("/account/password", h(s.accountPage))
	signed.POST("/account/password", h(s.changePassword))
	signed.POST("/account/tokens", h(s.createAPIToken))
	signed.POST("/account/tokens/:id/delete", h(s.deleteAPIToken))

	// Teacher's pages: classes, roster upload with preview, letters
	// (classes_page.go, class_page.go, roster_upload_page.go,
	// letters_download.go). Scope is checked per class (scope.go).
	signed.GET("/classes", h(s.classesPage))
	signed.GET("/classes/:id", h(s.classPage))
	signed.GET("/classes/:id/roster", h(s.rosterPage))
	signed.POST("/classes/:id/roster", heavy, h(s.rosterUpload))
	signed.POST("/classes/:id/roster/:upload", heavy, h(s.rosterConfirm))
	signed.GET("/classes/:id/letters.pdf", heavy, h(s.classLetters))
	signed.POST("/classes/:id/delivered", h(s.markDelivered))
	signed.GET("/students/:id/letter.pdf", h(s.studentLetter))

	// School administrator (and the district for any school): classes and
	// teachers, teacher accounts and assignments, the school-wide roster
	// import, the school's letters as a background job (school_*.go,
	// jobs_pages.go). Scope per school via schoolParam (scope.go).
	signed.GET("/school", h(s.mySchool))
	signed.GET("/schools/:school", h(s.schoolPage))
	signed.POST("/schools/:school/teachers", h(s.createTeacher))
	signed.POST("/schools/:school/classes/:class/teachers", h(s.assignTeacher))
	signed.POST("/schools/:school/classes/:class/teachers/:user/remove", h(s.unassignTeacher))
	signed.GET("/schools/:school/roster", h(s.schoolRosterPage))
	signed.POST("/schools/:school/roster", heavy, h(s.schoolRosterUpload))
	signed.POST("/schools/:school/roster/:upload", heavy, h(s.schoolRosterConfirm))
	signed.POST("/schools/:school/letters", h(s.startSchoolLetters))
	signed.GET("/overview/schools/:school", h(s.overviewSchoolPage))
	signed.GET("/overview/schools/:school/classes/:class", h(s.overviewClassPage))
	signed.GET("/overview/schools/:school/report.xlsx", h(s.overviewSchoolReport))
	// Erasing a family on request, dry run first (erase_family.go; scope per school).
	signed.GET("/schools/:school/erase", h(s.eraseFamilyPage))
	signed.POST("/schools/:school/erase", h(s.eraseFamily))
	// Accounts an administrator manages: password reset, disable, enable,
	// unlock (account_admin.go, account_unlock.go; scope per account).
	signed.POST("/users/:user/reset-password", h(s.resetUserPassword))
	signed.POST("/users/:user/disable", h(s.disableUser))
	signed.POST("/users/:user/enable", h(s.enableUser))
	signed.POST("/users/:user/unlock", h(s.unlockUser)) // account_unlock.go
	// Background jobs: progress page (reloads itself while running) and the
	// ZIP download, audited (jobs_pages.go). Scope per job.
	signed.GET("/jobs/:job", h(s.jobPage))
	signed.GET("/jobs/:job/download", h(s.jobDownload))
	signed.POST("/jobs/:job/cancel", h(s.cancelJob))

	// Education center (district_admin only): schools and their
	// administrators, campaigns and their letters job, the overview
	// (district_page.go, campaign_pages.go, overview_page.go).
	district := signed.Group("/", s.requireRole(store.RoleDistrictAdmin))
	district.GET("/district", h(s.districtPage))
	district.POST("/district/schools", h(s.createSchool))
	district.POST("/district/admins", h(s.createSchoolAdmin))
	district.GET("/campaigns", h(s.campaignsPage))
	district.POST("/campaigns", h(s.createCampaign))
	district.GET("/campaigns/:campaign", h(s.campaignPage))
	district.POST("/campaigns/:campaign", h(s.updateCampaign))
	district.POST("/campaigns/:campaign/letters", h(s.startCampaignLetters))
	district.GET("/overview", h(s.overviewPage))
	// The SMS provider and the templates it approved (sms_settings.go).
	district.GET("/settings/sms", h(s.smsSettingsPage))
	district.POST("/settings/sms", h(s.smsTemplateSave))
	district.GET("/overview/report.xlsx", h(s.overviewReport))

	// Paper slips of a class for its teacher (and school and district
	// administrators): tick returned slips (slips_page.go).
	signed.GET("/classes/:id/slips", h(s.slipsPage))
	signed.POST("/classes/:id/slips", h(s.slipsSave))

	// Campaigns side by side (issue 11): a slip recorded by its code
	// (slips_code.go); a campaign started and closed by the center
	// (campaign_life.go).
	signed.POST("/classes/:id/slips/code", h(s.slipsCode))
	district.POST("/campaigns/:campaign/state", h(s.campaignState))
	// A notice of a campaign started since the user last looked, dismissed
	// (campaign_choice.go, issue 22).
	signed.POST("/campaign-notices/:campaign/dismiss", h(s.dismissNotice))
	signed.POST("/jobs/:job/retry-failed", h(s.retryFailedReminders)) // jobs_failures.go

	// JSON API: a session cookie or an API token (Authorization: Bearer …);
	// every handler checks scope (scope.go).
	// apiHeaders: JSON bodies only (api_headers.go); idempotency: a create
	// or send retried with its Idempotency-Key answers the first answer
	// again (api_idempotency.go).
	api := r.Group("/api/v1", s.apiHeaders(), s.requireUser(), s.idempotency())
	api.GET("/me", h(s.apiMe))
	api.GET("/classes", h(s.apiClasses))
	api.GET("/classes/:id", h(s.apiClass))
	api.GET("/classes/:id/letters.pdf", heavy, h(s.classLetters))
	api.GET("/students/:id/letter.pdf", h(s.studentLetter))
	api.POST("/schools/:school/imports", heavy, h(s.postImport))

	// API of the school administrator and the district: schools, accounts,
	// assignments, letters jobs, campaigns, overview (school_api.go,
	// campaign_api.go, jobs_pages.go; docs/api.md). Same scope checks.
	api.GET("/schools", h(s.apiSchools))
	api.GET("/schools/:school", h(s.apiSchoolGet))
	api.POST("/schools/:school/users", h(s.apiCreateSchoolUser))
	api.POST("/schools/:school/classes/:class/teachers", h(s.apiAssignTeacher))
	api.DELETE("/schools/:school/classes/:class/teachers/:user", h(s.apiUnassignTeacher))
	api.GET("/users/:user", h(s.apiUserGet)) // a new account's Location
	api.POST("/users/:user/reset-password", h(s.resetUserPassword))
	api.POST("/users/:user/disable", h(s.disableUser))
	api.POST("/users/:user/enable", h(s.enableUser))
	api.POST("/users/:user/unlock", h(s.unlockUser))
	api.POST("/schools/:school/letters", h(s.apiStartSchoolLetters))
	api.GET("/schools/:school/jobs", h(s.apiSchoolJobs))
	api.GET("/jobs/:job", h(s.apiJobGet))
	api.GET("/jobs/:job/result", h(s.jobDownload))
	api.POST("/jobs/:job/cancel", h(s.cancelJob))
	api.GET("/overview/schools/:school", h(s.apiOverviewSchool))
	api.GET("/overview/schools/:school/classes/:class", h(s.apiOverviewClass))
	api.GET("/overview/schools/:school/report.xlsx", h(s.overviewSchoolReport))
	apiDistrict := api.Group("/", s.requireRole(store.RoleDistrictAdmin))
	apiDistrict.POST("/schools", h(s.apiCreateSchool))
	apiDistrict.GET("/campaigns", h(s.apiCampaigns))
	apiDistrict.POST("/campaigns", h(s.apiCreateCampaign))
	apiDistrict.GET("/campaigns/:campaign", h(s.apiCampaignGet))
	apiDistrict.PUT("/campaigns/:campaign", h(s.apiUpdateCampaign))
	apiDistrict.POST("/campaigns/:campaign/letters", h(s.apiStartCampaignLetters))
	apiDistrict.GET("/overview", h(s.apiOverview))
	apiDistrict.GET("/overview/report.xlsx", h(s.overviewReport))
	apiDistrict.POST("/campaigns/:campaign/state", h(s.apiCampaignState)) // issue 11: start, close
	api.POST("/jobs/:job/retry-failed", h(s.retryFailedReminders))

	// Reminder lists (CSV, XLSX) and sending for a class, a school or a
	// campaign, on the pages and the API alike (reminders_*.go); the pages
	// of a class, a school and a campaign ask for confirmation before a send.
	for _, g := range []*gin.RouterGroup{signed, api} {
		s.reminderRoutes(g, "/classes/:id", s.scopeOfClass, g == signed)
		s.reminderRoutes(g, "/schools/:school", s.scopeOfSchool, g == signed)
	}
	s.reminderRoutes(district, "/campaigns/:campaign", s.scopeOfCampaign, true)
	s.reminderRoutes(api, "/campaigns/:campaign", s.scopeOfCampaign, false)

	// Producing letters is a POST, never the side effect of a GET: the
	// class page's 生成家书 and a row's 生成 issue the missing letters and
	// answer the PDF; the GETs above re-print what is issued
	// (letters_download.go).
	for _, g := range []*gin.RouterGroup{signed, api} {
		g.POST("/classes/:id/letters", heavy, h(s.generateClassLetters))
		g.POST("/students/:id/letter", h(s.generateStudentLetter))
	}

	// The class meeting (主题班会): "held" with its day on the class page and
	// the API, the lesson sheet and slides of a class or of a school's age
	// groups (class_meeting.go, lesson_download.go). Scope per class or school.
	signed.POST("/classes/:id/meeting", h(s.classMeetingSave))
	signed.POST("/classes/:id/meeting/delete", h(s.classMeetingDelete))
	api.POST("/classes/:id/meeting", h(s.apiClassMeetingSave))
	api.DELETE("/classes/:id/meeting", h(s.apiClassMeetingDelete))
	api.GET("/schools/:school/lessons", h(s.apiSchoolLessons))
	for _, g := range []*gin.RouterGroup{signed, api} {
		g.GET("/classes/:id/lesson-sheet.pdf", h(s.classLessonSheet))
		g.GET("/classes/:id/lesson-slides.pdf", h(s.classLessonSlides))
		g.GET("/schools/:school/lessons/:age/:file", h(s.schoolLesson))
	}

	s.contentRoutes(signed, api)
	s.alertRoutes(district, api)
	s.familyTextRoutes(signed, district, api)
}

// familyTextRoutes: what each family receives (issue 19): the class's head
// teacher (head_teacher.go) and the campaign's opening line
// (campaign_opening.go).
func (s *Server) familyTextRoutes(signed, district, api *gin.RouterGroup) {
	s.headTeacherRoutes(signed, api)
	s.openingRoutes(district, api)
}

// alertRoutes: new-scam alerts (alerts.go, issue 9), the education
// center's only.
func (s *Server) alertRoutes(district, api *gin.RouterGroup) {
	h := s.h
	district.GET("/alerts", h(s.alertsPage))
	district.POST("/alerts", h(s.alertForm))
	// Previewed before published, edited and withdrawn (alert_pages.go,
	// issue 22).
	district.GET("/alerts/new", h(s.alertPreviewPage))
	district.GET("/alerts/preview.html", h(s.alertFrame))
	district.GET("/alerts/:alert/edit", h(s.alertEditPage))
	district.POST("/alerts/:alert/edit", h(s.alertEditSave))
	district.GET("/alerts/:alert/withdraw", h(s.alertWithdrawPage))
	district.POST("/alerts/:alert/withdraw", h(s.alertWithdraw))
	center := api.Group("/alerts", s.requireRole(store.RoleDistrictAdmin))
	center.GET("", h(s.apiAlerts))
	center.POST("", h(s.apiAlertCreate))
	center.PUT("/:alert", h(s.apiAlertUpdate))
	center.POST("/:alert/withdraw", h(s.alertWithdraw))
	for _, g := range []*gin.RouterGroup{district, center} {
		base := "/alerts/:alert/campaigns/:campaign"
		if g == center {
			base = "/:alert/campaigns/:campaign"
		}
		g.GET(base+"/texts.csv", h(s.alertTexts))
		g.POST(base+"/send", h(s.alertSend))
	}
	// Before a send: the confirmation page, and the estimate in the API (sms_send.go).
	district.GET("/alerts/:alert/campaigns/:campaign/send", h(s.alertConfirm))
	center.GET("/:alert/campaigns/:campaign/estimate", h(s.alertEstimate))
}

// contentRoutes: the letter content under review (content_*.go, issue 9).
// The education center and reviewers read versions; the store refuses
// writes by anyone but the center and reviews by anyone but a reviewer who
// is not the author. Teachers and school administrators get 403.
func (s *Server) contentRoutes(signed, api *gin.RouterGroup) {
	h := s.h
	staff := []store.Role{store.RoleDistrictAdmin, store.RoleReviewer}
	s.contentPageRoutes(signed, staff)

	// School details (school_details.go): the school administrator and the
	// center, scope per school.
	admins := []store.Role{store.RoleSchoolAdmin, store.RoleDistrictAdmin}
	signed.GET("/schools/:school/details", s.requireRole(admins...), h(s.schoolDetailsPage))
	signed.POST("/schools/:school/details", s.requireRole(admins...), h(s.saveSchoolDetails))
	api.GET("/schools/:school/details", s.requireRole(admins...), h(s.apiSchoolDetailsGet))
	api.PUT("/schools/:school/details", s.requireRole(admins...), h(s.apiSchoolDetailsPut))
	api.PATCH("/schools/:school/details", s.requireRole(admins...), h(s.apiSchoolDetailsPut))

	apiStaff := api.Group("/content", s.requireRole(staff...))
	apiStaff.GET("/versions", h(s.apiContentVersions))
	apiStaff.GET("/versions/:version", h(s.apiContentVersion))
	apiStaff.GET("/versions/:version/export.zip", h(s.contentZip))
	apiStaff.POST("/versions/:version/approve", h(s.apiContentAction("approve")))
	apiStaff.POST("/versions/:version/return", h(s.apiContentAction("return")))
	apiCenter := api.Group("/content", s.requireRole(store.RoleDistrictAdmin))
	apiCenter.POST("/versions", h(s.apiContentCreate))
	apiCenter.PUT("/versions/:version/files", h(s.apiContentSave))
	apiCenter.POST("/versions/:version/submit", h(s.apiContentAction("submit")))
	apiCenter.POST("/versions/:version/retire", h(s.apiContentAction("retire")))
	api.PUT("/campaigns/:campaign/content", s.requireRole(store.RoleDistrictAdmin), h(s.apiCampaignContent))
	// The campaign page's "改用第 N 版": what changes, then the move (issue 22).
	signed.GET("/campaigns/:campaign/content", s.requireRole(store.RoleDistrictAdmin), h(s.campaignContentPage))
	signed.POST("/campaigns/:campaign/content", s.requireRole(store.RoleDistrictAdmin), h(s.campaignContentMove))
}

// reminderRoutes lists the reminder routes of one scope under base; confirm
// adds the confirmation page a page's send goes through.
func (s *Server) reminderRoutes(g *gin.RouterGroup, base string, resolve scopeResolver, confirm bool) {
	g.GET(base+"/reminders.csv", s.h(s.reminderExport(resolve, "csv")))
	g.GET(base+"/reminders.xlsx", s.h(s.reminderExport(resolve, "xlsx")))
	if confirm {
		g.GET(base+"/reminders/send", s.h(s.reminderConfirm(resolve)))
	} else {
		g.GET(base+"/reminders/estimate", s.h(s.reminderEstimate(resolve)))
	}
	g.POST(base+"/reminders/send", s.h(s.reminderSend(resolve)))
}
