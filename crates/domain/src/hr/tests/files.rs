//! Realistic exports in every supported form, and files that must be refused.

use super::*;

/// As Visma Enterprise writes it: Windows-1252, `;`, CRLF, Norwegian dates and decimal commas.
const VISMA: &str = "Ansattnr;Fornavn;Etternavn;E-post;Mobil;Org.enhet;Stilling;Stillingskode;Stillingsprosent;Leder;Startdato;Sluttdato\r\n\
10231;Kåre;Bjørnstad;Kare.Bjornstad@kongsberg.kommune.no;912 34 567;Helse og omsorg/Sykehjem/Kongsberg sykehjem;Sykepleier;7174;80,00;Nei;01.08.2015;\r\n\
10232;Åse Marit;Ødegård;ase.odegard@kongsberg.kommune.no;;Helse og omsorg/Sykehjem;Avdelingsleder;1056;100,00;Ja;1.3.2009;\r\n\
\r\n\
;;;;;;;;;;;\r\n\
10240;Jørn;Hæhre;jorn.haehre@kongsberg.kommune.no;+47 48 00 11 22;Oppvekst > Skoler > Kongsgårdmoen skole;Lærer;7957;50 %;;15.08.2022;31.07.2026\r\n";

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!lossy);
    bytes.into_owned()
}

#[test]
fn visma_semicolon_file_in_windows_1252() {
    let bytes = windows_1252(VISMA);
    assert!(std::str::from_utf8(&bytes).is_err(), "the test file really is not UTF-8");
    let table = decode(&bytes, "ansatte.csv", LIMIT).expect("decodes");
    assert_eq!(table.format, Format::Csv { separator: ';' });
    assert_eq!(table.encoding, Some(Encoding::Windows1252));
    assert_eq!(
        table.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 6],
        "blank rows are skipped, not renumbered"
    );

    let parsed = read(&bytes, "ansatte.csv");
    assert_eq!(parsed.errors, []);
    let [kare, ase, jorn] = &parsed.records[..] else { panic!("three records: {:?}", parsed.records) };
    assert_eq!((kare.given_name.as_str(), kare.family_name.as_str()), ("Kåre", "Bjørnstad"));
    assert_eq!(kare.email.as_ref().map(|e| e.as_str()), Some("kare.bjornstad@kongsberg.kommune.no"));
    assert_eq!(kare.mobile.as_deref(), Some("+4791234567"));
    assert_eq!(kare.percent.map(Percent::hundredths), Some(8000));
    assert_eq!(kare.start_date, date("2015-08-01"));
    assert_eq!((kare.end_date, kare.is_manager), (None, false));
    assert_eq!(ase.family_name, "Ødegård");
    assert_eq!((ase.is_manager, ase.start_date), (true, date("2009-03-01")));
    assert_eq!(ase.unit, UnitRef::Path(vec!["Helse og omsorg".into(), "Sykehjem".into()]));
    assert_eq!(jorn.unit.to_string(), "Oppvekst / Skoler / Kongsgårdmoen skole");
    assert_eq!((jorn.percent.map(Percent::hundredths), jorn.end_date), (Some(5000), date("2026-07-31")));
    assert_eq!(jorn.line, 6);
}

#[test]
fn comma_file_with_bom_quotes_and_a_cell_over_two_lines() {
    let text = "\u{feff}Employee number,First name,Last name,Email,Unit code,Position,Percent,Manager,Start date\n\
        A-100,Ola,\"Nordmann, jr.\",ola@example.no,OPP-01,\"Rektor,\nbarneskole\",100,yes,2020-01-01\n\
        A-101,Kari,Nordmann,kari@example,OPP-02,Lærer,75.5,no,2021-13-01\n";
    let table = decode(text.as_bytes(), "export.csv", LIMIT).expect("decodes");
    assert_eq!((table.format, table.encoding), (Format::Csv { separator: ',' }, Some(Encoding::Utf8WithBom)));
    assert_eq!(table.headers[0], "Employee number", "the BOM is not part of the first header");

    let parsed = read(text.as_bytes(), "export.csv");
    let ola = &parsed.records[0];
    assert_eq!(
        (ola.family_name.as_str(), ola.position_title.as_deref()),
        ("Nordmann, jr.", Some("Rektor,\nbarneskole"))
    );
    assert_eq!((&ola.unit, ola.is_manager), (&UnitRef::Code("OPP-01".into()), true));
    // The quoted cell spans lines 2–3, so Kari's row starts on line 4.
    assert_eq!(errors_on(&parsed, 4), [(Some("Email"), "invalid-email"), (Some("Start date"), "invalid-date")]);
    assert_eq!(parsed.errors[0].value, "kari@example");
    assert!(parsed.held_back.contains(&crate::person::EmployeeNumber::parse("A-101").expect("valid")));
}

