//! The report's exports: XLSX and a print-ready page carry the same figures and the same withheld cells as the
//! page, with the date and the anonymity note.

use crate::common::worlds;
use calamine::{Data, Reader, Xlsx};
use loft_domain::mapping::{Answer, Audience, PrivacyMode, Question, RoundWindow};
use loft_store::audit::Change;
use loft_store::mapping::NewRound;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Mutex;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").expect("zone").date()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn xlsx_and_print_show_what_the_page_shows_and_hide_what_it_hides() {
    for world in worlds().await {
        let store = world.store();
        let digcomp = store.frameworks().await.expect("frameworks")[0].id;
        let questions = ["1.1", "4.2"].map(|c| Question { framework_id: digcomp, competence: c.into() }).to_vec();
        let new = NewRound {
            region: store.regions().await.expect("regions")[0].id,
            name: "Kartlegging for eksport".into(),
            privacy: PrivacyMode::Anonymous,
            window: RoundWindow::new(today(), today() + jiff::Span::new().days(14)).expect("window"),
            questions: questions.clone(),
            audience: Audience::default(),
            reminder_days: vec![],
            copied_from: None,
            checks: vec![],
        };
        let round = store.create_round(SYSTEM, &new).await.expect("round");
        let links = Mutex::new(Vec::new());
        store
            .invite(SYSTEM, round, &|_, t: &str| {
                links.lock().expect("lock").push(t.to_string());
                None
            })
            .await
            .expect("invite");
        for token in links.into_inner().expect("links").iter().take(12) {
            let inv = store.invitation_by_token(token).await.expect("inv");
            let answers: BTreeMap<_, _> = questions.iter().map(|q| (q.clone(), Answer::Level(4))).collect();
            store.submit_answers(&inv, &answers).await.expect("submit");
        }
        let region = world.login("region").await;
        let page = region.get(&format!("/mapping/{round}/report")).await.text();
        assert!(page.contains("format=xlsx") && page.contains("format=print"), "the page links its exports");
        let hidden_on_page = page.matches("Skjult: færre enn 5 svar").count();
        assert!(hidden_on_page > 0, "the page withholds small groups");

        let xlsx = region.get(&format!("/mapping/{round}/report?format=xlsx")).await;
        assert_eq!(xlsx.status_code(), 200);
        assert!(xlsx.header("content-type").to_str().expect("type").contains("spreadsheetml"));
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx.as_bytes().to_vec())).expect("xlsx");
        assert_eq!(book.sheet_names(), ["Oversikt", "Enheter", "Rollegrupper", "Over tid"]);
        let mut hidden_in_book = 0;
        let mut cells = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).expect("sheet");
            let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
            assert!(rows[3][0].starts_with("Laget "), "the date on every sheet");
            assert!(rows[4][0].contains("minst 5 svar"), "the anonymity note on every sheet");
            hidden_in_book += rows.iter().flatten().filter(|c| c.starts_with("Skjult: færre enn 5 svar")).count();
            cells.push(rows);
        }
        assert_eq!(hidden_in_book, hidden_on_page, "the same cells are withheld as on the page");
        let overview = &cells[0];
        let first = overview.iter().find(|r| r[0].starts_with("1.1 ")).expect("1.1 row");
        assert_eq!((first[1].as_str(), first[2].as_str()), ("12", "4"), "respondents and median as numbers");

        let print = region.get(&format!("/mapping/{round}/report?format=print")).await;
        assert_eq!(print.status_code(), 200);
        let html = print.text();
        assert!(html.contains("Laget ") && html.contains("Tall vises bare for grupper med minst 5 svar"));
        assert!(html.contains("Oversikt per kompetanse") && html.contains("Fordelt på enheter"));
        assert_eq!(html.matches("Skjult: færre enn 5 svar").count(), hidden_on_page);
        let css = region.get("/assets/app.css").await.text();
        assert!(css.contains("@page { size: A4"), "laid out for A4");
        // Exports are reports: the same scope rule as the page.
        assert_eq!(world.login("ansatt").await.get(&format!("/mapping/{round}/report?format=xlsx")).await.status_code(), 403);
        let kommune = world.login("kommune").await;
        let r = store.regions().await.expect("r")[0].id.0;
        assert_eq!(kommune.get(&format!("/mapping/{round}/report?node=r{r}&format=xlsx")).await.status_code(), 404);
        world.drop().await;
    }
}
