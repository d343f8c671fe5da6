//! Frameworks, targets and a mapping round from invitation to report, on every backend.

use loft_domain::demo::kongsbergregionen;
use loft_domain::disclosure::MinGroupSize;
use loft_domain::mapping::report::{Figure, NodeKey, Report};
use loft_domain::mapping::{Answer, Audience, PrivacyMode, Question, RoundWindow};
use loft_domain::{DomainError, competence::builtin};
use loft_store::audit::Change;
use loft_store::mapping::{Invitation, InvitationMail, NewRound};
use loft_store::testing::{backends, move_round_window, pool, response_total, round_tallies};
use loft_store::{Store, StoreError};
use std::collections::BTreeMap;
use std::sync::Mutex;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

async fn seed_small(store: &Store) {
    let seeds: Vec<_> =
        kongsbergregionen().into_iter().filter(|s| ["3336", "4024"].contains(&s.number.to_string().as_str())).collect();
    store.seed("Testregionen", &seeds, true, "not-a-real-hash").await.expect("seed");
}

/// The stable code of a refusal (the first field's for invalid input).
fn code(e: StoreError) -> &'static str {
    match e {
        StoreError::Domain(DomainError::Invalid(fields)) => fields.first().map_or("invalid-input", |f| f.code),
        StoreError::Domain(d) => d.code(),
        other => panic!("expected a domain error, got {other:?}"),
    }
}

fn window(opens: jiff::civil::Date, days: i64) -> RoundWindow {
    RoundWindow::new(opens, opens.checked_add(jiff::Span::new().days(days)).expect("date")).expect("window")
}

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").expect("zone").date()
}

#[tokio::test]
async fn frameworks_install_once_and_versions_never_change() {
    for db in backends().await {
        seed_small(&db.store).await;
        // Seeding a region installs the shipped frameworks; installing again adds nothing.
        assert_eq!(db.store.install_builtin_frameworks().await.expect("again"), 0, "installing is idempotent");
        let stored = db.store.frameworks().await.expect("list");
        assert_eq!(stored.len(), 2);
        assert_eq!(stored.iter().map(|f| f.framework.clone()).collect::<Vec<_>>(), builtin());
        let digcomp = &stored[0];
        let again = db.store.publish_framework(SYSTEM, &digcomp.framework).await.map_err(code);
        assert_eq!(again, Err("framework-version-exists"));
        // A new version goes in beside the old one.
        let mut next = digcomp.framework.clone();
        next.version = "3.0".into();
        next.levels.truncate(4);
        db.store.publish_framework(SYSTEM, &next).await.expect("new version");
        assert_eq!(db.store.frameworks().await.expect("list").len(), 3);
        // Every region got the suggested targets; a municipality may raise them but not lower them.
        let region = db.store.regions().await.expect("regions")[0].id;
        let targets = db.store.targets(region, None).await.expect("targets");
        assert_eq!(targets.len(), (21 + 7) * 6);
        let municipality = db.store.municipalities().await.expect("m")[0].id;
        let mut lower = targets[0].target.clone();
        lower.level -= 1;
        let refused = db.store.set_targets(SYSTEM, targets[0].framework_id, region, Some(municipality), &[lower]).await;
        assert_eq!(refused.map_err(code), Err("target-below-regional"));
        db.drop_db().await;
    }
}

/// A round over both municipalities asking two DigComp competences and one regional goal.
async fn open_round(store: &Store, privacy: PrivacyMode) -> (i64, Vec<Question>) {
    store.install_builtin_frameworks().await.expect("install");
    let frameworks = store.frameworks().await.expect("list");
    let questions = vec![
        Question { framework_id: frameworks[0].id, competence: "1.1".into() },
        Question { framework_id: frameworks[0].id, competence: "4.2".into() },
        Question { framework_id: frameworks[1].id, competence: "K5".into() },
    ];
    let new = NewRound {
        region: store.regions().await.expect("regions")[0].id,
        name: "Kartlegging 2026".into(),
        privacy,
        window: window(today(), 14),
        questions: questions.clone(),
        audience: Audience::default(),
        reminder_days: vec![7, 2],
        copied_from: None,
        checks: vec![],
    };
    (store.create_round(SYSTEM, &new).await.expect("round"), questions)
}

