//! Deterministic demo and benchmark data: municipalities with believable unit
//! trees, employees, managers, elected officials and union representatives.
//!
//! The same seed gives the same people on every machine, so demo logins,
//! screenshots and benchmark figures are reproducible. Each municipality is
//! generated from its own number, so a national data set can be streamed one
//! municipality at a time.

use crate::org::MunicipalityNumber;
use crate::person::RoleGroup;
use crate::policy::Role;

/// The region's municipalities with their real numbers (reference data).
pub const MUNICIPALITIES_CSV: &str = include_str!("../data/municipalities.csv");

/// About one municipal employee per ten inhabitants (scale-facts.md: ~550,000 of 5.55 million).
pub const INHABITANTS_PER_EMPLOYEE: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalitySeed {
    pub number: MunicipalityNumber,
    pub name: String,
    pub county: String,
    pub language_form: String,
    pub population: i64,
    pub in_kongsbergregionen: bool,
}

/// Parses the reference CSV (no quoted fields in it).
pub fn reference_municipalities() -> Vec<MunicipalitySeed> {
    MUNICIPALITIES_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Some(MunicipalitySeed {
                number: MunicipalityNumber::parse(f.first()?).ok()?,
                name: f.get(1)?.to_string(),
                county: f.get(2)?.to_string(),
                language_form: f.get(4)?.to_string(),
                population: f.get(5)?.parse().ok()?,
                in_kongsbergregionen: f.get(9)?.trim() == "yes",
            })
        })
        .collect()
}

/// Kongsbergregionen's seven members.
pub fn kongsbergregionen() -> Vec<MunicipalitySeed> {
    reference_municipalities().into_iter().filter(|m| m.in_kongsbergregionen).collect()
}

