//! Course certificates: the holder's PDF and the organiser's copy, nobody else's; the public verification page
//! for a valid, an altered, a malformed and a withdrawn code, in the reader's language.

use crate::common::{csrf, worlds};
use loft_domain::courses::certificate::CertificateCode;
use loft_store::audit::Change;
use loft_store::courses::no_mail;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

fn is_pdf(r: &axum_test::TestResponse) -> bool {
    r.status_code() == 200
        && r.header("content-type").to_str().ok() == Some("application/pdf")
        && r.as_bytes().starts_with(b"%PDF-")
        && r.as_bytes().len() > 2_000
}

#[tokio::test]
async fn completed_participants_get_a_pdf_and_anyone_can_verify_it() {
    for world in worlds().await {
        let store = world.store();
        let region = store.regions().await.expect("regions")[0].id;
        let (course, session) = crate::courses::course_with_session(store, region, 5).await;
        let employee = store.credentials("ansatt").await.expect("q").expect("ansatt").person_id;
        let manager = store.credentials("leder").await.expect("q").expect("leder").person_id;
        for p in [employee, manager] {
            store.enrol(SYSTEM, session, p, no_mail).await.expect("enrol");
        }
        let day = store.attendance(session).await.expect("sheet")[0].day_id;
        store.mark_attendance(SYSTEM, session, day, &[(employee, true), (manager, false)]).await.expect("mark");
        let own = format!("/courses/sessions/{session}/certificate.pdf");

        // The holder finds the link on the course page and downloads the PDF.
        let ansatt = world.login("ansatt").await;
        let page = ansatt.get(&format!("/courses/{course}")).await.text();
        assert!(page.contains(&format!("href=\"{own}\"")) && page.contains("Last ned kursbevis"), "{page}");
        let pdf = ansatt.get(&own).await;
        assert!(is_pdf(&pdf), "{}", pdf.status_code());
        assert!(pdf.header("content-disposition").to_str().unwrap_or_default().contains("kursbevis-"));
        let enrolment = store.enrolment_in(session, employee).await.expect("enrolment");
        let certificate = store.certificate_for(enrolment).await.expect("issued by the download");
        let holder = store.person(employee).await.expect("person").person;
        assert_eq!(certificate.facts.person_name, holder.display_name());
        // The page text is in compressed streams, but the document title (XMP, UTF-8) names the holder and the
        // verification link is a plain URI annotation.
        let contains = |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(contains(pdf.as_bytes(), &format!("Kursbevis – {}", holder.display_name())));
        assert!(contains(pdf.as_bytes(), &format!("/verify/{}", certificate.code.grouped())));
        // A second download is the same certificate.
        assert!(is_pdf(&ansatt.get(&own).await));
        assert_eq!(store.certificate_for(enrolment).await.expect("again").code, certificate.code);

        // Not completed: no link, and a 404 that says why.
        let leder = world.login("leder").await;
        assert!(!leder.get(&format!("/courses/{course}")).await.text().contains("certificate.pdf"));
        let r = leder.get(&own).await;
        assert_eq!(r.status_code(), 404);
        assert!(r.text().contains("Kursbevis lages bare for fullførte kurs"), "{}", r.text());
        // Someone else's certificate: the enrolment route is for organisers only.
        let theirs = format!("/courses/enrolments/{enrolment}/certificate.pdf");
        assert_eq!(leder.get(&theirs).await.status_code(), 403);
        assert_eq!(world.anonymous().await.get(&own).await.status_code(), 303, "to the login page");
        // The organiser downloads it from the participant list, where only the completed one has a link.
        let kurs = world.login("kurs").await;
        let list = kurs.get(&format!("/courses/sessions/{session}/participants")).await.text();
        assert_eq!(list.matches("/certificate.pdf").count(), 1, "{list}");
        assert!(list.contains(&theirs));
        assert!(is_pdf(&kurs.get(&theirs).await));
        let not_done = store.enrolment_in(session, manager).await.expect("enrolment");
        assert_eq!(kurs.get(&format!("/courses/enrolments/{not_done}/certificate.pdf")).await.status_code(), 404);
        assert_eq!(kurs.get("/courses/enrolments/999999/certificate.pdf").await.status_code(), 404);

        // Verification is public and shows what the certificate shows, nothing more.
        let anyone = world.anonymous().await;
        let form = anyone.get("/verify").await;
        assert_eq!(form.status_code(), 200);
        assert!(form.text().contains("name=\"code\""));
        let grouped = certificate.code.grouped();
        let r = anyone.get(&format!("/verify/{grouped}")).await;
        assert_eq!(r.status_code(), 200);
        let text = r.text();
        assert!(text.contains("Gyldig") && text.contains(&holder.display_name()), "{text}");
        assert!(text.contains("Kursene i informasjonssikkerhet") && text.contains(&grouped));
        for private in [holder.email.clone(), holder.employee_number.clone()].into_iter().flatten() {
            assert!(!text.contains(&private), "{private} must not be shown");
        }
        // Typed loosely into the form: sent to the code's own address.
        let loose = grouped.to_lowercase().replace('-', " ").replace('0', "o");
        let r = anyone.get("/verify").add_query_param("code", &loose).await;
        assert_eq!(r.status_code(), 303);
        assert_eq!(r.header("location").to_str().ok(), Some(format!("/verify/{grouped}").as_str()));
        assert_eq!(anyone.get(&format!("/verify/{}", grouped.to_lowercase())).await.status_code(), 200);
        // An altered code: 404 with a message in the reader's language.
        let mut altered = certificate.code.as_str().to_string();
        let last = if altered.ends_with('Z') { "Y" } else { "Z" };
        altered.replace_range(11.., last);
        let altered = CertificateCode::parse(&altered).expect("well-formed").grouped();
        let r = anyone.get(&format!("/verify/{altered}")).await;
        assert_eq!(r.status_code(), 404);
        assert!(r.text().contains(&format!("Vi fant ikke noe kursbevis med koden {altered}")), "{}", r.text());
        assert!(!r.text().contains(&holder.display_name()));
        let r = anyone.get(&format!("/verify/{altered}")).add_header("accept-language", "en").await;
        assert!(r.text().contains("We found no course certificate"), "{}", r.text());
        let r = anyone.get("/verify/not-a-code").await;
        assert_eq!(r.status_code(), 404);
        assert!(r.text().contains("Dette er ikke en gyldig verifiseringskode"));
        let r = anyone.get("/verify").add_query_param("code", "123").await;
        assert_eq!(r.status_code(), 422);
        assert!(r.text().contains("Dette er ikke en gyldig verifiseringskode"));

        // The completion is taken back: the code still answers, saying the certificate is no longer valid.
        let token = csrf(&kurs).await;
        let r = kurs
            .post(&format!("/courses/sessions/{session}/attendance"))
            .form(&[
                ("csrf_token".to_string(), token),
                ("day".to_string(), day.to_string()),
                (format!("present_{}", employee.0), "0".to_string()),
            ])
            .await;
        assert_eq!(r.status_code(), 200);
        let r = anyone.get(&format!("/verify/{grouped}")).await;
        assert_eq!(r.status_code(), 200);
        assert!(r.text().contains("Ikke lenger gyldig") && !r.text().contains(">Gyldig<"), "{}", r.text());
        assert_eq!(ansatt.get(&own).await.status_code(), 404);
        world.drop().await;
    }
}
