## Competence mapping: knowledge checks, reminders, exports, API
check-true = Sant
check-false = Usant
check-legend = Kunnskapssjekk
answer-checks-intro = Under nokre av kompetansane er det kunnskapsspørsmål med eitt rett svar. Dei gir eit testa nivå som blir vist ved sida av nivået du sjølv vel, aldri slått saman med det. Svar på dei for kompetansar som er relevante for deg.
field-checks = Kunnskapssjekk
field-checks-help = Spørsmål med rett svar som gir eit testa nivå ved sida av det sjølvvurderte. Berre spørsmål om kompetansar runden spør om, blir med.
field-prompt = Spørsmål
field-options = Svaralternativ
col-tested-level = Testa nivå
col-tested-median = Median, testa
col-tested-at-target = På eller over mål, testa
col-tested-respondents = Svar, testa
profile-tested-intro = Testa nivå kjem frå kunnskapsspørsmåla: delen rette svar fordelt jamt over skalaen. Det blir vist ved sida av nivået du valde, ikkje slått saman med det.
report-tested = Sjølvvurdert og testa nivå
report-tested-intro = Testa nivå blir rekna ut frå kunnskapsspørsmåla (delen rette fordelt jamt over skalaen) og står ved sida av det sjølvvurderte, aldri som eit gjennomsnitt av dei to. Same regel for små grupper gjeld.
report-tested-caption = Sjølvvurdert og testa nivå per kompetanse for vald eining
error-checks-incomplete = Svar på kunnskapsspørsmåla for alle kompetansar du har gitt eit nivå, før du sender inn.
error-check-choice-invalid = Eit svar på eit kunnskapsspørsmål er ikkje blant alternativa.
error-check-options-invalid = Eit fleirvalsspørsmål må ha 2–8 alternativ og eitt rett svar blant dei.
mail-reminder-subject = Påminning: { $round }
mail-reminder-body = Hei, { $name }!
    
    Vi minner om kompetansekartlegginga «{ $round }», som stengjer { $closes }. Har du lagra svar, kan du halde fram der du slapp.
    
    Svar her: { $link }
    
    Lenkja er personleg. Del ho ikkje med andre. Lenkja i invitasjonen verkar framleis.
field-audience-units = Einingar
field-audience-units-help = Vel ei eller fleire einingar (med Ctrl eller Cmd); kvar eining tek med alt under seg. Ingen vald tyder alle.
field-units = Einingar
round-response-rate-units = Svarprosent per eining (med alt under seg)
framework-import-title = Importer eit rammeverk
framework-import-intro = Last opp ein ny versjon av eit rammeverk som JSON, i same format som eksporten. Ein versjon som alt er publisert, blir aldri endra: gi den nye ein ny versjon.
framework-import-help = JSON-fil med nøkkel, versjon, nivå og område med kompetansar, alle tekstar på bokmål, nynorsk og engelsk.
framework-import-submit = Publiser versjonen
framework-import-link = Importer eit rammeverk (JSON)
targets-edit-title = Målnivå
targets-edit-link = Endre målnivåa
targets-edit-region = Målnivået til regionen per kompetanse og rollegruppe. Alle felta må fyllast ut.
targets-edit-municipality = Dei heva måla til kommunen for { $municipality }. La feltet stå tomt der målet til regionen gjeld; eit kommunalt mål kan ikkje vere lågare enn regionen sitt (vist med ≥).
targets-edit-caption = Målnivå frå 1 til { $top }
targets-regional = målet til regionen { $level }
targets-scopes = Region og kommunar
targets-save = Lagre målnivåa
targets-saved = Målnivåa er lagra.
error-target-required = Regionen må setje eit mål for kvar kompetanse og rollegruppe.
error-target-twice = Same kompetanse og rollegruppe står to gonger.
report-download-xlsx = Last ned rapporten (Excel)
report-print = Utskriftsvenleg rapport
report-print-now = Skriv ut med utskrifta i nettlesaren (Ctrl+P eller Cmd+P); sida er lagd opp for A4.
report-generated = Laga { $date }
report-sheet-overview = Oversikt
report-sheet-units = Einingar
report-sheet-groups = Rollegrupper
report-sheet-over-time = Over tid
error-framework-json-at = Fila kunne ikkje lesast som eit rammeverk frå linje { $line }, teikn { $column } (eit felt manglar, har feil type eller JSON-en er ufullstendig).
