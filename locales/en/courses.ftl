# Courses and events (issue 5)
nav-courses = Courses
courses-title = Courses and events
courses-intro = Courses, seminars, webinars, network meetings and conferences in the region, across municipal borders.
courses-search = Search
courses-search-button = Search
courses-filter-any = Any
courses-filter-competence = Competence
courses-filter-format = Format
courses-filter-organiser = Organiser
courses-filter-municipality = Organising municipality
courses-filter-from = From date
courses-filter-to = To date
courses-filter-free = Only with free seats
courses-found = { $count ->
    [one] { $formatted } course found
   *[other] { $formatted } courses found
}
courses-free-seats = { $count ->
    [one] { $formatted } free seat
   *[other] { $formatted } free seats
}
courses-next = Next:
courses-no-sessions = No upcoming sessions
courses-back = All courses
course-new = New course
course-edit = Edit course
course-copy = Copy the course
course-format = Format
course-format-classroom = Classroom
course-format-webinar = Webinar
course-format-e-learning = E-learning
course-format-conference = Conference
course-format-network-meeting = Network meeting
course-organiser = Organiser
course-organiser-region = The region
course-organiser-municipality = A municipality
course-organiser-external = External provider
course-contact = Contact person
course-price-internal = Price for the region's municipalities
course-price-external = Price for others
course-free-of-charge = Free of charge
course-language = Language
course-target-groups = Target groups
course-competences = Competences the course builds
course-competence-line = { $code } { $title } (level { $level })
course-sessions = Sessions
course-visibility-region = The whole region
course-state-confirmed = You have a seat.
course-state-waitlisted = You are on the waiting list: number { $position } of { $of }.
course-state-cancelled = The enrolment is cancelled.
course-state-cancelled-late = The enrolment was cancelled after the deadline.
course-state-left-waitlist = You have left the waiting list.
course-enrolled = Your enrolment is registered. { $state }
course-enrolled-other = { $name } is enrolled. { $state }
course-already-enrolled = You were already enrolled. { $state }
course-overlap-warning = Note: this session overlaps in time with “{ $course }”, which you are also enrolled in.
session-new = New session
session-edit = Edit session
session-cancelled = The session is cancelled.
session-venue = Venue
session-online-link = Link to the online meeting
session-seats = Seats
session-seats-of = { $count ->
    [one] { $formatted } seat
   *[other] { $formatted } seats
}
session-waiting = { $count ->
    [one] { $formatted } waiting
   *[other] { $formatted } waiting
}
session-enrolment = Enrolment
session-cancellation-deadline = Cancellation deadline
session-instructors = Instructors
session-enrol = Enrol
session-join-waitlist = Put me on the waiting list
session-cancel-mine = Cancel my enrolment
session-leave-waitlist = Leave the waiting list
session-enrolment-not-open = Enrolment is not open.
session-enrol-others = Enrol others
session-participants = Participants
session-cancel-session = Cancel the session
enrol-others-search = Find a person (name, e-mail or employee number)
enrol-others-results = People you can enrol
enrol-others-none = No match among the people you can enrol.
field-summary = Summary
field-description = Description
field-competences-help = One per line: framework, competence code and level, e.g. “digcomp 4.2 3”.
field-target_groups = Target groups
field-format = Format
field-organiser_kind = Organiser
field-organiser_municipality = Organising municipality (when a municipality organises)
field-organiser_name = External provider's name
field-contact_name = Contact person
field-contact_email = Contact person's e-mail
field-price_internal = Price for the region's municipalities (NOK)
field-price_external = Price for others (NOK)
field-language = Language
field-visibility = Visible to
field-days = Days
field-days-help = One day per line with date and times, e.g. “2027-02-03 09:00-15:30” (Norwegian time).
field-venue = Venue
field-room = Room
field-online_link = Link to the online meeting (shown only to enrolled participants)
field-capacity = Number of seats
field-quotas = Quotas per municipality
field-quotas-help = The most seats for each municipality. Empty means no quota.
field-enrolment_opens = Enrolment opens
field-enrolment_closes = Enrolment closes
field-cancellation_deadline = Cancellation deadline
field-instructors = Instructors (one per line)
field-series = Series
field-series_count = Number of sessions
field-series_weeks = Weeks between sessions
field-session = Session
field-person = Person
field-filter = Filter
error-unknown-format = Unknown format.
error-invalid-amount = Write the amount in kroner, e.g. 1250 or 1250.50.
error-invalid-competence-line = Write one competence per line: framework, code and level.
error-invalid-language = Unknown language code.
error-invalid-day = Write the day as “2027-02-03 09:00-15:30”.
error-ends-before-starts = The end is before the start.
error-days-overlap = Two of the days overlap.
error-invalid-capacity = The number of seats must be a whole number from 1.
error-invalid-quota = The quota must be a whole number.
error-quota-above-capacity = A quota cannot be larger than the number of seats.
error-invalid-datetime = Write a date and time.
error-closes-before-opens = Enrolment closes before it opens.
error-closes-after-start = Enrolment must close before the first day starts.
error-deadline-after-start = The cancellation deadline must be before the first day starts.
error-invalid-link = The link must start with https://.
error-capacity-below-confirmed = The number of seats cannot be lower than the number already given a seat.
error-quota-below-confirmed = A quota cannot be lower than the number from the municipality already given a seat.
error-invalid-series = The number of sessions and weeks between must be from 1 to 52.
error-session-cancelled = The session is cancelled. Enrolment is not possible.
error-enrolment-not-open = Enrolment has not opened yet.
error-enrolment-closed = Enrolment is closed.
error-not-in-audience = The course is only for employees of another municipality.
error-person-left = The person has left.
error-not-enrolled = There is no enrolment to cancel.
error-already-enrolled = The person is already enrolled.
mail-course-confirmed-subject = You have a seat on “{ $course }”
mail-course-confirmed-body = Hello { $name },

    You have a seat on “{ $course }”. Time, place and the cancellation deadline are here:
    { $link }
