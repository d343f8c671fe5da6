# Løft – English

## Common
skip-to-content = Skip to main content
nav-main = Main menu
nav-home = Home
nav-organisation = Organisation
nav-people = People
nav-audit = Audit log
nav-account = My account
language = Language
language-change = Change language
logout = Log out
footer-text = Løft – digital competence in the region. Questions? Contact the coordinator in your municipality.
back-home = Go to the home page
breadcrumbs = Breadcrumbs
all = All
save = Save
search = Search
next = Next
previous = Previous
pagination = Pages
page-of = Page { $page } of { $pages }
people-count = { $count ->
    [one] { $formatted } person
   *[other] { $formatted } people
}

## Dates
date-long = { $day } { $month } { $year }
datetime-long = { $date } at { $time }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Login
login-title = Log in
login-intro = Log in with your user name and password.
login = Log in
username = User name
password = Password
login-failed = Wrong user name or password.
login-throttled = Too many failed attempts. Wait a quarter of an hour and try again.

## Home
home-title = Welcome to Løft
home-welcome = You are logged in as { $name }.
home-your-roles = Your roles
home-organisation-text = Municipalities, units and organisation charts.
home-people-text = Find employees, elected officials and union representatives.
home-audit-text = Who changed what, and when.
home-my-page = My page
home-my-page-text = Your units, positions and roles.
home-account-text = Language and API keys.

## Roles and role groups
role-system-admin = System administrator
role-regional-coordinator = Regional coordinator
role-municipal-coordinator = Municipal coordinator
role-manager = Manager
role-employee = Employee
role-course-organiser = Course organiser
role-steering-group-member = Steering group member
group-ansatt = Employee
group-leder = Manager
group-folkevalgt = Elected official
group-tillitsvalgt = Union representative
group-radmann = Chief executive (rådmann)
group-innkjoper = Procurement officer

## Municipalities and units
municipalities-title = Municipalities
municipalities-caption = The region's municipalities in alphabetical order
col-municipality = Municipality
col-number = Municipality number
col-language-form = Written standard
col-population = Inhabitants
col-people = People
language-form-bokmal = Bokmål
language-form-nynorsk = Nynorsk
language-form-neutral = Neutral
municipality-people-link = See everyone in the municipality
unit-tree = Organisation chart
unit-closed = Closed
unit-create-root = New top-level unit
unit-name = Unit name
unit-code = Unit code
unit-create = Create unit
unit-children = Sub-units
unit-administer = Administer the unit
unit-new-name = New name
unit-rename = Rename
unit-child-name = Name of new sub-unit
unit-move-to = Move under
unit-move = Move the unit
unit-close = Close the unit
unit-close-help = A unit can only be closed when it has no open sub-units and no staff.
unit-history = History
unit-change-created = Created
unit-change-renamed = Renamed
unit-change-moved = Moved
unit-change-closed = Closed
col-when = When
col-change = Change
col-before = Before
col-after = After

## People
people-title = People
people-search-label = Search for people
people-search = Name, e-mail or employee number
people-search-help = The start of a given or family name, the start of an e-mail address, or a whole employee number.
people-in-unit = Showing people in { $unit } and its sub-units.
col-name = Name
col-employee-number = Employee number
col-email = E-mail
col-status = Status
col-role-group = Role group
col-unit = Unit
col-position = Position
col-percent = Percentage of full time
col-start = Start date
col-end = End date
status-active = Active
status-left = Left
status-all = All
sort-by = Sort by
sort-name = Name
sort-municipality = Municipality
sort-number = Employee number
person-register = Register a person
person-register-intro = For elected officials, union representatives and others who are not in the HR system.
person-positions = Positions
person-no-positions = No positions registered.
person-role-groups-legend = Role groups
person-roles = Roles in Løft
person-no-roles = No roles besides employee.
role-grant-label = Give a role
role-grant-unit = Unit (for the manager role)
role-grant-unit-help = The manager gets access to the unit and every unit under it.
role-grant = Give the role
role-revoke = Remove
given-name = Given name
family-name = Family name
field-given_name = Given name
field-family_name = Family name
field-email = E-mail
field-employee_number = Employee number
field-role_group = Role group
field-municipality = Municipality

