## Competence mapping: knowledge checks, reminders, exports, API
check-true = Sant
check-false = Usant
check-legend = Kunnskapssjekk
answer-checks-intro = Under noen av kompetansene er det kunnskapsspørsmål med ett riktig svar. De gir et testet nivå som vises ved siden av nivået du selv velger, aldri slått sammen med det. Svar på dem for kompetanser som er relevante for deg.
field-checks = Kunnskapssjekk
field-checks-help = Spørsmål med riktig svar som gir et testet nivå ved siden av det selvvurderte. Bare spørsmål om kompetanser runden spør om, blir med.
field-prompt = Spørsmål
field-options = Svaralternativer
col-tested-level = Testet nivå
col-tested-median = Median, testet
col-tested-at-target = På eller over mål, testet
col-tested-respondents = Svar, testet
profile-tested-intro = Testet nivå kommer fra kunnskapsspørsmålene: andelen riktige svar fordelt jevnt over skalaen. Det vises ved siden av nivået du valgte, ikke slått sammen med det.
report-tested = Selvvurdert og testet nivå
report-tested-intro = Testet nivå regnes ut fra kunnskapsspørsmålene (andelen riktige fordelt jevnt over skalaen) og står ved siden av det selvvurderte, aldri som et gjennomsnitt av de to. Samme regel for små grupper gjelder.
report-tested-caption = Selvvurdert og testet nivå per kompetanse for valgt enhet
error-checks-incomplete = Svar på kunnskapsspørsmålene for alle kompetanser du har gitt et nivå, før du sender inn.
error-check-choice-invalid = Et svar på et kunnskapsspørsmål er ikke blant alternativene.
error-check-options-invalid = Et flervalgsspørsmål må ha 2–8 alternativer og ett riktig svar blant dem.
mail-reminder-subject = Påminnelse: { $round }
mail-reminder-body = Hei, { $name }!
    
    Vi minner om kompetansekartleggingen «{ $round }», som stenger { $closes }. Har du lagret svar, kan du fortsette der du slapp.
    
    Svar her: { $link }
    
    Lenken er personlig. Del den ikke med andre. Lenken i invitasjonen virker fortsatt.
field-audience-units = Enheter
field-audience-units-help = Velg en eller flere enheter (med Ctrl eller Cmd); hver enhet tar med alt under seg. Ingen valgt betyr alle.
field-units = Enheter
round-response-rate-units = Svarprosent per enhet (med alt under seg)
framework-import-title = Importer et rammeverk
framework-import-intro = Last opp en ny versjon av et rammeverk som JSON, i samme format som eksporten. En versjon som alt er publisert, endres aldri: gi den nye en ny versjon.
framework-import-help = JSON-fil med nøkkel, versjon, nivåer og områder med kompetanser, alle tekster på bokmål, nynorsk og engelsk.
framework-import-submit = Publiser versjonen
framework-import-link = Importer et rammeverk (JSON)
targets-edit-title = Målnivå
targets-edit-link = Endre målnivåene
targets-edit-region = Regionens målnivå per kompetanse og rollegruppe. Alle feltene må fylles ut.
targets-edit-municipality = Kommunens hevede mål for { $municipality }. La feltet stå tomt der regionens mål gjelder; et kommunalt mål kan ikke være lavere enn regionens (vist med ≥).
targets-edit-caption = Målnivå fra 1 til { $top }
targets-regional = regionens mål { $level }
targets-scopes = Region og kommuner
targets-save = Lagre målnivåene
targets-saved = Målnivåene er lagret.
error-target-required = Regionen må sette et mål for hver kompetanse og rollegruppe.
error-target-twice = Samme kompetanse og rollegruppe står to ganger.
report-download-xlsx = Last ned rapporten (Excel)
report-print = Utskriftsvennlig rapport
report-print-now = Skriv ut med nettleserens utskrift (Ctrl+P eller Cmd+P); siden er lagt opp for A4.
report-generated = Laget { $date }
report-sheet-overview = Oversikt
report-sheet-units = Enheter
report-sheet-groups = Rollegrupper
report-sheet-over-time = Over tid
error-framework-json-at = Filen kunne ikke leses som et rammeverk fra linje { $line }, tegn { $column } (et felt mangler, har feil type eller JSON-en er ufullstendig).
