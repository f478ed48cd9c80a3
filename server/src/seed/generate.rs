//! The deterministic generator: one ChaCha stream per seed, consumed in order.
use super::catalog::{self, Dept};
use super::insert::BindValue;
use app::rules::date::Ymd;
use app::rules::disclosure::{severity_from_categories, Regime};
use app::rules::{mask, resident_id, uscc};
use app::server::secrets::Secrets;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

pub struct Batch {
    pub subjects: Vec<Vec<BindValue>>,
    pub licences: Vec<Vec<BindValue>>,
    pub penalties: Vec<Vec<BindValue>>,
}

pub struct Generator {
    rng: ChaCha8Rng,
    as_of: Ymd,
    secrets: Arc<Secrets>,
    now: String,
    regime: Regime,
    next_licence: i64,
    next_penalty: i64,
    /// Persons counted apart, so that birth date + sequence number (hence the ID number) never repeat.
    adults: u64,
    minors: u64,
}

/// Organisation codes are drawn from a bijection of the subject index, so codes never collide.
const SERIAL_MULTIPLIER: u64 = 2_654_435_761;
const SERIAL_SPACE: u64 = 852_891_037_441; // 31^8

// In bounds: `gen_range` panics on an empty range before the index is used, and the tables are
// non-empty constants. `choose` would draw differently and change every seeded data set.
#[allow(clippy::indexing_slicing)]
fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