/// A national-scale set: the reference municipalities plus synthetic ones up to
/// `count`, with populations falling off like Norway's (a few large, many small)
/// and summing to about `total_population`.
pub fn national(count: usize, total_population: i64) -> Vec<MunicipalitySeed> {
    let mut seeds = reference_municipalities();
    let known: i64 = seeds.iter().map(|s| s.population).sum();
    let synthetic = count.saturating_sub(seeds.len());
    // Zipf-like weights 1/(rank+2)^0.9 give Oslo-sized heads and ~1,000-inhabitant tails.
    let weights: Vec<f64> = (0..synthetic).map(|r| 1.0 / ((r + 2) as f64).powf(0.9)).collect();
    let sum: f64 = weights.iter().sum();
    let rest = (total_population - known).max(0) as f64;
    // Numbers 5100–5449 lie in county numbers 51–54, which no real county has.
    let numbers = (5100..).filter_map(|n: u16| MunicipalityNumber::parse(&n.to_string()).ok());
    for ((i, w), number) in weights.iter().enumerate().zip(numbers) {
        seeds.push(MunicipalitySeed {
            number,
            name: format!("{} {}", PLACES[i % PLACES.len()], i / PLACES.len() + 1),
            county: "Syntetisk".into(),
            language_form: ["bokmål", "nynorsk", "neutral"][i % 3].into(),
            population: ((rest * w / sum) as i64).max(200),
            in_kongsbergregionen: false,
        });
    }
    seeds
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUnit {
    pub parent: Option<usize>,
    pub name: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoPerson {
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub employee_number: Option<String>,
    /// Index into the municipality's units.
    pub unit: Option<usize>,
    pub position_title: Option<String>,
    pub percent: Option<f64>,
    pub start_year: Option<i32>,
    pub role_groups: Vec<RoleGroup>,
    /// The unit this person leads (makes them its manager).
    pub manages: Option<usize>,
    pub login: Option<DemoLogin>,
}

/// A demo account: username and the role it demonstrates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLogin {
    pub username: &'static str,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoMunicipality {
    pub seed: MunicipalitySeed,
    pub units: Vec<DemoUnit>,
    pub people: Vec<DemoPerson>,
}

/// splitmix64: a tiny, well-known generator whose output never changes with a
/// crate upgrade (reproducibility is the point here, not statistical quality).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const GIVEN: &[&str] = &[
    "Anne",
    "Kari",
    "Ingrid",
    "Liv",
    "Marit",
    "Åse",
    "Solveig",
    "Berit",
    "Nina",
    "Hilde",
    "Sigrid",
    "Tone",
    "Ragnhild",
    "Silje",
    "Ida",
    "Nora",
    "Emma",
    "Sofie",
    "Maja",
    "Astrid",
    "Gro",
    "Bjørg",
    "Synnøve",
    "Torunn",
    "Øydis",
    "Jan",
    "Per",
    "Bjørn",
    "Ole",
    "Lars",
    "Knut",
    "Arne",
    "Håkon",
    "Kjetil",
    "Geir",
    "Terje",
    "Øyvind",
    "Ørjan",
    "Tor",
    "Espen",
    "Magnus",
    "Jonas",
    "Emil",
    "Henrik",
    "Sindre",
    "Ståle",
    "Aslak",
    "Halvor",
    "Eirik",
    "Mohammed",
    "Fatima",
    "Ahmed",
    "Agnieszka",
    "Tomasz",
    "Ali",
    "Amina",
    "Sara",
    "André",
    "Jørgen",
    "Kåre",
];
const FAMILY: &[&str] = &[
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Haugen",
    "Bakken",
    "Lie",
    "Berg",
    "Dahl",
    "Moen",
    "Halvorsen",
    "Sæther",
    "Ødegård",
    "Bråten",
    "Løken",
    "Kjær",
    "Østby",
    "Åsheim",
    "Tveit",
    "Lunde",
    "Strand",
    "Nygård",
    "Grønli",
    "Bøe",
    "Sandvik",
    "Hovde",
    "Kvåle",
    "Rød",
    "Fossum",
    "Skjønberg",
    "Vestøl",
    "Myhre",
    "Tjønn",
    "Ås",
    "Rønning",
    "Sørlie",
    "Aasland",
    "Nordbø",
    "Flåten",
    "Hætta",
    "Khan",
    "Nowak",
    "Ali",
    "Eriksen",
    "Ødegaard",
    "Aamodt",
    "Berge",
    "Holm",
    "Solberg",
];
const PLACES: &[&str] = &[
    "Sentrum",
    "Nordre",
    "Søndre",
    "Vestre",
    "Østre",
    "Øvre",
    "Nedre",
    "Åsen",
    "Lia",
    "Haugen",
    "Bakke",
    "Moen",
    "Sletta",
    "Tveiten",
    "Fjellstad",
    "Dalen",
    "Ødegården",
    "Brekke",
    "Skogli",
    "Elvebakken",
    "Løkka",
    "Vangen",
    "Kjærra",
    "Furuheim",
    "Solberg",
    "Råbekken",
    "Høgås",
    "Gjerdet",
    "Bø",
    "Ås",
];

/// Unit kinds, their share of staff, manager title and ordinary titles.
struct Kind {
    weight: usize,
    manager: &'static str,
    titles: &'static [&'static str],
}
const SCHOOL: Kind = Kind { weight: 40, manager: "Rektor", titles: &["Lærer", "Lektor", "Adjunkt", "Assistent"] };
const KINDERGARTEN: Kind =
    Kind { weight: 20, manager: "Styrer", titles: &["Barnehagelærer", "Fagarbeider", "Assistent"] };
const CARE: Kind =
    Kind { weight: 55, manager: "Avdelingsleder", titles: &["Sykepleier", "Helsefagarbeider", "Assistent"] };
const OFFICE: Kind =
    Kind { weight: 10, manager: "Enhetsleder", titles: &["Rådgiver", "Konsulent", "Førstekonsulent"] };