## Audit log
audit-title = Audit log
audit-intro = Every administrative change in your area, newest first.
audit-system = The system
audit-older = Older changes
col-who = Who
col-action = Action

## Account
account-title = My account
account-language-legend = Language in Løft
tokens-title = API keys
tokens-intro = Personal keys for integrations. A key has the same access as you. It is shown only once.
tokens-name = Key name
tokens-create = Create a key
tokens-created = The key has been created. Copy it now – it will not be shown again.
tokens-created-at = Created
tokens-last-used = Last used
tokens-revoke = Revoke
tokens-revoked = Revoked

## Errors
error-status = Status code
error-invalid-input = Something in the form needs correcting.
error-not-found = We could not find the page you asked for.
error-forbidden = You do not have access to this page.
error-unauthenticated = You need to log in.
error-csrf = The form had expired. Reload the page and try again.
error-internal = Something went wrong on our side. Try again in a moment.
error-required = This field is required.
error-too-long = The text is too long.
error-invalid-email = The e-mail address is not valid.
error-invalid-employee-number = The employee number may only contain letters, digits and hyphens.
error-invalid-municipality-number = The municipality number must have four digits.
error-unknown-role-group = Unknown role group.
error-unknown-role = Unknown role.
error-parent-other-municipality = The unit must be in the same municipality.
error-parent-inside-unit = A unit cannot be moved under itself.
error-parent-closed = A unit cannot be placed under a closed unit.
error-unit-has-open-children = The unit has open sub-units. Move or close them first.
error-unit-has-people = The unit has staff. Move them first.
error-unit-code-exists = The unit code is already used in the municipality.
error-unit-other-municipality = The unit belongs to another municipality.
error-region-exists = The region already exists.
error-municipality-exists = The municipality already exists.
error-employee-number-exists = The employee number is already used in the municipality.
error-username-exists = The user name is already taken.
error-invalid-username = The user name is not valid.
error-file-exists = The file already exists.
error-invalid-id = Invalid value.
error-invalid-form = The form could not be read.
error-invalid-json = The body is not valid JSON of the expected shape.
error-invalid-filter = One of the filters has an invalid value.
error-unknown-language = Unknown language.
error-body-too-large = The body is too large.
municipality-register = Register a municipality
region = Region
field-number = Municipality number
field-name = Name
field-population = Inhabitants
field-language_form = Written standard
error-invalid-language-form = Unknown written standard.
error-invalid-number = Invalid number.
person-edit = Correct name and e-mail, or mark as left
person-left-help = A person who has left is never deleted: their history (mappings, courses) stays.
person-mark-left = Mark as left
person-mark-active = Mark as active again
field-status = Status
field-body = Body
field-code = Unit code
field-file = File
field-form = Form
field-lang = Language
field-parent = Parent unit
field-region = Region
field-role = Role
field-unit = Unit
field-username = User name
error-one-change-at-a-time = Change one thing at a time: name, place or closing (for people: name and e-mail, or status).
page-number = Page { $page }
people-count-at-least = At least { $formatted } people

## HR import
error-ambiguous-header = The column name appears more than once in the file.
error-both-unit-columns = Choose either unit code or unit path, not both.
error-duplicate-employee-number = The employee number appears more than once in the file.
error-end-before-start = The end date is before the start date.
error-file-too-large = The file is larger than allowed.
error-invalid-boolean = Write yes or no.
error-invalid-date = Write the date as dd.mm.yyyy or yyyy-mm-dd.
error-invalid-mobile = The mobile number is not valid.
error-invalid-percent = The percentage must be a number from 0 to 100.
error-invalid-unit-path = The unit path is not valid.
error-missing-column = A required column is missing from the file.
error-missing-unit-column = The file needs a unit column (code or path).
error-not-tabular = The file is not a CSV or Excel file.
error-unknown-header = The column does not exist in the file.
error-unknown-unit = The unit code does not exist in the municipality.
error-wrong-column-count = The row has the wrong number of columns.
