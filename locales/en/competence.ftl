## Competence frameworks and mapping
nav-mapping = Mapping
nav-competence = Competence
frameworks-title = Competence frameworks
frameworks-intro = The frameworks describe the competences we map and plan training by, with levels and target levels per role group.
framework-version = version
framework-competences = { $count ->
    [one] { $formatted } competence
   *[other] { $formatted } competences
}
framework-levels = { $count ->
    [one] { $formatted } level
   *[other] { $formatted } levels
}
framework-export = Download the framework (JSON)
framework-levels-heading = Levels
framework-targets-heading = Target level per role group
framework-targets-intro = The region's targets; where your municipality has raised one, the municipality's is shown.
col-level = Level
col-descriptor = Description
col-competence = Competence
col-target = Target
col-gap = Gap to target
col-period = Period
col-privacy = Privacy
col-report = Report
col-questions = Questions
col-invited = Invited
col-answered = Answered
col-rate = Response rate
col-respondents = Answers
col-median = Median
col-at-target = At or above target
col-distribution = Distribution (level: count)
mapping-title = Competence mapping
mapping-mine = Your questionnaires
mapping-mine-none = You are not invited to any mapping.
mapping-answered = answered
mapping-see-profile = see your profile
mapping-answer-now = Answer now
mapping-closes = closes { $date }
mapping-opens = opens { $date }
mapping-closed = closed without an answer
mapping-rounds = Mapping rounds
mapping-new = New mapping round
mapping-report = See the report
mapping-results-after = Results from { $date }
privacy-anonymous = Anonymous
privacy-confidential = Confidential
privacy-anonymous-help = Answers are stored only with municipality, unit and role group, without a name and without a time. Nobody can see what you answered, not even you afterwards.
privacy-confidential-help = Answers are linked to you and shown only to you. Everyone else sees only totals for groups of at least five.
round-new-title = New mapping round
round-create = Create the round
round-invite = Send invitations
round-invited = { $count ->
    [0] Nobody new to invite.
    [one] { $formatted } person invited.
   *[other] { $formatted } people invited.
}
round-response-rate = Response rate
round-rate-rule = The response rate is shown only where at least { $k } are invited.
field-opens = Opens
field-closes = Closes
field-privacy = Privacy
field-reminders = Reminders (days before closing)
field-reminders-help = For example "7, 2": a reminder to those who have not answered seven and two days before the round closes.
field-copy-from = Copy questions and audience from an earlier round
field-copy-none = None (choose below)
field-audience-municipalities = Municipalities
field-audience-groups = Role groups
field-audience-all = None chosen means all.
field-questions = Questions
field-copy_from = Earlier round
field-competence = Competence
field-question = Question
field-answers = Answers
field-round = Round
field-level = Level
field-date = Date
field-framework = Framework
field-key = Key
field-version = Version
field-title = Title
field-levels = Levels
field-areas = Areas
field-competences = Competences
field-min_group_size = Smallest group size
field-breakdown = Breakdown
answer-intro = For each competence, choose the highest level that fits you in your work. You can save and continue later.
answer-not-relevant = Not relevant for my work
answer-save = Save and continue later
answer-submit = Submit
answer-saved = Your answers are saved. You can continue whenever you like.
answer-already-submitted = You have already submitted your answers in this round.
profile-title = Your competence profile
profile-thanks = Thank you! Your answers to "{ $round }" are submitted.
profile-intro = Here are your levels beside the target for the role group { $group }.
profile-chart-caption = The bars show your level; the vertical line shows the target. The table below shows the same.
profile-table-caption = Your level and the target per competence
profile-download = Download the profile (CSV)
profile-back = Back to the questionnaires
report-title = Report
report-up = One level up
report-rule = Figures are shown only for groups with at least { $k } answers. Where a group is too small, or could be worked out from other figures, its figures are hidden; its answers still count in the unit above.
report-hidden = Hidden: fewer than { $k } answers, or could reveal a smaller group
report-hidden-short = Hidden
report-all-groups = All role groups
report-show = Show
report-download-csv = Download the overview (CSV)
report-overview = Overview per competence
report-overview-caption = Every competence for the chosen unit
report-by-unit = By unit
report-no-children = The unit has no sub-units.
report-by-group = By role group
mail-invitation-subject = Competence mapping: { $round }
mail-invitation-body = Hello { $name },
    
    You are invited to the competence mapping "{ $round }". It takes about ten minutes, and you can save and continue later.
    
    Answer here: { $link }
    
    The link is personal. Please do not share it.
error-min-group-size-too-small = The smallest group size cannot be below 3.
error-min-group-size-too-large = The smallest group size is too large.
error-breakdown-parent-order = The breakdown is invalid.
error-framework-not-json = The file is not a framework in JSON format.
error-framework-key-invalid = The key may only contain letters, digits, hyphens, underscores and full stops.
error-framework-version-invalid = The version may only contain letters, digits, hyphens, underscores and full stops.
error-framework-text-missing = A text is missing in Bokmål, Nynorsk or English.
error-framework-levels-invalid = Levels must be numbered 1, 2, 3 … without gaps (at most 20).
error-framework-empty = The framework has no competences.
error-framework-code-invalid = A code is invalid or used twice.
error-framework-version-exists = This version exists already. A published version is never changed; give the new one a new version.
error-level-out-of-scale = That level is not on the scale.
error-target-below-regional = A municipality may raise a target but not set it below the region's.
error-unknown-competence = The competence is not in the framework.
error-round-closes-before-opens = A round cannot close before it opens.
error-round-not-open = The round has not opened yet.
error-round-closed = The round is closed and no longer takes answers.
error-results-not-released = The results are shown once the round has ended, from the day after it closes. The response rate can be followed while the round runs.
error-unknown-privacy-mode = Choose anonymous or confidential.
error-question-not-in-round = An answer is for a question that is not in the round.
error-answers-incomplete = Answer every question before submitting (choose "Not relevant" where it fits), or save and continue later.
error-round-without-questions = Choose at least one question.
error-already-submitted = Your answers were already submitted. They were stored once.
error-respondent-left = You are no longer registered as employed in the municipality, so you cannot answer in this round.
report-over-time = Over time
col-round = Round
answer-preview = Preview: this is the questionnaire as the role group { $group } sees it. Nothing can be submitted from here.
round-preview-as = Preview as role group
round-preview = Preview
report-responses = { $count ->
    [one] The figures are based on { $formatted } response.
   *[other] The figures are based on { $formatted } responses.
}