impl Generator {
    pub fn new(seed: u64, as_of: Ymd, secrets: Arc<Secrets>, now: String) -> Self {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            as_of,
            secrets,
            now,
            regime: Regime::regime_2025(),
            next_licence: 1,
            next_penalty: 1,
            adults: 0,
            minors: 0,
        }
    }

    fn public_id(&mut self) -> String {
        let mut b = [0u8; 16];
        self.rng.fill_bytes(&mut b);
        uuid::Builder::from_random_bytes(b)
            .into_uuid()
            .simple()
            .to_string()
    }

    pub fn department_uscc(index: usize) -> String {
        uscc::compose('1', '1', "433100", 10_000 + index as u64)
    }

    pub fn departments(&mut self) -> Vec<Vec<BindValue>> {
        catalog::DEPARTMENTS
            .iter()
            .enumerate()
            .map(|(i, d)| {
                vec![
                    BindValue::Int(i as i64 + 1),
                    BindValue::Text(self.public_id()),
                    BindValue::str(d.code),
                    BindValue::str(d.name),
                    BindValue::opt(d.full_name()),
                    BindValue::Text(d.aliases()),
                    BindValue::Text(Self::department_uscc(i)),
                    BindValue::str(d.county),
                    BindValue::Int(1),
                    BindValue::Text(self.now.clone()),
                ]
            })
            .collect()
    }

    pub fn articles(&mut self) -> Vec<Vec<BindValue>> {
        catalog::ARTICLES
            .iter()
            .enumerate()
            .map(|(i, (column, title, summary))| {
                let day = self.as_of.add_days(-(i as i64 * 4 + 1));
                let published = format!("{}T02:00:00.000Z", day.iso());
                let body =
                    format!("<p>{summary}</p><p>（湘西州社会信用体系建设领导小组办公室）</p>");
                vec![
                    BindValue::Text(self.public_id()),
                    BindValue::str(column),
                    BindValue::str(title),
                    BindValue::str(summary),
                    BindValue::Text(body),
                    BindValue::str("湘西州信用办"),
                    BindValue::str("published"),
                    BindValue::Text(published),
                    BindValue::Text(self.now.clone()),
                    BindValue::Text(self.now.clone()),
                ]
            })
            .collect()
    }

    /// Subjects `start .. start + n` (0-based) with their records.
    pub fn batch(&mut self, start: u64, n: u64) -> Batch {
        let mut b = Batch {
            subjects: Vec::with_capacity(n as usize),
            licences: vec![],
            penalties: vec![],
        };
        for i in start..start + n {
            self.subject(i, &mut b);
        }
        b
    }

    fn subject(&mut self, index: u64, b: &mut Batch) {
        let id = index as i64 + 1;
        let (county, place) = *pick(&mut self.rng, catalog::PLACES);
        let roll = self.rng.gen_range(0..100);
        let serial = (index.wrapping_mul(SERIAL_MULTIPLIER) + 12_345) % SERIAL_SPACE;
        let established = self.as_of.add_days(-self.rng.gen_range(200..9_000));
        let public_id = self.public_id();
        let (kind, category, name, code, legal_rep) = if roll < 70 {
            let brand = format!(
                "{}{}",
                pick(&mut self.rng, catalog::BRAND_CHARS),
                pick(&mut self.rng, catalog::BRAND_CHARS)
            );
            let trade = *pick(&mut self.rng, catalog::TRADES);
            let coop = self.rng.gen_ratio(1, 12);
            let (t, suffix) = if coop {
                ('3', "专业合作社")
            } else {
                (
                    '1',
                    *pick(&mut self.rng, &["有限公司", "有限责任公司", "股份有限公司"]),
                )
            };
            let name = format!("{place}{brand}{trade}{suffix}");
            let rep = self.person_name();
            (
                "organisation",
                "法人及非法人组织",
                name,
                Some(uscc::compose('9', t, county, serial)),
                Some(rep),
            )
        } else if roll < 90 {
            let owner = self.person_name();
            let town = *pick(&mut self.rng, catalog::TOWNS);
            let surname: String = owner.chars().take(1).collect();
            let name = format!(
                "{place}{town}{surname}记{}",
                pick(&mut self.rng, catalog::SHOPS)
            );
            (
                "individual_business",
                "个体工商户",
                name,
                Some(uscc::compose('9', '2', county, serial)),
                Some(owner),
            )
        } else {
            ("person", "自然人", self.person_name(), None, None)
        };
        let mut row = vec![
            BindValue::Int(id),
            BindValue::Text(public_id),
            BindValue::str(kind),
            BindValue::Text(name.clone()),
            BindValue::opt(code.clone()),
        ];
        let mut person_id = None;
        if kind == "person" {
            // About 1 in 50 persons is a minor: such records must never be published.
            // Each person takes the next (birth day, sequence) pair of its group, so numbers are unique;
            // adult birth days are spread over 55 years by a multiplier coprime to the span.
            let (age_days, sequence) = if self.rng.gen_ratio(1, 50) {
                let m = self.minors;
                self.minors += 1;
                (5_900 + (m / 1000) as i64 % 670, m % 1000)
            } else {
                let a = self.adults;
                self.adults += 1;
                (6_700 + ((a / 1000) * 7_919 % 20_300) as i64, a % 1000)
            };
            let birth = self.as_of.add_days(-age_days);
            let region = county.replace("433100", "433101");
            let number = resident_id::compose(&region, birth, sequence as u16);
            row.extend([
                BindValue::Text(self.secrets.encrypt_id(&number)),
                BindValue::Text(self.secrets.id_hmac(&number)),
                BindValue::Text(mask::resident_id(&number)),
                BindValue::Text(birth.iso()),
            ]);
            person_id = Some((number, birth));
        } else {
            row.extend([
                BindValue::NullText,
                BindValue::NullText,
                BindValue::NullText,
                BindValue::NullText,
            ]);
        }
        row.extend([
            BindValue::opt(legal_rep.clone()),
            BindValue::str(county),
            BindValue::Text(format!(
                "{place}{}路{}号",
                pick(&mut self.rng, catalog::TOWNS),
                self.rng.gen_range(1..300)
            )),
            BindValue::Text(established.iso()),
            BindValue::Text(self.now.clone()),
            BindValue::Text(self.now.clone()),
        ]);
        b.subjects.push(row);

        // Minors get no records; everyone else about three on average.
        if person_id
            .as_ref()
            .is_some_and(|(_, birth)| birth.age_on(self.as_of) < 18)
        {
            return;
        }
        let records = self.rng.gen_range(0..=6);
        let ctx = RecordCtx {
            subject_id: id,
            category,
            name: &name,
            uscc: code.as_deref(),
            legal_rep: legal_rep.as_deref(),
            county,
            person: person_id.as_ref().map(|(n, _)| n.as_str()),
            established,
        };
        for _ in 0..records {
            if self.rng.gen_ratio(3, 5) {
                let row = self.licence(&ctx);
                b.licences.push(row);
            } else {
                let row = self.penalty(&ctx);
                b.penalties.push(row);
            }
        }
    }

    fn person_name(&mut self) -> String {
        format!(
            "{}{}",
            pick(&mut self.rng, catalog::SURNAMES),
            pick(&mut self.rng, catalog::GIVEN)
        )
    }

    fn dept(&mut self, code: &str) -> (i64, &'static Dept) {
        catalog::DEPARTMENTS
            .iter()
            .zip(1i64..)
            .find(|(d, _)| d.code == code)
            .map_or((1, catalog::FIRST_DEPARTMENT), |(d, id)| (id, d))
    }

    fn decision_date(&mut self, established: Ymd) -> Ymd {
        let days_back = self.rng.gen_range(0..(5 * 365));
        self.as_of.add_days(-days_back).max(established)
    }

    /// The record's de-duplication key, exactly as the collection pipeline computes it.
    fn dedupe_key(&self, ctx: &RecordCtx, decision_no: &str, authority: &str) -> String {
        use app::rules::clean::{keys, row::SubjectKey};
        let subject = match (ctx.uscc, ctx.person) {
            (Some(code), _) => SubjectKey::Uscc(code.to_string()),
            (None, Some(number)) => SubjectKey::Person(number.to_string()),
            (None, None) => SubjectKey::NameArea(ctx.name.to_string(), ctx.county.to_string()),
        };
        let part = keys::subject_part(&subject, |n| self.secrets.id_hmac(n));
        keys::record_key(decision_no, &part, authority)
    }

    /// Columns shared by licences and penalties: ids, subject and identifiers.
    fn common(&mut self, ctx: &RecordCtx, id: i64, dept_id: i64) -> Vec<BindValue> {
        let public_id = self.public_id();
        let mut row = vec![
            BindValue::Int(id),
            BindValue::Text(public_id),
            BindValue::Int(ctx.subject_id),
            BindValue::Int(dept_id),
            BindValue::str(ctx.county),
            BindValue::str(ctx.name),
            BindValue::str(ctx.category),
            BindValue::opt(ctx.uscc.map(str::to_owned)),
            BindValue::opt(ctx.legal_rep.map(str::to_owned)),
            BindValue::opt(ctx.legal_rep.map(|_| "身份证".to_string())),
        ];
        match ctx.person {
            Some(number) => row.extend([
                BindValue::str("身份证"),
                BindValue::Text(self.secrets.encrypt_id(number)),
                BindValue::Text(mask::resident_id(number)),
                BindValue::Text(self.secrets.id_hmac(number)),
            ]),
            None => row.extend([
                BindValue::NullText,
                BindValue::NullText,
                BindValue::NullText,
                BindValue::NullText,
            ]),
        }
        row
    }

    fn licence(&mut self, ctx: &RecordCtx) -> Vec<BindValue> {
        let id = self.next_licence;
        self.next_licence += 1;
        let (dept_code, doc, cat, cert, content, years) = *pick(&mut self.rng, catalog::LICENCES);
        let (dept_id, dept) = self.dept(dept_code);
        let decided = self.decision_date(ctx.established);
        let valid_to = if years == 0 {
            Ymd::new(2099, 12, 31)
        } else {
            decided.add_months(years * 12).add_days(-1)
        };
        let state = if valid_to >= self.as_of {
            "有效"
        } else {
            "无效"
        };
        let decision_no = format!("{}许〔{}〕{}号", dept.abbr, decided.year, id);
        let key = self.dedupe_key(ctx, &decision_no, dept.name);
        let mut row = self.common(ctx, id, dept_id);
        row.extend([
            BindValue::str(doc),
            BindValue::Text(decision_no),
            BindValue::str(cat),
            BindValue::str(cert),
            BindValue::Text(format!("L{}{:08}", &ctx.county[2..], id)),
            BindValue::str(content),
            BindValue::Text(decided.iso()),
            BindValue::Text(decided.iso()),
            BindValue::Text(valid_to.iso()),
            BindValue::str(dept.name),
            BindValue::Text(Generator::department_uscc((dept_id - 1) as usize)),
            BindValue::str(state),
            BindValue::str(dept.name),
            BindValue::Text(Generator::department_uscc((dept_id - 1) as usize)),
            BindValue::Text(key),
            BindValue::Text(self.now.clone()),
            BindValue::Text(self.now.clone()),
        ]);
        row
    }

    fn penalty(&mut self, ctx: &RecordCtx) -> Vec<BindValue> {
        let id = self.next_penalty;
        self.next_penalty += 1;
        let (dept_code, wfxw, facts, basis) = *pick(&mut self.rng, catalog::VIOLATIONS);
        let (dept_id, dept) = self.dept(dept_code);
        let decided = self.decision_date(ctx.established);
        let total: u32 = catalog::CATEGORY_SETS.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.gen_range(0..total);
        let mut cats: &[&str] = catalog::CATEGORY_SETS.first().map_or(&[], |(set, _)| *set);
        for (set, w) in catalog::CATEGORY_SETS {
            if roll < *w {
                cats = *set;
                break;
            }
            roll -= w;
        }
        let fine = cats
            .contains(&"罚款")
            .then(|| self.rng.gen_range(20..2_000) * 100 * 100);
        let confiscated = cats
            .contains(&"没收违法所得")
            .then(|| self.rng.gen_range(5..500) * 100 * 100);
        let severity = severity_from_categories(cats.iter().copied());
        let display_until = self.regime.display_until(decided, severity, None);
        let repair_from = self.regime.repair_eligible_from(decided, severity);
        let content = match (fine, confiscated) {
            (Some(f), Some(c)) => format!(
                "{}；罚款{}元，没收违法所得{}元",
                cats.join("、"),
                f / 100,
                c / 100
            ),
            (Some(f), None) => format!("{}；罚款{}元", cats.join("、"), f / 100),
            _ => cats.join("、"),
        };
        let decision_no = format!("{}罚〔{}〕{}号", dept.abbr, decided.year, id);
        let key = self.dedupe_key(ctx, &decision_no, dept.name);
        let mut row = self.common(ctx, id, dept_id);
        row.extend([
            BindValue::Text(decision_no),
            BindValue::str(wfxw),
            BindValue::str(facts),
            BindValue::str(basis),
            BindValue::Text(cats.join(";")),
            BindValue::Text(content),
            BindValue::opt_int(fine),
            BindValue::opt_int(confiscated),
            BindValue::opt(
                cats.contains(&"吊销许可证件")
                    .then(|| "营业执照（吊销）".to_string()),
            ),
            BindValue::Text(decided.iso()),
            BindValue::Text(display_until.iso()),
            BindValue::str(dept.name),
            BindValue::Text(Generator::department_uscc((dept_id - 1) as usize)),
            BindValue::str(dept.name),
            BindValue::Text(Generator::department_uscc((dept_id - 1) as usize)),
            BindValue::str(severity.as_str()),
            BindValue::Text(display_until.iso()),
            BindValue::Text(repair_from.iso()),
            BindValue::Text(key),
            BindValue::Text(self.now.clone()),
            BindValue::Text(self.now.clone()),
        ]);
        row
    }
}