#[test]
fn tab_separated_nynorsk_file() {
    let text = "Tilsettnummer\tFørenamn\tEtternamn\tEining\tStillingsprosent\tLeiar\n\
        501\tSigrid\tMyklebust\tOppvekst/Ål barnehage\t100\tx\n\
        502\tTorleiv\tVik\tOppvekst\t20,5\t\n";
    let table = decode(text.as_bytes(), "tilsette.txt", LIMIT).expect("decodes");
    assert_eq!((table.format, table.encoding), (Format::Csv { separator: '\t' }, Some(Encoding::Utf8)));
    let parsed = read(text.as_bytes(), "tilsette.txt");
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.records.iter().map(|r| r.is_manager).collect::<Vec<_>>(), [true, false]);
    assert_eq!(parsed.records[1].percent.map(|p| p.to_string()), Some("20.5".into()));
}

#[test]
fn xlsx_first_sheet_with_numbers_dates_and_booleans() -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    let date_format = CellFormat::new().set_num_format("dd.mm.yyyy");
    let sheet = workbook.add_worksheet();
    for (col, header) in
        ["Ansattnummer", "Fornavn", "Etternavn", "Enhetskode", "Stillingsprosent", "Leder", "Startdato"]
            .into_iter()
            .enumerate()
    {
        sheet.write_string(0, col as u16, header)?;
    }
    sheet.write_number(1, 0, 7001)?.write_string(1, 1, "Ingrid")?.write_string(1, 2, "Løvås")?;
    sheet.write_string(1, 3, "4100")?.write_number(1, 4, 62.5)?.write_boolean(1, 5, true)?;
    sheet.write_datetime_with_format(1, 6, &ExcelDateTime::from_ymd(2021, 9, 1)?, &date_format)?;
    sheet.write_number(3, 0, 7002)?.write_string(3, 1, "Per")?.write_string(3, 2, "Haugen")?;
    sheet.write_number(3, 3, 4200)?.write_string(3, 6, "01.02.2019")?;
    workbook.add_worksheet().write_string(0, 0, "second sheet is ignored")?;
    let bytes = workbook.save_to_buffer()?;

    let table = decode(&bytes, "ansatte.xlsx", LIMIT).expect("decodes");
    assert_eq!((table.format, table.encoding), (Format::Xlsx, None));
    assert_eq!(table.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4], "Excel row numbers, blank row 3 skipped");
    let parsed = read(&bytes, "ansatte.xlsx");
    assert_eq!(parsed.errors, []);
    let [ingrid, per] = &parsed.records[..] else { panic!("two records") };
    assert_eq!((ingrid.employee_number.as_str(), ingrid.family_name.as_str()), ("7001", "Løvås"));
    assert_eq!((ingrid.percent.map(Percent::hundredths), ingrid.is_manager), (Some(6250), true));
    assert_eq!(ingrid.start_date, date("2021-09-01"));
    assert_eq!((&per.unit, per.start_date), (&UnitRef::Code("4200".into()), date("2019-02-01")));
    Ok(())
}