const ICT: Kind = Kind { weight: 6, manager: "IKT-leder", titles: &["IKT-konsulent", "Systemkonsulent", "Rådgiver"] };
const TECHNICAL: Kind =
    Kind { weight: 12, manager: "Enhetsleder", titles: &["Ingeniør", "Fagarbeider", "Driftsoperatør"] };

struct Tree {
    units: Vec<DemoUnit>,
    /// Leaf units that employ people, with their kind.
    leaves: Vec<(usize, &'static Kind)>,
}

impl Tree {
    fn add(&mut self, parent: Option<usize>, name: String, code: String) -> usize {
        self.units.push(DemoUnit { parent, name, code });
        self.units.len() - 1
    }
    fn leaf(&mut self, parent: usize, name: String, code: String, kind: &'static Kind) {
        let i = self.add(Some(parent), name, code);
        self.leaves.push((i, kind));
    }
}

fn unit_tree(seed: &MunicipalitySeed, employees: i64, rng: &mut Rng) -> Tree {
    let mut t = Tree { units: vec![], leaves: vec![] };
    let root = t.add(None, format!("{} kommune", seed.name), "K".into());
    let adm = t.add(Some(root), "Administrasjon".into(), "ADM".into());
    t.leaf(adm, "Servicetorget".into(), "ADM-ST".into(), &OFFICE);
    t.leaf(adm, "IKT".into(), "ADM-IKT".into(), &ICT);
    t.leaf(adm, "Økonomi".into(), "ADM-OK".into(), &OFFICE);
    t.leaf(adm, "Personal og organisasjon".into(), "ADM-PO".into(), &OFFICE);
    let opp = t.add(Some(root), "Oppvekst".into(), "OPP".into());
    let places_from = rng.below(PLACES.len());
    let place = |i: usize| {
        let p = PLACES[(places_from + i) % PLACES.len()];
        let round = i / PLACES.len();
        if round == 0 { p.to_string() } else { format!("{p} {}", round + 1) }
    };
    for i in 0..(employees / 250).max(1) as usize {
        t.leaf(opp, format!("{} skole", place(i)), format!("OPP-S{:02}", i + 1), &SCHOOL);
    }
    for i in 0..(employees / 200).max(1) as usize {
        t.leaf(opp, format!("{} barnehage", place(i + 7)), format!("OPP-B{:02}", i + 1), &KINDERGARTEN);
    }
    let ho = t.add(Some(root), "Helse og omsorg".into(), "HO".into());
    for i in 0..(employees / 400).max(1) as usize {
        t.leaf(ho, format!("{} sykehjem", place(i + 3)), format!("HO-SH{:02}", i + 1), &CARE);
    }
    t.leaf(ho, "Hjemmetjenesten".into(), "HO-HJ".into(), &CARE);
    t.leaf(ho, "Helsestasjon og skolehelsetjeneste".into(), "HO-HS".into(), &OFFICE);
    let tek = t.add(Some(root), "Teknisk".into(), "TEK".into());
    t.leaf(tek, "Vei og park".into(), "TEK-VP".into(), &TECHNICAL);
    t.leaf(tek, "Vann og avløp".into(), "TEK-VA".into(), &TECHNICAL);
    t.leaf(tek, "Eiendom".into(), "TEK-EI".into(), &TECHNICAL);
    t
}

fn email_slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .flat_map(|c| match c {
            'æ' => "ae".chars().collect::<Vec<_>>(),
            'ø' | 'ö' => vec!['o'],
            'å' | 'á' | 'à' => vec!['a'],
            'é' | 'è' => vec!['e'],
            ' ' => vec!['-'],
            c if c.is_ascii_alphanumeric() || c == '-' => vec![c],
            _ => vec![],
        })
        .collect()
}

