//! `loft import employees`: reads an HR export, prints the preview in Norwegian and applies it unless asked not to.
//! The work is the store's (`Store::preview_hr_import`, `Store::apply_hr_import`); this module reads the file,
//! prints, and decides the exit status.

use anyhow::Context;
use loft_domain::hr::{ColumnMapping, Field, Format, MappingError, RowError, WrongMunicipality};
use loft_domain::org::MunicipalityNumber;
use loft_store::Store;
use loft_store::audit::Change;
use loft_store::hr_import::{ImportSummary, Preview, Progress, Rejected};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Files above this are refused before they are read into the parser.
pub const MAX_FILE_BYTES: usize = 256 << 20;
/// Changes from which the apply reports progress, a line per tenth.
const PROGRESS_FROM: usize = 1_000;
/// Row errors printed before the rest are only counted.
const SHOWN_ERRORS: usize = 50;

#[derive(Debug, Clone)]
pub struct EmployeesImport {
    pub file: PathBuf,
    pub municipality: String,
    pub dry_run: bool,
    pub skip_invalid: bool,
    /// A JSON object `{"employee_number": "Ansattnr", …}`; else the saved mapping, else a guess.
    pub mapping: Option<PathBuf>,
}

/// How the import ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// `--dry-run` and the file could be applied.
    Previewed,
    /// Nothing was changed: the file, its mapping or its rows need correcting.
    Refused,
}

/// Runs the import, writing the report to `out` and progress to `progress` (stderr in the binary).
pub async fn employees(
    store: &Store,
    args: &EmployeesImport,
    out: &mut impl Write,
    progress: &mut (impl Write + Send),
) -> anyhow::Result<Outcome> {
    let number = MunicipalityNumber::parse(&args.municipality)
        .map_err(|_| anyhow::anyhow!("ugyldig kommunenummer: {}", args.municipality))?;
    let municipality = store
        .municipality_by_number(number)
        .await
        .with_context(|| format!("fant ikke kommune {}", args.municipality))?;
    let mapping = match &args.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("leser {}", path.display()))?;
            Some(serde_json::from_str::<ColumnMapping>(&text).with_context(|| format!("tolker {}", path.display()))?)
        }
        None => None,
    };
    let started = Instant::now();
    let bytes = std::fs::read(&args.file).with_context(|| format!("leser {}", args.file.display()))?;
    let file_name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    writeln!(progress, "Leste {} ({} kB); tolker og sammenligner …", file_name, bytes.len() / 1024)?;
    let change = Change { actor: None, region: Some(municipality.region_id), municipality: Some(municipality.id) };
    let preview =
        match store.preview_hr_import(change, municipality.id, &file_name, &bytes, MAX_FILE_BYTES, mapping).await? {
            Ok(preview) => preview,
            Err(rejected) => {
                print_rejected(out, &rejected)?;
                return Ok(Outcome::Refused);
            }
        };
    drop(bytes);
    writeln!(
        progress,
        "Forhåndsvisning klar etter {:.1} s ({} rader).",
        started.elapsed().as_secs_f64(),
        preview.summary.rows
    )?;
    writeln!(out, "Kommune: {} {}", municipality.number, municipality.name)?;
    print_preview(out, &file_name, &preview)?;
    let invalid = preview.summary.invalid_rows + preview.summary.plan.rejected;
    if invalid > 0 && !args.skip_invalid {
        let rows = if invalid == 1 { "rad" } else { "rader" };
        writeln!(out, "Ingenting er endret: {invalid} {rows} må rettes, eller kjør på nytt med --skip-invalid.")?;
        return Ok(Outcome::Refused);
    }
    if args.dry_run {
        writeln!(
            out,
            "Prøvekjøring (--dry-run): ingenting er endret. Importen er lagret som nr. {}.",
            preview.import_id
        )?;
        return Ok(Outcome::Previewed);
    }
    // The apply reads the stored file again; the preview's plan would only take memory meanwhile.
    let import_id = preview.import_id;
    drop(preview);
    writeln!(progress, "Oppdaterer databasen i én transaksjon …")?;
    let started = Instant::now();
    let summary = {
        let (sink, reported) = (Mutex::new(&mut *progress), AtomicUsize::new(0));
        let report = |p: Progress| {
            let tenth = (p.done * 10).checked_div(p.total).unwrap_or(10);
            if p.total >= PROGRESS_FROM
                && tenth > reported.swap(tenth, Ordering::Relaxed)
                && let Ok(mut out) = sink.lock()
            {
                let _ = writeln!(out, "  {} % ({} av {} personer)", tenth * 10, p.done, p.total);
            }
        };
        store.apply_hr_import_with_progress(change, import_id, args.skip_invalid, &report).await?
    };
    writeln!(progress, "Ferdig etter {:.1} s.", started.elapsed().as_secs_f64())?;
    writeln!(out, "Importert (nr. {import_id}):")?;
    print_summary(out, &summary)?;
    Ok(Outcome::Applied)
}