#[test]
fn every_bad_cell_of_every_row_is_reported() {
    let text = "Ansattnr;Fornavn;Etternavn;Epost;Enhet;Stillingsprosent;Leder;Startdato;Sluttdato\n\
        1;Ola;Hansen;ola.hansen@;Drift;120;kanskje;31.02.2024;01.01.2020\n\
        2;;Berg;;Drift;;;01.05.2020;01.04.2020\n\
        3;Per;Dahl;per@x.no;Drift\n\
        4;Liv;Moe;liv@x.no;Drift;;;;\n\
        4;Liv;Moe;liv@x.no;Drift;;;;\n\
        ;Uten;Nummer;;Drift;;;;\n\
        5;Eva;Lie;eva@x.no;Drift//Vei;;;;\n";
    let parsed = read(text.as_bytes(), "feil.csv");
    assert_eq!(parsed.records, []);
    assert_eq!(
        errors_on(&parsed, 2),
        [
            (Some("Epost"), "invalid-email"),
            (Some("Stillingsprosent"), "invalid-percent"),
            (Some("Leder"), "invalid-boolean"),
            (Some("Startdato"), "invalid-date"),
        ]
    );
    assert_eq!(errors_on(&parsed, 3), [(Some("Fornavn"), "required"), (Some("Sluttdato"), "end-before-start")]);
    assert_eq!(errors_on(&parsed, 4), [(None, "wrong-column-count")]);
    assert_eq!(errors_on(&parsed, 5), [(Some("Ansattnr"), "duplicate-employee-number")]);
    assert_eq!(errors_on(&parsed, 6), [(Some("Ansattnr"), "duplicate-employee-number")]);
    assert_eq!(errors_on(&parsed, 7), [(Some("Ansattnr"), "required")]);
    assert_eq!(errors_on(&parsed, 8), [(Some("Enhet"), "invalid-unit-path")]);
    let mut held: Vec<_> = parsed.held_back.iter().map(|n| n.as_str()).collect();
    held.sort_unstable();
    assert_eq!(held, ["1", "2", "3", "4", "5"]);
}

#[test]
fn a_missing_required_column_stops_before_rows() {
    let table = decode(b"Ansattnr;Fornavn;Enhet\n1;Ola;Drift\n", "a.csv", LIMIT).expect("decodes");
    let mapping = ColumnMapping::guess(&table.headers);
    let errors = parse_rows(table, &mapping).expect_err("no family name");
    assert_eq!(errors, vec![MappingError::MissingColumn { field: Field::FamilyName }]);
}

#[test]
fn files_that_are_not_tables_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let refused: [(&[u8], &str); 11] = [
        (b"", "tom.csv"),
        (b" \r\n\t\n", "blank.csv"),
        (png, "bilde.png"),
        (b"%PDF-1.7\n1 0 obj", "ansatte.pdf"),
        (b"<?xml version=\"1.0\"?><Resources><Resource/></Resources>", "uten-exportinfo.xml"),
        (b"<ExportInfo><Resources><Resource><ResourceId>1</Resource>", "skadet-stamdata3.xml"),
        (b"<html><body>Ansatte</body></html>", "side.html"),
        (b"a;b\n1;2", "renamed.xml"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "gammel.xls"),
        ("Kjære koordinator\nHer er lista\n".as_bytes(), "brev.txt"),
        (b"PK\x03\x04\x14\0\0\0\x08\0", "skadet.xlsx"),
    ];
    for (bytes, name) in refused {
        assert_eq!(decode(bytes, name, LIMIT), Err(DecodeError::NotTabular), "{name}");
    }
    assert_eq!(DecodeError::NotTabular.code(), "not-tabular");
}

#[test]
fn files_over_the_limit_are_refused_before_reading() {
    let text = "Ansattnr;Fornavn;Etternavn;Enhet\n1;Ola;Hansen;Drift\n";
    assert_eq!(decode(text.as_bytes(), "a.csv", 20), Err(DecodeError::TooLarge { limit: 20 }));
    assert!(decode(text.as_bytes(), "a.csv", text.len()).is_ok(), "the limit itself is allowed");
}