/// Generates one municipality. `with_logins` attaches the demo accounts
/// (to Kongsberg, Notodden and Tinn when they are generated).
pub fn generate_municipality(seed: &MunicipalitySeed, with_logins: bool) -> DemoMunicipality {
    let mut rng = Rng(0x4C_F7_u64 ^ (u64::from(seed.number.to_string().parse::<u16>().unwrap_or(0)) << 20));
    let employees = (seed.population / INHABITANTS_PER_EMPLOYEE).max(20);
    let tree = unit_tree(seed, employees, &mut rng);
    let domain = format!("{}.kommune.no", email_slug(&seed.name));
    let mut used_emails = std::collections::HashSet::new();
    let mut people = Vec::with_capacity(employees as usize + 16);
    let mut next_number = 100_001;
    let mut person = |rng: &mut Rng, unit: Option<usize>, title: Option<String>, groups: Vec<RoleGroup>| {
        let given = rng.pick(GIVEN).to_string();
        let family = rng.pick(FAMILY).to_string();
        let base = format!("{}.{}", email_slug(&given), email_slug(&family));
        let mut local = base.clone();
        let mut n = 1;
        while !used_emails.insert(local.clone()) {
            n += 1;
            local = format!("{base}{n}");
        }
        let employed = unit.is_some();
        let number = employed.then(|| {
            next_number += 1;
            (next_number - 1).to_string()
        });
        DemoPerson {
            given_name: given,
            family_name: family,
            email: format!("{local}@{domain}"),
            employee_number: number,
            unit,
            position_title: title,
            percent: employed.then(|| [100.0, 100.0, 100.0, 80.0, 60.0, 50.0, 20.0][rng.below(7)]),
            start_year: employed.then(|| 1990 + rng.below(36) as i32),
            role_groups: groups,
            manages: None,
            login: None,
        }
    };

    // Leaders first: the chief executive leads the root, a head leads each sector and unit.
    for (i, unit) in tree.units.iter().enumerate() {
        let title = match (unit.parent, tree.leaves.iter().find(|(l, _)| *l == i)) {
            (None, _) => "Kommunedirektør",
            (_, Some((_, kind))) => kind.manager,
            _ => "Kommunalsjef",
        };
        let mut groups = vec![RoleGroup::Ansatt, RoleGroup::Leder];
        if unit.parent.is_none() {
            groups.push(RoleGroup::Radmann);
        }
        let mut p = person(&mut rng, Some(i), Some(title.into()), groups);
        p.manages = Some(i);
        people.push(p);
    }
    // Staff spread over the leaf units by weight.
    let total_weight: usize = tree.leaves.iter().map(|(_, k)| k.weight).sum();
    let staff = (employees as usize).saturating_sub(people.len());
    for (n, (unit, kind)) in tree.leaves.iter().enumerate() {
        let mut share = staff * kind.weight / total_weight;
        if n == 0 {
            share += staff - tree.leaves.iter().map(|(_, k)| staff * k.weight / total_weight).sum::<usize>();
        }
        for _ in 0..share {
            let title = rng.pick(kind.titles).to_string();
            let mut groups = vec![RoleGroup::Ansatt];
            if rng.below(150) == 0 {
                groups.push(RoleGroup::Tillitsvalgt);
            }
            if *unit == 3 && rng.below(3) == 0 {
                groups.push(RoleGroup::Innkjoper); // some finance staff buy for the municipality
            }
            people.push(person(&mut rng, Some(*unit), Some(title), groups));
        }
    }
    // Elected officials are in no HR system: no unit, no employee number.
    let officials = (5 + seed.population / 5000).min(11);
    for _ in 0..officials {
        people.push(person(&mut rng, None, None, vec![RoleGroup::Folkevalgt]));
    }

    let mut municipality = DemoMunicipality { seed: seed.clone(), units: tree.units, people };
    if with_logins {
        attach_logins(&mut municipality);
    }
    municipality
}

