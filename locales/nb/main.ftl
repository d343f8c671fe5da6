# Løft – bokmål (standardspråk)

## Felles
skip-to-content = Hopp til hovedinnhold
nav-main = Hovedmeny
nav-home = Forside
nav-organisation = Organisasjon
nav-people = Personer
nav-audit = Endringslogg
nav-account = Min konto
language = Språk
language-change = Bytt språk
logout = Logg ut
footer-text = Løft – digital kompetanse i regionen. Spørsmål? Kontakt koordinatoren i din kommune.
back-home = Til forsiden
breadcrumbs = Brødsmulesti
all = Alle
save = Lagre
search = Søk
next = Neste
previous = Forrige
pagination = Sidenavigasjon
page-of = Side { $page } av { $pages }
people-count = { $count ->
    [one] { $formatted } person
   *[other] { $formatted } personer
}

## Datoer
date-long = { $day }. { $month } { $year }
datetime-long = { $date } kl. { $time }
month-1 = januar
month-2 = februar
month-3 = mars
month-4 = april
month-5 = mai
month-6 = juni
month-7 = juli
month-8 = august
month-9 = september
month-10 = oktober
month-11 = november
month-12 = desember

## Innlogging
login-title = Logg inn
login-intro = Logg inn med brukernavnet og passordet ditt.
login = Logg inn
username = Brukernavn
password = Passord
login-failed = Feil brukernavn eller passord.
login-throttled = For mange mislykkede forsøk. Vent et kvarter og prøv igjen.

## Forside
home-title = Velkommen til Løft
home-welcome = Du er logget inn som { $name }.
home-your-roles = Dine roller
home-organisation-text = Kommuner, enheter og organisasjonskart.
home-people-text = Søk etter ansatte, folkevalgte og tillitsvalgte.
home-audit-text = Hvem endret hva, og når.
home-my-page = Min side
home-my-page-text = Dine enheter, stillinger og roller.
home-account-text = Språk og API-nøkler.

## Roller og rollegrupper
role-system-admin = Systemadministrator
role-regional-coordinator = Regional koordinator
role-municipal-coordinator = Kommunal koordinator
role-manager = Leder
role-employee = Ansatt
role-course-organiser = Kursarrangør
role-steering-group-member = Medlem av styringsgruppe
group-ansatt = Ansatt
group-leder = Leder
group-folkevalgt = Folkevalgt
group-tillitsvalgt = Tillitsvalgt
group-radmann = Kommunedirektør (rådmann)
group-innkjoper = Innkjøper

## Kommuner og enheter
municipalities-title = Kommuner
municipalities-caption = Kommunene i regionen, sortert alfabetisk
col-municipality = Kommune
col-number = Kommunenummer
col-language-form = Målform
col-population = Innbyggere
col-people = Personer
language-form-bokmal = Bokmål
language-form-nynorsk = Nynorsk
language-form-neutral = Nøytral
municipality-people-link = Se alle personer i kommunen
unit-tree = Organisasjonskart
unit-closed = Nedlagt
unit-create-root = Ny enhet på øverste nivå
unit-name = Navn på enhet
unit-code = Enhetskode
unit-create = Opprett enhet
unit-children = Underenheter
unit-administer = Administrer enheten
unit-new-name = Nytt navn
unit-rename = Gi nytt navn
unit-child-name = Navn på ny underenhet
unit-move-to = Flytt under
unit-move = Flytt enheten
unit-close = Legg ned enheten
unit-close-help = En enhet kan bare legges ned når den ikke har åpne underenheter eller ansatte.
unit-history = Historikk
unit-change-created = Opprettet
unit-change-renamed = Nytt navn
unit-change-moved = Flyttet
unit-change-closed = Lagt ned
col-when = Tidspunkt
col-change = Endring
col-before = Før
col-after = Etter

## Personer
people-title = Personer
people-search-label = Søk etter personer
people-search = Navn, e-post eller ansattnummer
people-search-help = Starten av fornavn eller etternavn, starten av e-postadressen, eller hele ansattnummeret.
people-in-unit = Viser personer i { $unit } med underenheter.
col-name = Navn
col-employee-number = Ansattnummer
col-email = E-post
col-status = Status
col-role-group = Rollegruppe
col-unit = Enhet
col-position = Stilling
col-percent = Stillingsprosent
col-start = Startdato
col-end = Sluttdato
status-active = Aktiv
status-left = Sluttet
status-all = Alle
sort-by = Sorter etter
sort-name = Navn
sort-municipality = Kommune
sort-number = Ansattnummer
person-register = Registrer person
person-register-intro = For folkevalgte, tillitsvalgte og andre som ikke finnes i lønns- og personalsystemet.
person-positions = Stillinger
person-no-positions = Ingen stillinger registrert.
person-role-groups-legend = Rollegrupper
person-roles = Roller i Løft
person-no-roles = Ingen roller utover ansatt.
role-grant-label = Gi rolle
role-grant-unit = Enhet (for lederrollen)
role-grant-unit-help = Lederen får tilgang til enheten og alle enheter under den.
role-grant = Gi rollen
role-revoke = Fjern
given-name = Fornavn
family-name = Etternavn
field-given_name = Fornavn
field-family_name = Etternavn
field-email = E-post
field-employee_number = Ansattnummer
field-role_group = Rollegruppe
field-municipality = Kommune