mail-course-waitlisted-subject = You are on the waiting list for “{ $course }”
mail-course-waitlisted-body = Hello { $name },

    “{ $course }” is full. You are on the waiting list as number { $position } of { $of }. We will tell you if you get a seat.
    { $link }
mail-course-promoted-subject = You now have a seat on “{ $course }”
mail-course-promoted-body = Hello { $name },

    A seat became free and you now have a seat on “{ $course }”. If you cannot come, cancel so the seat goes on:
    { $link }
session-calendar = Add to calendar (.ics)
calendar-feed-make = Make a calendar link
calendar-feed-title = Your calendar link
calendar-feed-url = Secret address of your calendar
calendar-feed-shown-once = The address is shown only now. If you make a new one, the old one stops working.
calendar-feed-help = Subscribe to the address in your calendar program. It shows the sessions you have a seat in. Do not share it.
error-not-a-participant = The person does not have a seat in the session.
attendance-title = Attendance
attendance-help = Mark who came, day by day. The course is completed when a participant attended every day, and the competence is then recorded for the person.
attendance-none = Nobody has a seat in the session.
attendance-present = Present
attendance-absent = Absent
attendance-save = Save attendance
attendance-saved = Attendance saved.
attendance-completed = completed
field-day = Day
mail-course-cancelled-subject = “{ $course }” is cancelled
mail-course-cancelled-body = Hello { $name },

    The session of “{ $course }” you were enrolled in is cancelled. Attached is an updated calendar entry that removes it from your calendar.
    { $link }

invoicing-title = Course invoicing basis
invoicing-rule = Participants, no-shows, those without recorded attendance and late cancellations are charged the course's price (the internal price for the region's municipalities). Cancellations before the deadline and the waitlist are not charged. Sessions not yet held are listed but not charged until they are held.
invoicing-from = From
invoicing-to = To (inclusive)
invoicing-all-municipalities = All municipalities
invoicing-show = Show
invoicing-download-csv = Download CSV
invoicing-download-xlsx = Download Excel (XLSX)
invoicing-empty = Nobody to invoice in this period.
invoicing-course = Course
invoicing-date = Date
invoicing-participants = Participants
invoicing-no-shows = No-shows
invoicing-late-cancellations = Late cancellations
invoicing-charged = Charged
invoicing-price = Price
invoicing-amount = Amount
invoicing-people = People
invoicing-total = Total
invoicing-grand-total = Grand total
invoicing-participant = attended
invoicing-no-show = no-show
invoicing-late-cancellation = late cancellation
error-period-reversed = The end date cannot be before the start date.
field-from = From
field-to = To
invoicing-unrecordeds = Attendance not recorded
invoicing-not-yet-helds = Not yet held
invoicing-unrecorded = attendance not recorded
invoicing-not-yet-held = not yet held
mail-course-changed-subject = “{ $course }” has changed
mail-course-changed-body = Hello { $name },

    The session of “{ $course }” you are enrolled in has changed. This is how it is now:
    { $when }
    Place: { $place }

    Attached is an updated calendar entry that replaces the one you have.
    { $link }
error-day-has-attendance = A day with attendance recorded cannot be removed. Move the day instead, or clear its attendance first.
approvals-title = Requests awaiting approval
approvals-help = Courses that need approval wait for you to enrol the person or decline. When you approve, the person gets a seat or a waitlist place as usual, in the order approvals arrive.
approvals-none = No requests are waiting.
approvals-starts = First day
approvals-requested-at = Requested
approvals-decision = Decision
approvals-approve = Approve
approvals-reject = Decline
approvals-rejected = The request from { $name } is declined, and they have been told.
course-approval = Approval
course-approval-required = Your manager must approve the enrolment.
session-request = Request a place
session-withdraw-request = Withdraw the request
course-state-pending = You have requested a place. The request awaits your manager's approval.
course-state-rejected = The request for a place was declined.
field-requires_approval = Requires a manager's approval
field-requires_approval-help = When people enrol themselves, the enrolment waits until a manager or coordinator approves it.
error-own-request = You cannot approve or decline your own request.
error-no-pending-request = There is no waiting request for this person.
mail-course-requested-subject = You have requested a place on “{ $course }”
mail-course-requested-body = Hello { $name },

    We have received your request for a place on “{ $course }”. Your manager must approve it before you get a place. You will get another e-mail when it is decided.
    { $link }