struct RecordCtx<'a> {
    subject_id: i64,
    category: &'static str,
    name: &'a str,
    uscc: Option<&'a str>,
    legal_rep: Option<&'a str>,
    county: &'static str,
    person: Option<&'a str>,
    established: Ymd,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(seed: u64) -> Generator {
        Generator::new(
            seed,
            Ymd::new(2026, 11, 29),
            Arc::new(Secrets::from_master(b"seed test secret 0123456789abcdef")),
            "t".into(),
        )
    }

    #[test]
    fn same_seed_same_subjects() {
        let a = gen(7).batch(0, 200);
        let b = gen(7).batch(0, 200);
        let names = |x: &Batch| {
            x.subjects
                .iter()
                .map(|r| format!("{:?}{:?}", r[3], r[4]))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&gen(8).batch(0, 200)));
    }

    #[test]
    fn generated_id_numbers_are_unique() {
        let b = gen(3).batch(0, 40_000);
        let mut seen = std::collections::HashSet::new();
        for r in &b.subjects {
            if let BindValue::Text(masked) = &r[7] {
                let hmac = format!("{:?}", r[6]);
                assert!(seen.insert(hmac), "duplicate ID number {masked}");
            }
        }
        assert!(seen.len() > 3_000);
    }

    #[test]
    fn generated_codes_are_valid_and_unique() {
        let b = gen(1).batch(0, 3_000);
        let mut seen = std::collections::HashSet::new();
        for r in &b.subjects {
            if let BindValue::Text(code) = &r[4] {
                assert!(uscc::validate(code).is_ok(), "{code}");
                assert!(seen.insert(code.clone()));
            }
        }
        assert!(seen.len() > 2_000);
        let records = b.licences.len() + b.penalties.len();
        assert!(
            (6_000..12_000).contains(&records),
            "about 3 records per subject, got {records}"
        );
    }
}