/// Prints the municipality's imports, newest first.
pub async fn list(store: &Store, municipality: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let number = MunicipalityNumber::parse(municipality)
        .map_err(|_| anyhow::anyhow!("ugyldig kommunenummer: {municipality}"))?;
    let municipality =
        store.municipality_by_number(number).await.with_context(|| format!("fant ikke kommune {municipality}"))?;
    for i in store.hr_imports(municipality.id).await? {
        let when = jiff::Timestamp::from_second(i.created_at)
            .and_then(|t| t.in_tz("Europe/Oslo"))
            .map(|t| t.strftime("%d.%m.%Y %H:%M").to_string())
            .unwrap_or_default();
        let status = match i.status.as_str() {
            "previewed" => "forhåndsvist",
            "applied" => "importert",
            "undone" => "angret",
            other => other,
        };
        let s = &i.summary.plan;
        writeln!(
            out,
            "{:>5}  {when}  {status:<12}  {}  nye {}, endret {}, flyttet {}, slutter {}, tilbake {}",
            i.id, i.file_name, s.new, s.changed, s.moved, s.leaving, s.returning
        )?;
    }
    Ok(())
}

/// Undoes an applied import.
pub async fn undo(store: &Store, id: i64, out: &mut impl Write) -> anyhow::Result<()> {
    let detail = store.hr_import(id).await.with_context(|| format!("fant ikke import {id}"))?;
    let change = Change { actor: None, region: None, municipality: Some(detail.record.municipality_id) };
    match store.undo_hr_import(change, id).await {
        Ok(()) => writeln!(out, "Import {id} er angret.")?,
        Err(loft_store::StoreError::Domain(loft_domain::DomainError::Conflict { code, .. })) => {
            let why = match code {
                "import-superseded" => "en nyere import er tatt i bruk etter den; angre den først",
                "import-not-undoable" => "den mangler verdiene fra før importen",
                _ => "bare importer som er tatt i bruk, kan angres",
            };
            anyhow::bail!("import {id} kan ikke angres: {why}");
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

fn print_rejected(out: &mut impl Write, rejected: &Rejected) -> std::io::Result<()> {
    match rejected {
        Rejected::Decode(e) => writeln!(out, "Filen kan ikke leses: {}", reason(e.code())),
        Rejected::Mapping { headers, errors, .. } => {
            writeln!(out, "Kolonnene passer ikke (filen har: {}):", headers.join(", "))?;
            for e in errors {
                writeln!(out, "  {}", mapping_problem(e))?;
            }
            writeln!(out, "Angi kolonnene med --mapping FIL.json, f.eks. {{\"employee_number\": \"Ansattnr\", …}}.")
        }
        Rejected::WrongMunicipality(WrongMunicipality::Named { column, found }) => {
            let found: Vec<String> = found.iter().map(|(n, rows)| format!("{n} ({rows} rader)")).collect();
            writeln!(out, "{}", reason("wrong-municipality"))?;
            writeln!(out, "Kolonnen «{column}» har kommunenummer {}.", found.join(", "))
        }
        Rejected::WrongMunicipality(wrong) => writeln!(out, "{}", reason(wrong.code())),
    }
}

fn print_preview(out: &mut impl Write, file_name: &str, p: &Preview) -> std::io::Result<()> {
    let format = match p.format {
        Format::Csv { separator: '\t' } => "CSV, tabulatorseparert".to_string(),
        Format::Csv { separator } => format!("CSV, skilletegn «{separator}»"),
        Format::Xlsx => "Excel (første ark)".to_string(),
        Format::Stamdata3 => "Stamdata3 XML".to_string(),
    };
    let encoding = p.encoding.and_then(|e| serde_json::to_value(e).ok()).and_then(|v| v.as_str().map(str::to_owned));
    writeln!(
        out,
        "Fil: {file_name} ({format}{}), {} rader",
        encoding.map(|e| format!(", {e}")).unwrap_or_default(),
        p.summary.rows
    )?;
    let columns: Vec<String> = p.mapping.iter().map(|(f, h)| format!("{} = «{h}»", field_name(f))).collect();
    writeln!(out, "Kolonner: {}", columns.join(", "))?;
    print_errors(out, "Ugyldige rader", &p.errors)?;
    print_errors(out, "Avviste rader", &p.plan.rejected)?;
    writeln!(out, "Forhåndsvisning:")?;
    print_summary(out, &p.summary)?;
    for unit in &p.plan.units_to_create {
        writeln!(out, "  ny enhet: {unit}")?;
    }
    Ok(())
}

fn print_errors(out: &mut impl Write, title: &str, errors: &[RowError]) -> std::io::Result<()> {
    if errors.is_empty() {
        return Ok(());
    }
    writeln!(out, "{title} ({}):", errors.len())?;
    for e in errors.iter().take(SHOWN_ERRORS) {
        let column = e.column.as_deref().map(|c| format!(", kolonne «{c}»")).unwrap_or_default();
        let value = if e.value.is_empty() { String::new() } else { format!(" (verdi: «{}»)", e.value) };
        writeln!(out, "  linje {}{column}: {}{value}", e.line, reason(e.code))?;
    }
    if errors.len() > SHOWN_ERRORS {
        writeln!(out, "  … og {} til", errors.len() - SHOWN_ERRORS)?;
    }
    Ok(())
}

fn print_summary(out: &mut impl Write, s: &ImportSummary) -> std::io::Result<()> {
    let p = &s.plan;
    for (label, n) in [
        ("nye", p.new),
        ("endret", p.changed),
        ("flyttet", p.moved),
        ("slutter", p.leaving),
        ("kommer tilbake", p.returning),
        ("uendret", p.unchanged),
        ("nye enheter", p.units_to_create),
        ("avvist", p.rejected),
        ("ugyldige rader", s.invalid_rows),
    ] {
        writeln!(out, "  {label:<15} {n}")?;
    }
    Ok(())
}

fn mapping_problem(e: &MappingError) -> String {
    match e {
        MappingError::MissingColumn { field } => format!("mangler kolonne for {}", field_name(*field)),
        MappingError::MissingUnitColumn => reason(e.code()).to_string(),
        MappingError::BothUnitColumns => reason(e.code()).to_string(),
        MappingError::UnknownHeader { field, header } => {
            format!("kolonnen «{header}» ({}) finnes ikke i filen", field_name(*field))
        }
        MappingError::AmbiguousHeader { field, header } => {
            format!("kolonnen «{header}» ({}) finnes flere ganger i filen", field_name(*field))
        }
    }
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::EmployeeNumber => "ansattnummer",
        Field::GivenName => "fornavn",
        Field::FamilyName => "etternavn",
        Field::Email => "e-post",
        Field::Mobile => "mobil",
        Field::UnitCode => "enhetskode",
        Field::UnitPath => "enhetssti",
        Field::PositionTitle => "stilling",
        Field::PositionCode => "stillingskode",
        Field::Percent => "stillingsprosent",
        Field::IsManager => "leder",
        Field::StartDate => "startdato",
        Field::EndDate => "sluttdato",
    }
}

/// The reason for an error code, as in the bokmål message file.
fn reason(code: &str) -> &'static str {
    match code {
        "required" => "Feltet må fylles ut.",
        "invalid-email" => "E-postadressen er ikke gyldig.",
        "invalid-employee-number" => "Ansattnummeret er ikke gyldig.",
        "too-long" => "Verdien er for lang.",
        "ambiguous-header" => "Kolonnenavnet finnes flere ganger i filen.",
        "both-unit-columns" => "Velg enten enhetskode eller enhetssti, ikke begge.",
        "duplicate-employee-number" => "Ansattnummeret står flere ganger i filen.",
        "end-before-start" => "Sluttdatoen er før startdatoen.",
        "file-too-large" => "Filen er større enn det som er tillatt.",
        "invalid-boolean" => "Skriv ja eller nei.",
        "invalid-date" => "Datoen må skrives som dd.mm.åååå eller åååå-mm-dd.",
        "invalid-mobile" => "Mobilnummeret er ikke gyldig.",
        "invalid-percent" => "Stillingsprosenten må være et tall fra 0 til 100.",
        "invalid-unit-path" => "Enhetsstien er ikke gyldig.",
        "missing-column" => "En påkrevd kolonne mangler i filen.",
        "missing-unit-column" => "Filen må ha en kolonne for enhet (kode eller sti).",
        "not-tabular" => "Filen er ikke en CSV- eller Excel-fil.",
        "unknown-header" => "Kolonnen finnes ikke i filen.",
        "unknown-unit" => "Enhetskoden finnes ikke i kommunen.",
        "wrong-column-count" => "Raden har feil antall kolonner.",
        "wrong-municipality" => "Filen gjelder en annen kommune enn den du importerer til. Ingenting er endret.",
        "unrecognised-municipality" => {
            "Filen ser ut til å gjelde en annen kommune: ingen av ansattnumrene finnes her, og de fleste enhetene er ukjente. Ingenting er endret."
        }
        _ => "Verdien er ikke gyldig.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loft_store::testing::TestDb;

    #[test]
    fn every_row_error_code_has_a_reason() {
        for code in [
            "required",
            "invalid-email",
            "invalid-date",
            "invalid-percent",
            "invalid-mobile",
            "invalid-boolean",
            "invalid-employee-number",
            "invalid-unit-path",
            "too-long",
            "end-before-start",
            "wrong-column-count",
            "duplicate-employee-number",
            "unknown-unit",
        ] {
            assert_ne!(reason(code), reason("no-such-code"), "{code}");
        }
    }

    #[tokio::test]
    async fn previews_refuses_invalid_rows_and_applies() {
        let db = TestDb::sqlite().await;
        let store = &db.store;
        let region = store.create_region("Testregionen").await.expect("region");
        let number = MunicipalityNumber::parse("3303").expect("number");
        let m = store.create_municipality(region, number, "Kongsberg", "Buskerud", "bokmål", 28_000).await.expect("m");
        let change = Change { actor: None, region: Some(region), municipality: Some(m) };
        store.create_unit(change, m, None, "Kongsberg kommune", Some("1000")).await.expect("unit");
        let dir = std::env::temp_dir().join(format!("loft-import-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("ansatte.csv");
        let text = "Ansattnr;Fornavn;Etternavn;E-post;Enhetskode;Leder\n\
                    1001;Kari;Nordmann;kari@kongsberg.kommune.no;1000;Ja\n\
                    1002;Ola;Bø;ikke-epost;1000;Nei\n\
                    1003;Åse;Li;;1000;\n";
        std::fs::write(&file, text).expect("write");
        let args = EmployeesImport {
            file: file.clone(),
            municipality: "3303".into(),
            dry_run: false,
            skip_invalid: false,
            mapping: None,
        };
        let run = |args: EmployeesImport| async move {
            let (mut out, mut progress) = (Vec::new(), Vec::new());
            let outcome = employees(store, &args, &mut out, &mut progress).await.expect("run");
            (outcome, String::from_utf8(out).expect("utf-8"))
        };

        let (outcome, out) = run(args.clone()).await;
        assert_eq!(outcome, Outcome::Refused, "{out}");
        assert!(
            out.contains("linje 3, kolonne «E-post»: E-postadressen er ikke gyldig. (verdi: «ikke-epost»)"),
            "{out}"
        );
        assert!(store.hr_current_state(m, loft_store::hr_import::UnitKind::Code).await.expect("state").0.is_empty());

        let (outcome, out) = run(EmployeesImport { dry_run: true, skip_invalid: true, ..args.clone() }).await;
        assert_eq!(outcome, Outcome::Previewed, "{out}");
        assert!(out.contains("nye             2"), "{out}");

        let (outcome, out) = run(EmployeesImport { skip_invalid: true, ..args.clone() }).await;
        assert_eq!(outcome, Outcome::Applied, "{out}");
        assert!(out.contains("Importert"), "{out}");
        let (people, _) = store.hr_current_state(m, loft_store::hr_import::UnitKind::Code).await.expect("state");
        assert_eq!(people.len(), 2);
        assert!(people.iter().any(|p| p.given_name == "Kari" && p.is_manager));

        std::fs::write(&file, "bare tekst uten kolonner").expect("write");
        let (outcome, out) = run(args.clone()).await;
        assert_eq!(outcome, Outcome::Refused);
        assert!(out.contains("ikke en CSV- eller Excel-fil"), "{out}");
        let mut listing = Vec::new();
        list(store, "3303", &mut listing).await.expect("list");
        let listing = String::from_utf8(listing).expect("utf-8");
        assert_eq!(listing.lines().count(), 3, "{listing}");
        assert!(listing.lines().next().is_some_and(|l| l.contains("importert") && l.contains("nye 2")), "{listing}");
        let applied = store.hr_imports(m).await.expect("imports")[0].id;
        let older = store.hr_imports(m).await.expect("imports")[1].id;
        assert!(undo(store, older, &mut Vec::new()).await.is_err(), "only an applied import");
        undo(store, applied, &mut Vec::new()).await.expect("undo");
        // A large file reports how far the apply has come.
        let mut text = String::from("Ansattnr;Fornavn;Etternavn;Enhetskode\n");
        for n in 0..1_500 {
            text.push_str(&format!("{};Test;Person{n};1000\n", 5_000 + n));
        }
        std::fs::write(&file, text).expect("write");
        let (mut out, mut progress) = (Vec::new(), Vec::new());
        let outcome = employees(store, &args, &mut out, &mut progress).await.expect("run");
        let progress = String::from_utf8(progress).expect("utf-8");
        assert_eq!(outcome, Outcome::Applied);
        assert!(progress.contains("100 % (1500 av 1500 personer)"), "{progress}");
        let _ = std::fs::remove_dir_all(&dir);
        db.drop_db().await;
    }
}
