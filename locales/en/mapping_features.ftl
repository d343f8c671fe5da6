## Competence mapping: knowledge checks, reminders, exports, API
check-true = True
check-false = False
check-legend = Knowledge check
answer-checks-intro = Some competences have knowledge questions with one correct answer. They give a tested level shown beside the level you choose yourself, never merged with it. Answer them for the competences that are relevant to you.
field-checks = Knowledge checks
field-checks-help = Questions with a correct answer that give a tested level beside the self-assessed one. Only questions about competences the round asks are included.
field-prompt = Question
field-options = Options
col-tested-level = Tested level
col-tested-median = Median, tested
col-tested-at-target = At or above target, tested
col-tested-respondents = Answers, tested
profile-tested-intro = The tested level comes from the knowledge questions: the share of correct answers spread evenly over the scale. It is shown beside the level you chose, not merged with it.
report-tested = Self-assessed and tested level
report-tested-intro = The tested level is computed from the knowledge questions (the share correct spread evenly over the scale) and stands beside the self-assessed level, never as an average of the two. The same rule for small groups applies.
report-tested-caption = Self-assessed and tested level per competence for the selected unit
error-checks-incomplete = Answer the knowledge questions for every competence you gave a level before you submit.
error-check-choice-invalid = An answer to a knowledge question is not one of the options.
error-check-options-invalid = A multiple-choice question needs 2–8 options with one correct answer among them.
mail-reminder-subject = Reminder: { $round }
mail-reminder-body = Hello, { $name }!
    
    This is a reminder of the competence mapping "{ $round }", which closes on { $closes }. If you saved answers, you can continue where you left off.
    
    Answer here: { $link }
    
    The link is personal. Do not share it. The link in the invitation still works.
field-audience-units = Units
field-audience-units-help = Choose one or more units (with Ctrl or Cmd); each unit includes everything below it. None chosen means all.
field-units = Units
round-response-rate-units = Response rate per unit (with everything below it)
framework-import-title = Import a framework
framework-import-intro = Upload a new version of a framework as JSON, in the same format as the export. A version already published is never changed: give the new one a new version.
framework-import-help = A JSON file with key, version, levels and areas with competences, every text in Bokmål, Nynorsk and English.
framework-import-submit = Publish the version
framework-import-link = Import a framework (JSON)
targets-edit-title = Target levels
targets-edit-link = Edit the target levels
targets-edit-region = The region's target level per competence and role group. Every field must be filled in.
targets-edit-municipality = The municipality's raised targets for { $municipality }. Leave a field empty where the region's target applies; a municipal target cannot be below the region's (shown with ≥).
targets-edit-caption = Target level from 1 to { $top }
targets-regional = region's target { $level }
targets-scopes = Region and municipalities
targets-save = Save the target levels
targets-saved = The target levels are saved.
error-target-required = The region must set a target for every competence and role group.
error-target-twice = The same competence and role group appear twice.
report-download-xlsx = Download the report (Excel)
report-print = Print-ready report
report-print-now = Print with your browser's print command (Ctrl+P or Cmd+P); the page is laid out for A4.
report-generated = Made on { $date }
report-sheet-overview = Overview
report-sheet-units = Units
report-sheet-groups = Role groups
report-sheet-over-time = Over time
error-framework-json-at = The file could not be read as a framework from line { $line }, character { $column } (a field is missing, has the wrong type, or the JSON is incomplete).