mail-course-rejected-subject = Your request for “{ $course }” is declined
mail-course-rejected-body = Hello { $name },

    Your request for a place on “{ $course }” is declined. Talk to your manager if you wonder why.
    { $link }
mail-course-reminder-subject = Reminder: “{ $course }”
mail-course-reminder-body = Hello { $name },

    A reminder that you have a place on “{ $course }”:
    { $when }
    Place: { $place }

    If you cannot come, cancel on the course page so that someone on the waitlist gets the seat.
    { $link }
evidence-title = Documented competence
evidence-none = No documented competence yet. Completed courses are listed here.
evidence-competence = Competence
evidence-level = Level
evidence-date = Date
evidence-source = Source
evidence-from-course = Course: { $course }
course-outside-target-groups = The course is made for other target groups than the person belongs to. The enrolment is registered all the same.
evaluation-title = Course evaluation
evaluation-thanks = Thank you! Your answer is stored without your name.
evaluation-anonymous = The evaluation is anonymous: your answer is stored without name or time, and the organiser sees only combined figures once at least five have answered.
evaluation-overall = How good was the course overall?
evaluation-relevance = How useful is the course for your work?
evaluation-scale = 1 = to a very small extent, 5 = to a very great extent.
evaluation-comment = Comment (optional)
evaluation-comment-help = Do not write names or anything else that could show who you are or whom you write about.
evaluation-send = Send the evaluation
evaluation-results = Evaluations
evaluation-k-rule = { $count ->
    [one] Figures are shown only for groups of at least { $formatted } answer.
   *[other] Figures are shown only for groups of at least { $formatted } answers, and not where a hidden group could be worked out.
}
evaluation-group = Group
evaluation-respondents = Answers
evaluation-overall-mean = Overall (mean)
evaluation-overall-distribution = Overall (distribution)
evaluation-relevance-mean = Usefulness (mean)
evaluation-relevance-distribution = Usefulness (distribution)
evaluation-whole-course = The whole course
evaluation-hidden = Hidden: too few answers, or could reveal a smaller group.
evaluation-comments = Comments
evaluation-no-comments = No comments to show.
session-evaluate = Evaluate the course
course-evaluation-results = See the evaluations
field-overall = Overall
field-relevance = Usefulness
field-comment = Comment
error-score-off-scale = Choose a number from 1 to 5.
error-not-completed = You can evaluate once you have completed the course.
error-already-evaluated = You have already evaluated this session.
participation-title = Course participation
report-k-rule = { $count ->
    [one] Figures about groups of people are shown only for groups of at least { $formatted } person.
   *[other] Figures about groups of people are shown only for groups of at least { $formatted } people, and not where a hidden group could be worked out from the total.
}
report-sessions = Sessions in the period
report-no-sessions = No sessions in the period.
report-capacity = Seats
report-confirmed = Enrolled
report-fill = Fill rate
report-waitlisted = Waitlisted
report-completed = Completed
report-no-shows = No-shows
report-no-show-rate = No-show rate
report-municipalities = Participants per municipality
report-participants = Participants
report-region-total = The whole region
report-units = Participants per unit
report-units-of = Units in { $municipality } (with their sub-units)
report-units-choose = Choose a municipality to see the figures per unit.
report-no-units = Nobody from the municipality's units took part in the period.
report-unit-level = Level
report-competences = Competence built (completed courses)
report-no-competences = No completed courses in the period.
report-people-completed = People
participation-hidden-short = hidden
report-hidden-explained = “hidden” means too few people, or that the figure could reveal a smaller group.
course-state-offered = You have been offered a free seat. Answer by { $deadline }, or the seat goes to the next person on the waiting list.
course-state-offer-declined = You declined the seat, and it has gone to the next person.
course-state-offer-lapsed = The offer of a seat ran out without an answer, and the seat has gone to the next person.
course-offer-accepted = You accepted. { $state }
session-accept-offer = Accept the seat
session-decline-offer = Decline
field-offer_hours = Answer time for offered seats (hours)
field-offer_hours-help = Empty or 0: a freed seat goes at once to the first on the waiting list. Otherwise the first gets an offer to answer within this many hours (at most 720, never after the course starts); without an answer the seat passes on.
error-invalid-offer-hours = Enter a whole number of hours from 0 to 720.
error-offer-expired = The time to answer the offer has run out, and the seat has gone to the next person.
error-no-offer = You have no offer of a seat in this session.
mail-course-offered-subject = A seat is free on “{ $course }”: answer by { $deadline }
mail-course-offered-body = Hello { $name }!

    A seat has become free on “{ $course }”, and it is held for you until { $deadline }. Accept or decline it on the course page:
    { $link }
    If you do not answer in time, the seat goes to the next person on the waiting list.
mail-course-offer-lapsed-subject = The offer of a seat on “{ $course }” has run out
mail-course-offer-lapsed-body = Hello { $name }!

    You did not answer the offer of a seat on “{ $course }” in time, so the seat has gone to the next person on the waiting list. If you still want to take part, you can enrol again:
    { $link }
