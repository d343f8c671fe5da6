use super::*;

#[test]
fn the_shipped_frameworks_load_with_every_text_in_three_languages() {
    let frameworks = builtin();
    assert_eq!(frameworks.len(), 2, "both shipped frameworks must pass their own checks");
    let digcomp = &frameworks[0];
    assert_eq!((digcomp.key.as_str(), digcomp.version.as_str()), ("digcomp", "2.2"));
    assert_eq!(digcomp.areas.len(), 5);
    assert_eq!(digcomp.competences().count(), 21);
    assert_eq!(digcomp.top_level(), 8);
    assert_eq!(digcomp.competence("4.2").map(|c| c.title.nn.as_str()), Some("Verne personopplysningar og personvern"));
    let regional = &frameworks[1];
    assert_eq!(regional.competences().count(), 7);
    assert_eq!(regional.top_level(), 4);
    let k5 = regional.competence("K5").expect("privacy goal");
    assert_eq!(k5.related, ["digcomp:4.1", "digcomp:4.2", "digcomp:2.6"]);
    assert!(k5.role_groups.contains(&RoleGroup::Folkevalgt));
    assert!(regional.competence("K2").is_some_and(|c| c.role_groups.contains(&RoleGroup::Innkjoper)));
}

#[test]
fn a_framework_survives_export_and_import() {
    for framework in builtin() {
        assert_eq!(Framework::from_json(&framework.to_json()), Ok(framework));
    }
}

#[test]
fn a_broken_framework_is_refused_with_every_reason() {
    let mut f = builtin().remove(1);
    f.levels[1].number = 7;
    f.areas[0].competences[1].code = f.areas[0].competences[0].code.clone();
    f.areas[0].title.nn = " ".into();
    f.key = "har mellomrom".into();
    let Err(DomainError::Invalid(errors)) = f.check() else { panic!("must be refused") };
    let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
    for code in
        ["framework-levels-invalid", "framework-code-invalid", "framework-text-missing", "framework-key-invalid"]
    {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert!(Framework::from_json("{ not json").is_err());
}

#[test]
fn a_level_must_be_on_the_scale() {
    let digcomp = builtin().remove(0);
    assert_eq!(digcomp.level(1), Ok(1));
    assert_eq!(digcomp.level(8), Ok(8));
    assert!(digcomp.level(0).is_err());
    assert!(digcomp.level(9).is_err());
}

#[test]
fn a_municipality_may_raise_a_target_but_not_lower_it() {
    assert_eq!(effective_target(Some(3), None), Some(3));
    assert_eq!(effective_target(Some(3), Some(5)), Some(5));
    assert_eq!(effective_target(None, Some(2)), Some(2));
    assert!(check_municipal_target(Some(3), 2).is_err());
    assert!(check_municipal_target(Some(3), 3).is_ok());
}

#[test]
fn suggested_targets_cover_every_competence_and_role_group_on_the_scale() {
    for framework in builtin() {
        let targets = suggested_targets(&framework);
        assert_eq!(targets.len(), framework.competences().count() * RoleGroup::ALL.len());
        assert!(targets.iter().all(|t| framework.level(i64::from(t.level)).is_ok()));
    }
}

#[test]
fn a_target_table_reports_every_broken_rule() {
    use crate::person::RoleGroup;
    let digcomp = builtin().remove(0);
    let t = |code: &str, group, level| TargetLevel { competence: code.into(), role_group: group, level };
    let good = [t("1.1", RoleGroup::Ansatt, 4), t("1.1", RoleGroup::Leder, 5)];
    assert!(check_targets(&digcomp, &good, None).is_ok());
    let bad = [t("9.9", RoleGroup::Ansatt, 4), t("1.1", RoleGroup::Ansatt, 9), t("1.1", RoleGroup::Ansatt, 3)];
    let codes = match check_targets(&digcomp, &bad, None) {
        Err(DomainError::Invalid(f)) => f.iter().map(|e| e.code).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(codes, ["unknown-competence", "level-out-of-scale", "target-twice"]);
    // A municipality may raise, not lower.
    let regional = |_: &str, _: RoleGroup| Some(4);
    let lower = [t("1.1", RoleGroup::Ansatt, 3)];
    assert!(check_targets(&digcomp, &lower, Some(&regional)).is_err());
    let raise = [t("1.1", RoleGroup::Ansatt, 6)];
    assert!(check_targets(&digcomp, &raise, Some(&regional)).is_ok());
}