/// Invites everyone to a round without writing e-mails; returns the personal links' tokens.
async fn invite_without_mail(store: &Store, round_id: i64) -> Result<Vec<String>, StoreError> {
    let tokens = Mutex::new(Vec::new());
    let compose = |_: &loft_store::mapping::Invitee, token: &str| {
        tokens.lock().expect("lock").push(token.to_string());
        None
    };
    store.invite(SYSTEM, round_id, &compose).await?;
    Ok(tokens.into_inner().expect("tokens"))
}

fn all_answers(questions: &[Question], level: u8) -> BTreeMap<Question, Answer> {
    questions.iter().map(|q| (q.clone(), Answer::Level(level))).collect()
}

#[tokio::test]
async fn a_round_from_invitation_to_report() {
    for db in backends().await {
        seed_small(&db.store).await;
        let (round_id, questions) = open_round(&db.store, PrivacyMode::Confidential).await;
        let tokens = Mutex::new(Vec::new());
        let compose = |invitee: &loft_store::mapping::Invitee, token: &str| {
            tokens.lock().expect("lock").push(token.to_string());
            invitee.email.clone().map(|to| InvitationMail {
                to,
                subject: "Kartlegging".into(),
                body: format!("/answer/{token}"),
            })
        };
        let invited = db.store.invite(SYSTEM, round_id, &compose).await.expect("invite");
        assert!(invited > 250, "{invited}");
        assert_eq!(db.store.invite(SYSTEM, round_id, &compose).await.expect("again"), 0, "nobody is invited twice");
        let (queued, _, _) = db.store.outbox_counts().await.expect("outbox");
        assert!(queued > 0, "invitations go out through the outbox");
        let tokens = tokens.into_inner().expect("tokens");
        assert_eq!(tokens.len(), invited);

        let first = db.store.invitation_by_token(&tokens[0]).await.expect("by token");
        assert_eq!(db.store.invitation_by_token("altered").await.map_err(code), Err("not-found"));
        // A draft is kept until submitted.
        let partial: BTreeMap<_, _> = [(questions[0].clone(), Answer::NotRelevant)].into();
        db.store.save_draft(&first, &partial, &BTreeMap::new()).await.expect("draft");
        assert_eq!(db.store.draft(&first).await.expect("draft").get(&questions[0]).map(String::as_str), Some("na"));
        let incomplete = db.store.submit_answers(&first, &partial).await.map_err(code);
        assert_eq!(incomplete, Err("answers-incomplete"));
        db.store.submit_answers(&first, &all_answers(&questions, 3)).await.expect("submit");
        let twice = db.store.submit_answers(&first, &all_answers(&questions, 5)).await.map_err(code);
        assert_eq!(twice, Err("already-submitted"), "a double submit stores one response");
        assert!(db.store.draft(&first).await.expect("draft").is_empty());
        let own = db.store.own_answers(round_id, first.person_id).await.expect("own").expect("confidential keeps them");
        assert_eq!(own[&questions[1]], Answer::Level(3));

        // Someone who has left cannot answer.
        let second = db.store.invitation_by_token(&tokens[1]).await.expect("second");
        db.store.set_person_left(SYSTEM, second.person_id, true).await.expect("left");
        let left = db.store.submit_answers(&second, &all_answers(&questions, 2)).await.map_err(code);
        assert_eq!(left, Err("respondent-left"));

        // Twenty more answer at level 4; the report agrees with what was submitted.
        let mut answered: Vec<Invitation> = vec![first.clone()];
        for token in &tokens[2..22] {
            let inv = db.store.invitation_by_token(token).await.expect("inv");
            db.store.submit_answers(&inv, &all_answers(&questions, 4)).await.expect("submit");
            answered.push(inv);
        }
        let counts = db.store.response_counts(round_id).await.expect("counts");
        assert_eq!(counts.iter().map(|c| c.answered).sum::<u64>(), 21);
        assert_eq!(counts.iter().map(|c| c.invited).sum::<u64>() as usize, invited);
        let (nodes, tallies) = round_tallies(&db.store, round_id).await;
        let frameworks = db.store.frameworks().await.expect("frameworks");
        let levels =
            |q: &Question| frameworks.iter().find(|f| f.id == q.framework_id).map_or(0, |f| f.framework.top_level());
        let report =
            Report::build(nodes, &questions, &tallies, levels, |_, _| Some(4), MinGroupSize::DEFAULT).expect("report");
        let region = report.node_index(NodeKey::Region(db.store.regions().await.expect("r")[0].id.0)).expect("root");
        let Figure::Shown(stats) = report.figure(&questions[0], region, None) else {
            panic!("21 respondents are shown")
        };
        assert_eq!(stats.respondents, 21);
        assert_eq!(stats.distribution[2..4], [1, 20]);
        assert_eq!(stats.at_or_above_target, 20);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_anonymous_round_keeps_no_person_and_no_time() {
    for db in backends().await {
        seed_small(&db.store).await;
        let (round_id, questions) = open_round(&db.store, PrivacyMode::Anonymous).await;
        let token = invite_without_mail(&db.store, round_id).await.expect("invite").remove(0);
        let inv = db.store.invitation_by_token(&token).await.expect("inv");
        db.store.submit_answers(&inv, &all_answers(&questions, 2)).await.expect("submit");
        assert_eq!(db.store.own_answers(round_id, inv.person_id).await.expect("own"), None);
        assert!(db.store.invitation_for(round_id, inv.person_id).await.expect("inv").answered);
        // Parked until the release: nothing a report reads has it yet, and an open round is not released.
        let (_, tallies) = round_tallies(&db.store, round_id).await;
        assert!(tallies.is_empty(), "an open anonymous round's answers wait apart");
        assert_eq!(response_total(&db.store, round_id).await, 0);
        let round = db.store.round(round_id).await.expect("round");
        assert_eq!(db.store.release(&round).await.expect("release"), None, "no release while open");

        move_round_window(&db.store, round_id, false).await;
        // The periodic job releases a closed round with parked answers without waiting for a reader, once.
        assert_eq!(db.store.release_closed_rounds().await.expect("job"), 1);
        assert_eq!(db.store.release_closed_rounds().await.expect("job"), 0, "nothing left to release");
        let round = db.store.round(round_id).await.expect("round");
        let release = db.store.release(&round).await.expect("release").expect("a closed round is released");
        assert_eq!(release.k, MinGroupSize::DEFAULT);
        let (_, tallies) = round_tallies(&db.store, round_id).await;
        assert_eq!(tallies.iter().map(|t| t.count).sum::<u64>(), 3, "one response of three answers is counted");
        let stored: Vec<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT person_id, submitted_on FROM mapping_response WHERE round_id = $1")
                .bind(round_id)
                .fetch_all(pool(&db.store))
                .await
                .expect("responses");
        assert_eq!(stored, vec![(None, None)], "no person and no date");
        let parked: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM mapping_parked").fetch_one(pool(&db.store)).await.expect("n");
        assert_eq!(parked, 0, "moved, not copied");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_round_outside_its_window_refuses_answers_and_can_be_copied() {
    for db in backends().await {
        seed_small(&db.store).await;
        let (round_id, questions) = open_round(&db.store, PrivacyMode::Confidential).await;
        let past = today().checked_sub(jiff::Span::new().days(40)).expect("date");
        let closed = db.store.copy_round(SYSTEM, round_id, "Kartlegging 2014", window(past, 10)).await.expect("copy");
        let copy = db.store.round(closed).await.expect("round");
        assert_eq!(copy.questions, questions, "a copy asks what the original asked");
        assert_eq!(copy.copied_from, Some(round_id));
        let refused = invite_without_mail(&db.store, closed).await.map_err(code);
        assert_eq!(refused, Err("round-closed"), "nobody is invited to a closed round");
        // A round that opens next month takes invitations but no answers yet.
        let soon = today().checked_add(jiff::Span::new().days(30)).expect("date");
        let later =
            db.store.copy_round(SYSTEM, round_id, "Kartlegging neste år", window(soon, 10)).await.expect("copy");
        let token = invite_without_mail(&db.store, later).await.expect("invite").remove(0);
        let inv = db.store.invitation_by_token(&token).await.expect("inv");
        let refused = db.store.submit_answers(&inv, &all_answers(&questions, 2)).await.map_err(code);
        assert_eq!(refused, Err("round-not-open"));
        assert!(!db.store.invitation_for(later, inv.person_id).await.expect("inv").answered, "nothing was stored");
        let bad = RoundWindow::new(today(), past).map_err(|e| code(e.into()));
        assert_eq!(bad, Err("round-closes-before-opens"));
        assert_eq!(DomainError::NotFound.code(), db.store.round(999_999).await.map_err(code).err().unwrap_or_default());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_released_round_keeps_its_k_and_tree_and_takes_no_more_answers() {
    for privacy in [PrivacyMode::Anonymous, PrivacyMode::Confidential] {
        for db in backends().await {
            seed_small(&db.store).await;
            let (round_id, questions) = open_round(&db.store, privacy).await;
            let tokens = invite_without_mail(&db.store, round_id).await.expect("invite");
            let first = db.store.invitation_by_token(&tokens[0]).await.expect("inv");
            db.store.submit_answers(&first, &all_answers(&questions, 3)).await.expect("submit");
            move_round_window(&db.store, round_id, false).await;
            let round = db.store.round(round_id).await.expect("round");
            let release = db.store.release(&round).await.expect("release").expect("released");

            // Neither a new k nor a renamed unit changes what the released figures are decided with.
            db.store.set_min_group_size(SYSTEM, MinGroupSize::new(7).expect("k")).await.expect("k");
            let unit = release.nodes.iter().find_map(|n| match n.key {
                NodeKey::Unit(u) => Some(loft_domain::ids::UnitId(u)),
                _ => None,
            });
            db.store.rename_unit(SYSTEM, unit.expect("a unit"), "Omdøpt etterpå").await.expect("rename");
            let again = db.store.release(&round).await.expect("release").expect("released");
            assert_eq!(again, release, "{privacy:?}: the release is fixed");
            assert_eq!(again.k, MinGroupSize::DEFAULT);
            assert_eq!(response_total(&db.store, round_id).await, 1);

            // Even if the window opened again, an answer after the release is refused and nothing is stored.
            move_round_window(&db.store, round_id, true).await;
            let second = db.store.invitation_by_token(&tokens[1]).await.expect("inv");
            let late = db.store.submit_answers(&second, &all_answers(&questions, 4)).await.map_err(code);
            assert_eq!(late, Err("round-closed"), "{privacy:?}");
            assert!(!db.store.invitation_for(round_id, second.person_id).await.expect("inv").answered);
            assert_eq!(response_total(&db.store, round_id).await, 1);
            let parked: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM mapping_parked").fetch_one(pool(&db.store)).await.expect("n");
            assert_eq!(parked, 0);
            db.drop_db().await;
        }
    }
}

#[tokio::test]
async fn k_is_configurable_but_never_below_three() {
    for db in backends().await {
        assert_eq!(db.store.min_group_size().await.expect("k").get(), 5);
        db.store.set_min_group_size(SYSTEM, MinGroupSize::new(7).expect("k")).await.expect("set");
        assert_eq!(db.store.min_group_size().await.expect("k").get(), 7);
        assert!(MinGroupSize::new(2).is_err());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn concurrent_submissions_all_succeed() {
    // On SQLite a submit that read before it wrote failed with "database is locked" under concurrency
    // (bench/run-mapping.sh: three in four of 16 concurrent submissions).
    for db in backends().await {
        seed_small(&db.store).await;
        let (round_id, questions) = open_round(&db.store, PrivacyMode::Anonymous).await;
        let tokens: Vec<String> =
            invite_without_mail(&db.store, round_id).await.expect("invite").into_iter().take(64).collect();
        // Answers differ per person (a level from 1 to 3, every seventh "not relevant"), so the tallies have
        // many rows that concurrent submits add to at once.
        let answers_of = |i: usize| -> BTreeMap<Question, Answer> {
            questions
                .iter()
                .enumerate()
                .map(|(q, question)| {
                    let a = if (i + q).is_multiple_of(7) {
                        Answer::NotRelevant
                    } else {
                        Answer::Level(1 + ((i + q) % 3) as u8)
                    };
                    (question.clone(), a)
                })
                .collect()
        };
        let mut tasks = Vec::new();
        for (c, chunk) in tokens.chunks(4).enumerate() {
            let store = db.store.clone();
            let work: Vec<(String, BTreeMap<Question, Answer>)> =
                chunk.iter().enumerate().map(|(j, t)| (t.clone(), answers_of(c * 4 + j))).collect();
            tasks.push(tokio::spawn(async move {
                let mut done = Vec::new();
                for (token, answers) in work {
                    let inv = store.invitation_by_token(&token).await.expect("invitation");
                    store.submit_answers(&inv, &answers).await.expect("a concurrent submit succeeds");
                    done.push((inv, answers));
                }
                done
            }));
        }
        // The report's input worked out from the raw answers: per place, role group, question and answer.
        let mut expected: BTreeMap<(NodeKey, String, Question, String), u64> = BTreeMap::new();
        for t in tasks {
            for (inv, answers) in t.await.expect("task") {
                let node = inv.unit.map_or(NodeKey::Municipality(inv.municipality.0), |u| NodeKey::Unit(u.0));
                for (q, a) in answers {
                    *expected.entry((node, inv.role_group.code().to_string(), q, format!("{a:?}"))).or_default() += 1;
                }
            }
        }
        // Parked until the release, then moved all together.
        assert_eq!(response_total(&db.store, round_id).await, 0);
        move_round_window(&db.store, round_id, false).await;
        let round = db.store.round(round_id).await.expect("round");
        // Moved 10 at a time: seven transactions, every answer once.
        let store = db.store.clone().with_release_chunk(10);
        store.release(&round).await.expect("release").expect("released");
        assert_eq!(response_total(&db.store, round_id).await, 64);
        let parked: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM mapping_parked").fetch_one(pool(&db.store)).await.expect("n");
        assert_eq!(parked, 0);
        // The tallies counted at the release say exactly the same.
        let (nodes, tallies) = round_tallies(&db.store, round_id).await;
        let mut tallied: BTreeMap<(NodeKey, String, Question, String), u64> = BTreeMap::new();
        for t in tallies {
            let key = (nodes[t.node].key, t.role_group.code().to_string(), t.question, format!("{:?}", t.answer));
            *tallied.entry(key).or_default() += t.count;
        }
        assert_eq!(tallied, expected);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_check_bank_installs_once_and_a_copied_round_keeps_its_checks() {
    for db in backends().await {
        seed_small(&db.store).await;
        let bank = db.store.knowledge_checks().await.expect("bank");
        assert_eq!(bank.len(), loft_domain::mapping::checks::builtin_banks()[0].checks.len());
        assert_eq!(db.store.install_builtin_checks().await.expect("again"), 0, "installing is idempotent");
        let (round_id, questions) = open_round(&db.store, PrivacyMode::Anonymous).await;
        let about: Vec<i64> = bank.iter().filter(|c| questions.contains(&c.question())).map(|c| c.id).collect();
        let mut new: NewRound = db.store.round(round_id).await.expect("round").into();
        new.checks = about.clone();
        let with_checks = db.store.create_round(SYSTEM, &new).await.expect("with checks");
        let copy = db.store.copy_round(SYSTEM, with_checks, "Kopi", window(today(), 7)).await.expect("copy");
        assert_eq!(db.store.round(copy).await.expect("copy").checks, about);
        // A check about a competence the round does not ask is refused.
        new.checks = bank.iter().filter(|c| !questions.contains(&c.question())).map(|c| c.id).take(1).collect();
        let refused = db.store.create_round(SYSTEM, &new).await.map_err(code);
        assert_eq!(refused, Err("question-not-in-round"));
        db.drop_db().await;
    }
}

/// Reminders queued on `day`, with the invitees and links the mails were written for.
async fn remind(store: &Store, day: jiff::civil::Date) -> Vec<(i64, String)> {
    let written = Mutex::new(Vec::new());
    let compose = |invitee: &loft_store::mapping::Invitee, _: &loft_store::mapping::Round, token: &str| {
        written.lock().expect("lock").push((invitee.person_id.0, token.to_string()));
        invitee.email.clone().map(|to| InvitationMail { to, subject: "Påminnelse".into(), body: token.into() })
    };
    let queued = store.send_due_reminders(day, &compose).await.expect("reminders");
    let written = written.into_inner().expect("written");
    assert!(queued <= written.len());
    written
}

#[tokio::test]
async fn reminders_go_once_to_those_who_have_not_answered_while_the_round_is_open() {
    for db in backends().await {
        seed_small(&db.store).await;
        // Open today, closes in 14 days, reminders 7 and 2 days before.
        let (round_id, questions) = open_round(&db.store, PrivacyMode::Anonymous).await;
        let tokens = invite_without_mail(&db.store, round_id).await.expect("invite");
        let answered = db.store.invitation_by_token(&tokens[0]).await.expect("inv");
        db.store.submit_answers(&answered, &all_answers(&questions, 3)).await.expect("submit");
        let left = db.store.invitation_by_token(&tokens[1]).await.expect("inv");
        db.store.set_person_left(SYSTEM, left.person_id, true).await.expect("left");
        let day = |d: i64| today().checked_add(jiff::Span::new().days(d)).expect("date");

        assert!(remind(&db.store, day(6)).await.is_empty(), "eight days left: nothing due");
        let (outbox_before, _, _) = db.store.outbox_counts().await.expect("outbox");
        // Two servers at once: each reminder is queued by exactly one of them.
        let (a, b) = tokio::join!(remind(&db.store, day(7)), remind(&db.store, day(7)));
        let first: Vec<(i64, String)> = [a, b].concat();
        assert_eq!(first.len(), tokens.len() - 2, "everyone but the one who answered and the one who left");
        assert!(first.iter().all(|(p, _)| *p != answered.person_id.0 && *p != left.person_id.0));
        let (outbox_after, _, _) = db.store.outbox_counts().await.expect("outbox");
        assert!(outbox_after > outbox_before, "reminders go through the outbox");
        // A restart the same day (or the next) sends nothing more.
        assert!(remind(&db.store, day(7)).await.is_empty());
        assert!(remind(&db.store, day(8)).await.is_empty());
        // The reminder's link answers the same invitation; the first link still works too.
        let (person, link) = &first[0];
        let by_reminder = db.store.invitation_by_token(link).await.expect("reminder link");
        assert_eq!(by_reminder.person_id.0, *person);
        assert_eq!(by_reminder.round_id, round_id);
        db.store.submit_answers(&by_reminder, &all_answers(&questions, 2)).await.expect("submit by reminder link");

        // The 2-day reminder goes to those still not answered, once.
        let second = remind(&db.store, day(12)).await;
        assert_eq!(second.len(), tokens.len() - 3);
        assert!(!second.iter().any(|(p, _)| p == person), "answered since the first reminder");
        assert!(remind(&db.store, day(13)).await.is_empty());
        // A closed round sends none.
        assert!(remind(&db.store, day(15)).await.is_empty());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn reminders_due_together_send_one_mail() {
    for db in backends().await {
        seed_small(&db.store).await;
        let (round_id, _) = open_round(&db.store, PrivacyMode::Confidential).await;
        let tokens = invite_without_mail(&db.store, round_id).await.expect("invite");
        let day = today().checked_add(jiff::Span::new().days(13)).expect("date");
        // The server was down for both the 7- and the 2-day reminder: one mail each, not two.
        assert_eq!(remind(&db.store, day).await.len(), tokens.len());
        assert!(remind(&db.store, day).await.is_empty());
        db.drop_db().await;
    }
}