## Endringslogg
audit-title = Endringslogg
audit-intro = Alle administrative endringer i ditt område, nyeste først.
audit-system = Systemet
audit-older = Eldre endringer
col-who = Hvem
col-action = Handling

## Konto
account-title = Min konto
account-language-legend = Språk i Løft
tokens-title = API-nøkler
tokens-intro = Personlige nøkler for integrasjoner. En nøkkel gir samme tilgang som du har selv. Den vises bare én gang.
tokens-name = Navn på nøkkelen
tokens-create = Lag ny nøkkel
tokens-created = Nøkkelen er laget. Kopier den nå – den vises ikke igjen.
tokens-created-at = Laget
tokens-last-used = Sist brukt
tokens-revoke = Trekk tilbake
tokens-revoked = Trukket tilbake

## Feil
error-status = Statuskode
error-invalid-input = Noe i skjemaet må rettes.
error-not-found = Vi fant ikke siden du ba om.
error-forbidden = Du har ikke tilgang til denne siden.
error-unauthenticated = Du må logge inn.
error-csrf = Skjemaet var utløpt. Last inn siden på nytt og prøv igjen.
error-internal = Noe gikk galt hos oss. Prøv igjen om litt.
error-required = Feltet må fylles ut.
error-too-long = Teksten er for lang.
error-invalid-email = E-postadressen er ikke gyldig.
error-invalid-employee-number = Ansattnummeret kan bare ha bokstaver, tall og bindestrek.
error-invalid-municipality-number = Kommunenummeret må ha fire sifre.
error-unknown-role-group = Ukjent rollegruppe.
error-unknown-role = Ukjent rolle.
error-parent-other-municipality = Enheten må ligge i samme kommune.
error-parent-inside-unit = En enhet kan ikke flyttes inn under seg selv.
error-parent-closed = Enheten kan ikke legges under en nedlagt enhet.
error-unit-has-open-children = Enheten har åpne underenheter. Flytt eller legg ned dem først.
error-unit-has-people = Enheten har ansatte. Flytt dem først.
error-unit-code-exists = Enhetskoden er allerede i bruk i kommunen.
error-unit-other-municipality = Enheten hører til en annen kommune.
error-region-exists = Regionen finnes allerede.
error-municipality-exists = Kommunen finnes allerede.
error-employee-number-exists = Ansattnummeret er allerede i bruk i kommunen.
error-username-exists = Brukernavnet er allerede i bruk.
error-invalid-username = Brukernavnet er ikke gyldig.
error-file-exists = Filen finnes allerede.
error-invalid-id = Ugyldig verdi.
error-invalid-form = Skjemaet kunne ikke leses.
error-invalid-json = Innholdet er ikke gyldig JSON av riktig form.
error-invalid-filter = Et av filtrene har en ugyldig verdi.
error-unknown-language = Ukjent språk.
error-body-too-large = Innholdet er for stort.
municipality-register = Registrer kommune
region = Region
field-number = Kommunenummer
field-name = Navn
field-population = Innbyggere
field-language_form = Målform
error-invalid-language-form = Ukjent målform.
error-invalid-number = Ugyldig tall.
person-edit = Rett navn og e-post, eller marker som sluttet
person-left-help = En person som har sluttet, slettes aldri: historikken (kartlegginger, kurs) blir stående.
person-mark-left = Marker som sluttet
person-mark-active = Marker som aktiv igjen
field-status = Status
field-body = Innhold
field-code = Enhetskode
field-file = Fil
field-form = Skjema
field-lang = Språk
field-parent = Overordnet enhet
field-region = Region
field-role = Rolle
field-unit = Enhet
field-username = Brukernavn
error-one-change-at-a-time = Endre én ting om gangen: navn, plassering eller nedlegging (for personer: navn og e-post, eller status).
page-number = Side { $page }
people-count-at-least = Minst { $formatted } personer

## HR-import
error-ambiguous-header = Kolonnenavnet finnes flere ganger i filen.
error-both-unit-columns = Velg enten enhetskode eller enhetssti, ikke begge.
error-duplicate-employee-number = Ansattnummeret står flere ganger i filen.
error-end-before-start = Sluttdatoen er før startdatoen.
error-file-too-large = Filen er større enn det som er tillatt.
error-invalid-boolean = Skriv ja eller nei.
error-invalid-date = Datoen må skrives som dd.mm.åååå eller åååå-mm-dd.
error-invalid-mobile = Mobilnummeret er ikke gyldig.
error-invalid-percent = Stillingsprosenten må være et tall fra 0 til 100.
error-invalid-unit-path = Enhetsstien er ikke gyldig.
error-missing-column = En påkrevd kolonne mangler i filen.
error-missing-unit-column = Filen må ha en kolonne for enhet (kode eller sti).
error-not-tabular = Filen er ikke en CSV- eller Excel-fil.
error-unknown-header = Kolonnen finnes ikke i filen.
error-unknown-unit = Enhetskoden finnes ikke i kommunen.
error-wrong-column-count = Raden har feil antall kolonner.
