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