/// The demo accounts, one per role, on people who make sense for the role.
fn attach_logins(m: &mut DemoMunicipality) {
    let ict = m.units.iter().position(|u| u.code == "ADM-IKT");
    let school = m.units.iter().position(|u| u.code == "OPP-S01");
    let find = |m: &DemoMunicipality, pred: &dyn Fn(&DemoPerson) -> bool| m.people.iter().position(pred);
    let mut wanted: Vec<(Option<usize>, &'static str, Role)> = Vec::new();
    match m.seed.number.to_string().as_str() {
        "3303" => {
            wanted.push((find(m, &|p| p.unit == ict && p.manages.is_none()), "admin", Role::SystemAdmin));
            wanted.push((find(m, &|p| p.unit == Some(1) && p.manages == Some(1)), "region", Role::RegionalCoordinator));
            wanted.push((find(m, &|p| p.manages.is_some() && p.manages == school), "leder", Role::Manager));
            wanted.push((find(m, &|p| p.unit == school && p.manages.is_none()), "ansatt", Role::Employee));
            wanted.push((find(m, &|p| p.unit == Some(4) && p.manages.is_none()), "kurs", Role::CourseOrganiser));
        }
        "4005" => {
            let po = m.units.iter().position(|u| u.code == "ADM-PO");
            wanted.push((find(m, &|p| p.unit == po && p.manages.is_none()), "kommune", Role::MunicipalCoordinator));
        }
        "4026" => {
            wanted.push((
                find(m, &|p| p.role_groups.contains(&RoleGroup::Folkevalgt)),
                "styring",
                Role::SteeringGroupMember,
            ));
        }
        _ => {}
    }
    for (index, username, role) in wanted {
        if let Some(i) = index {
            m.people[i].login = Some(DemoLogin { username, role });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kongsbergregionen_has_seven_members_and_about_5500_employees() {
        let seeds = kongsbergregionen();
        assert_eq!(seeds.len(), 7);
        let people: usize = seeds.iter().map(|s| generate_municipality(s, false).people.len()).sum();
        assert!((5_400..=5_800).contains(&people), "{people}");
    }

    #[test]
    fn generation_is_deterministic() {
        let seed = &kongsbergregionen()[0];
        assert_eq!(generate_municipality(seed, true), generate_municipality(seed, true));
    }

    #[test]
    fn every_demo_role_gets_exactly_one_login() {
        let logins: Vec<_> = kongsbergregionen()
            .iter()
            .flat_map(|s| generate_municipality(s, true).people)
            .filter_map(|p| p.login)
            .collect();
        let mut roles: Vec<Role> = logins.iter().map(|l| l.role).collect();
        roles.sort();
        assert_eq!(roles, Role::ALL.to_vec().tap_sort());
    }

    trait TapSort {
        fn tap_sort(self) -> Self;
    }
    impl TapSort for Vec<Role> {
        fn tap_sort(mut self) -> Self {
            self.sort();
            self
        }
    }

    #[test]
    fn emails_are_unique_and_units_have_managers() {
        let m = generate_municipality(&kongsbergregionen()[0], false);
        let mut emails: Vec<_> = m.people.iter().map(|p| &p.email).collect();
        emails.sort();
        emails.dedup();
        assert_eq!(emails.len(), m.people.len());
        for i in 0..m.units.len() {
            assert_eq!(m.people.iter().filter(|p| p.manages == Some(i)).count(), 1, "unit {i}");
        }
        assert!(m.people.iter().any(|p| p.role_groups.contains(&RoleGroup::Folkevalgt) && p.unit.is_none()));
    }

    #[test]
    fn national_set_has_357_municipalities_and_about_550000_employees() {
        let seeds = national(357, 5_550_203);
        assert_eq!(seeds.len(), 357);
        let mut numbers: Vec<_> = seeds.iter().map(|s| s.number.to_string()).collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 357);
        let employees: i64 = seeds.iter().map(|s| (s.population / INHABITANTS_PER_EMPLOYEE).max(20)).sum();
        assert!((530_000..=580_000).contains(&employees), "{employees}");
    }
}
