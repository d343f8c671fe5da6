# Løft – nynorsk

## Felles
skip-to-content = Hopp til hovudinnhaldet
nav-main = Hovudmeny
nav-home = Framside
nav-organisation = Organisasjon
nav-people = Personar
nav-audit = Endringslogg
nav-account = Kontoen min
language = Språk
language-change = Byt språk
logout = Logg ut
footer-text = Løft – digital kompetanse i regionen. Spørsmål? Kontakt koordinatoren i kommunen din.
back-home = Til framsida
breadcrumbs = Brødsmulesti
all = Alle
save = Lagre
search = Søk
next = Neste
previous = Førre
pagination = Sidenavigasjon
page-of = Side { $page } av { $pages }
people-count = { $count ->
    [one] { $formatted } person
   *[other] { $formatted } personar
}

## Datoar
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
login-intro = Logg inn med brukarnamnet og passordet ditt.
login = Logg inn
username = Brukarnamn
password = Passord
login-failed = Feil brukarnamn eller passord.
login-throttled = For mange mislukka forsøk. Vent eit kvarter og prøv igjen.

## Framside
home-title = Velkomen til Løft
home-welcome = Du er logga inn som { $name }.
home-your-roles = Rollene dine
home-organisation-text = Kommunar, einingar og organisasjonskart.
home-people-text = Søk etter tilsette, folkevalde og tillitsvalde.
home-audit-text = Kven endra kva, og når.
home-my-page = Mi side
home-my-page-text = Einingane, stillingane og rollene dine.
home-account-text = Språk og API-nøklar.

## Roller og rollegrupper
role-system-admin = Systemadministrator
role-regional-coordinator = Regional koordinator
role-municipal-coordinator = Kommunal koordinator
role-manager = Leiar
role-employee = Tilsett
role-course-organiser = Kursarrangør
role-steering-group-member = Medlem av styringsgruppe
group-ansatt = Tilsett
group-leder = Leiar
group-folkevalgt = Folkevald
group-tillitsvalgt = Tillitsvald
group-radmann = Kommunedirektør (rådmann)
group-innkjoper = Innkjøpar

## Kommunar og einingar
municipalities-title = Kommunar
municipalities-caption = Kommunane i regionen, sorterte alfabetisk
col-municipality = Kommune
col-number = Kommunenummer
col-language-form = Målform
col-population = Innbyggjarar
col-people = Personar
language-form-bokmal = Bokmål
language-form-nynorsk = Nynorsk
language-form-neutral = Nøytral
municipality-people-link = Sjå alle personar i kommunen
unit-tree = Organisasjonskart
unit-closed = Nedlagd
unit-create-root = Ny eining på øvste nivå
unit-name = Namn på eining
unit-code = Einingskode
unit-create = Opprett eining
unit-children = Undereiningar
unit-administer = Administrer eininga
unit-new-name = Nytt namn
unit-rename = Gi nytt namn
unit-child-name = Namn på ny undereining
unit-move-to = Flytt under
unit-move = Flytt eininga
unit-close = Legg ned eininga
unit-close-help = Ei eining kan berre leggjast ned når ho ikkje har opne undereiningar eller tilsette.
unit-history = Historikk
unit-change-created = Oppretta
unit-change-renamed = Nytt namn
unit-change-moved = Flytta
unit-change-closed = Lagd ned
col-when = Tidspunkt
col-change = Endring
col-before = Før
col-after = Etter

## Personar
people-title = Personar
people-search-label = Søk etter personar
people-search = Namn, e-post eller tilsettnummer
people-search-help = Starten av førenamn eller etternamn, starten av e-postadressa, eller heile tilsettnummeret.
people-in-unit = Viser personar i { $unit } med undereiningar.
col-name = Namn
col-employee-number = Tilsettnummer
col-email = E-post
col-status = Status
col-role-group = Rollegruppe
col-unit = Eining
col-position = Stilling
col-percent = Stillingsprosent
col-start = Startdato
col-end = Sluttdato
status-active = Aktiv
status-left = Slutta
status-all = Alle
sort-by = Sorter etter
sort-name = Namn
sort-municipality = Kommune
sort-number = Tilsettnummer
person-register = Registrer person
person-register-intro = For folkevalde, tillitsvalde og andre som ikkje finst i løns- og personalsystemet.
person-positions = Stillingar
person-no-positions = Ingen stillingar registrerte.
person-role-groups-legend = Rollegrupper
person-roles = Roller i Løft
person-no-roles = Ingen roller utover tilsett.
role-grant-label = Gi rolle
role-grant-unit = Eining (for leiarrolla)
role-grant-unit-help = Leiaren får tilgang til eininga og alle einingar under ho.
role-grant = Gi rolla
role-revoke = Fjern
given-name = Førenamn
family-name = Etternamn
field-given_name = Førenamn
field-family_name = Etternamn
field-email = E-post
field-employee_number = Tilsettnummer
field-role_group = Rollegruppe
field-municipality = Kommune