/// A Stamdata3 export as Unit4 and ERP Kommune deliver it (structure from public examples; people made up).
const STAMDATA3: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<ExportInfo>
  <Resources>
    <Resource>
      <Addresses>
        <Address>
          <Mobile>912 34 567</Mobile>
          <EMailList><string>solveig.aasen@notodden.kommune.no</string></EMailList>
        </Address>
      </Addresses>
      <Employments>
        <Employment ResourceId="20001">
          <MainPosition>false</MainPosition>
          <Percentage>20</Percentage>
          <PostCode>7001</PostCode>
          <PostCodeDescription>Tilkallingsvikar</PostCodeDescription>
          <Relations><Relation Type="MNAL" Name="Organisasjonsenhet" ElementType="ORGANIZATIONAL_UNIT"><Value>OPP-S02</Value></Relation></Relations>
          <DateFrom>2024-01-01</DateFrom>
          <DateTo>2024-06-30</DateTo>
        </Employment>
        <Employment ResourceId="20001">
          <MainPosition>true</MainPosition>
          <Percentage>80</Percentage>
          <PostCode>7451</PostCode>
          <PostCodeDescription>Lektor &amp; kontaktlærer</PostCodeDescription>
          <Relations>
            <Relation Type="C1" Name="Ansvar" ElementType="COST_CENTER"><Value>2100</Value></Relation>
            <Relation Type="MNAL" Name="Organisasjonsenhet" ElementType="ORGANIZATIONAL_UNIT"><Value>OPP-S01</Value></Relation>
          </Relations>
          <DateFrom>2019-08-01</DateFrom>
          <DateTo>2099-12-31</DateTo>
        </Employment>
      </Employments>
      <ResourceId>20001</ResourceId>
      <FirstName>Solveig</FirstName>
      <Surname>Aasen</Surname>
    </Resource>
    <Resource>
      <Employments>
        <Employment ResourceId="20002">
          <MainPosition>true</MainPosition>
          <Percentage>100</Percentage>
          <PostCodeDescription>Rektor</PostCodeDescription>
          <Relations><Relation ElementType="ORGANIZATIONAL_UNIT"><Value>OPP-S01</Value></Relation></Relations>
          <DateFrom>2015-08-01</DateFrom>
          <DateTo>2026-07-31</DateTo>
        </Employment>
      </Employments>
      <ResourceId>20002</ResourceId>
      <FirstName>Per</FirstName>
      <Surname>&#216;deg&#229;rd</Surname>
    </Resource>
    <Resource>
      <ResourceId>20003</ResourceId>
      <FirstName>Uten</FirstName>
      <Surname>Stilling</Surname>
    </Resource>
  </Resources>
  <Organisations>
    <Organisation><Id>OPP-S01</Id><Name>Sentrum skole</Name><ParentId>OPP</ParentId><Managers><string>20002</string></Managers></Organisation>
  </Organisations>
</ExportInfo>
"#;

#[test]
fn a_stamdata3_export_reads_as_one_row_per_employed_resource() {
    let table = decode(STAMDATA3.as_bytes(), "Stamdata3.xml", LIMIT).expect("decodes");
    assert_eq!((table.format, table.encoding), (Format::Stamdata3, Some(Encoding::Utf8)));
    assert_eq!(table.rows.len(), 2, "a resource without employment is not an employee");
    assert_eq!(table.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [4, 38], "the line of each <Resource>");
    let parsed = parse_rows(table.clone(), &ColumnMapping::guess(&table.headers)).expect("the guess fits");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let (solveig, per) = (&parsed.records[0], &parsed.records[1]);
    assert_eq!(solveig.employee_number.as_str(), "20001");
    assert_eq!(solveig.email.as_ref().map(|e| e.as_str()), Some("solveig.aasen@notodden.kommune.no"));
    assert_eq!(solveig.mobile.as_deref(), Some("+4791234567"));
    assert_eq!(solveig.unit, UnitRef::Code("OPP-S01".into()), "the main position's unit, not the cost centre");
    assert_eq!(solveig.position_title.as_deref(), Some("Lektor & kontaktlærer"));
    assert_eq!(solveig.percent.map(|p| p.hundredths()), Some(8_000));
    assert_eq!((solveig.start_date, solveig.end_date), (date("2019-08-01"), None), "2099 means open-ended");
    assert!(!solveig.is_manager);
    assert_eq!(per.family_name, "Ødegård");
    assert!(per.is_manager, "listed as the unit's manager");
    assert_eq!(per.end_date, date("2026-07-31"));
}

#[test]
fn stamdata3_row_errors_name_the_resource_line() {
    let broken = STAMDATA3.replace("solveig.aasen@notodden.kommune.no", "ikke-en-adresse");
    let parsed = read(broken.as_bytes(), "Stamdata3.xml");
    assert_eq!(errors_on(&parsed, 4), [(Some("E-post"), "invalid-email")]);
}