## Endringslogg
audit-title = Endringslogg
audit-intro = Alle administrative endringar i området ditt, nyaste først.
audit-system = Systemet
audit-older = Eldre endringar
col-who = Kven
col-action = Handling

## Konto
account-title = Kontoen min
account-language-legend = Språk i Løft
tokens-title = API-nøklar
tokens-intro = Personlege nøklar for integrasjonar. Ein nøkkel gir same tilgang som du har sjølv. Han blir berre vist éin gong.
tokens-name = Namn på nøkkelen
tokens-create = Lag ny nøkkel
tokens-created = Nøkkelen er laga. Kopier han no – han blir ikkje vist igjen.
tokens-created-at = Laga
tokens-last-used = Sist brukt
tokens-revoke = Trekk tilbake
tokens-revoked = Trekt tilbake

## Feil
error-status = Statuskode
error-invalid-input = Noko i skjemaet må rettast.
error-not-found = Vi fann ikkje sida du bad om.
error-forbidden = Du har ikkje tilgang til denne sida.
error-unauthenticated = Du må logge inn.
error-csrf = Skjemaet var gått ut. Last inn sida på nytt og prøv igjen.
error-internal = Noko gjekk gale hos oss. Prøv igjen om litt.
error-required = Feltet må fyllast ut.
error-too-long = Teksten er for lang.
error-invalid-email = E-postadressa er ikkje gyldig.
error-invalid-employee-number = Tilsettnummeret kan berre ha bokstavar, tal og bindestrek.
error-invalid-municipality-number = Kommunenummeret må ha fire siffer.
error-unknown-role-group = Ukjend rollegruppe.
error-unknown-role = Ukjend rolle.
error-parent-other-municipality = Eininga må liggje i same kommune.
error-parent-inside-unit = Ei eining kan ikkje flyttast inn under seg sjølv.
error-parent-closed = Eininga kan ikkje leggjast under ei nedlagd eining.
error-unit-has-open-children = Eininga har opne undereiningar. Flytt eller legg ned dei først.
error-unit-has-people = Eininga har tilsette. Flytt dei først.
error-unit-code-exists = Einingskoden er allereie i bruk i kommunen.
error-unit-other-municipality = Eininga høyrer til ein annan kommune.
error-region-exists = Regionen finst allereie.
error-municipality-exists = Kommunen finst allereie.
error-employee-number-exists = Tilsettnummeret er allereie i bruk i kommunen.
error-username-exists = Brukarnamnet er allereie i bruk.
error-invalid-username = Brukarnamnet er ikkje gyldig.
error-file-exists = Fila finst allereie.
error-invalid-id = Ugyldig verdi.
error-invalid-form = Skjemaet kunne ikkje lesast.
error-invalid-json = Innhaldet er ikkje gyldig JSON av rett form.
error-invalid-filter = Eitt av filtera har ein ugyldig verdi.
error-unknown-language = Ukjent språk.
error-body-too-large = Innhaldet er for stort.
municipality-register = Registrer kommune
region = Region
field-number = Kommunenummer
field-name = Namn
field-population = Innbyggjarar
field-language_form = Målform
error-invalid-language-form = Ukjend målform.
error-invalid-number = Ugyldig tal.
person-edit = Rett namn og e-post, eller merk som slutta
person-left-help = Ein person som har slutta, blir aldri sletta: historikken (kartleggingar, kurs) blir ståande.
person-mark-left = Merk som slutta
person-mark-active = Merk som aktiv igjen
field-status = Status
field-body = Innhald
field-code = Einingskode
field-file = Fil
field-form = Skjema
field-lang = Språk
field-parent = Overordna eining
field-region = Region
field-role = Rolle
field-unit = Eining
field-username = Brukarnamn
error-one-change-at-a-time = Endre éin ting om gongen: namn, plassering eller nedlegging (for personar: namn og e-post, eller status).
page-number = Side { $page }
people-count-at-least = Minst { $formatted } personar

## HR-import
error-ambiguous-header = Kolonnenamnet finst fleire gonger i fila.
error-both-unit-columns = Vel anten einingskode eller einingssti, ikkje begge.
error-duplicate-employee-number = Tilsettnummeret står fleire gonger i fila.
error-end-before-start = Sluttdatoen er før startdatoen.
error-file-too-large = Fila er større enn det som er tillate.
error-invalid-boolean = Skriv ja eller nei.
error-invalid-date = Datoen må skrivast som dd.mm.åååå eller åååå-mm-dd.
error-invalid-mobile = Mobilnummeret er ikkje gyldig.
error-invalid-percent = Stillingsprosenten må vere eit tal frå 0 til 100.
error-invalid-unit-path = Einingsstien er ikkje gyldig.
error-missing-column = Ei påkravd kolonne manglar i fila.
error-missing-unit-column = Fila må ha ei kolonne for eining (kode eller sti).
error-not-tabular = Fila er ikkje ei CSV- eller Excel-fil.
error-unknown-header = Kolonna finst ikkje i fila.
error-unknown-unit = Einingskoden finst ikkje i kommunen.
error-wrong-column-count = Rada har feil tal på kolonnar.
