//! The demo data set: deterministic, valid identifiers, encrypted ID numbers, refusals.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::rules::{date::Ymd, resident_id, uscc};
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;

fn opts(subjects: u64) -> SeedOptions {
    SeedOptions {
        subjects,
        seed: 42,
        as_of: Ymd::new(2026, 11, 29),
    }
}

async fn fingerprint(state: &app::server::AppState) -> Vec<String> {
    sqlx::query("SELECT name, COALESCE(uscc, id_number_masked) AS code FROM subjects ORDER BY id")
        .fetch_all(&state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}|{}",
                r.get::<String, _>("name"),
                r.get::<String, _>("code")
            )
        })
        .collect()
}

#[tokio::test]
async fn demo_data_is_deterministic_and_valid() {
    let a = common::fresh_state().await;
    let b = common::fresh_state().await;
    let ra = seed_demo(&a, &opts(2_500), |_, _| {})
        .await
        .expect("seed a");
    let rb = seed_demo(&b, &opts(2_500), |_, _| {})
        .await
        .expect("seed b");
    assert_eq!(ra.subjects, 2_500);
    assert_eq!((ra.licences, ra.penalties), (rb.licences, rb.penalties));
    assert!(
        ra.licences + ra.penalties > 5_000,
        "about 3 records per subject"
    );
    assert_eq!(fingerprint(&a).await, fingerprint(&b).await);

    let pool = &a.db.pool;
    let count = |sql: &'static str| async move {
        sqlx::query(sql)
            .fetch_one(pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    };
    assert_eq!(count("SELECT COUNT(*) FROM counties").await, 9);
    assert_eq!(count("SELECT COUNT(*) FROM departments").await, 20);
    assert!(count("SELECT COUNT(*) FROM articles").await >= 10);
    for kind in ["organisation", "individual_business", "person"] {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM subjects WHERE kind = $1")
            .bind(kind)
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0);
        assert!(n > 100, "{kind}: {n}");
    }
    for sev in ["minor", "general", "serious"] {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM penalties WHERE severity = $1")
            .bind(sev)
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0);
        assert!(n > 10, "{sev}: {n}");
    }
    // Every code is valid; ID numbers are stored encrypted, open with the secret, and match their HMAC.
    for r in sqlx::query("SELECT uscc FROM subjects WHERE uscc IS NOT NULL")
        .fetch_all(pool)
        .await
        .unwrap()
    {
        let code: String = r.get(0);
        assert!(uscc::validate(&code).is_ok(), "{code}");
    }
    let persons = sqlx::query("SELECT id_number_enc, id_number_hmac, id_number_masked FROM subjects WHERE kind = 'person'")
        .fetch_all(pool)
        .await
        .unwrap();
    for r in persons.iter().take(50) {
        let enc: String = r.get(0);
        assert!(!enc.chars().all(|c| c.is_ascii_digit()), "stored encrypted");
        let number = a.secrets.decrypt_id(&enc).unwrap();
        assert!(resident_id::validate(&number, Ymd::new(2026, 11, 29)).is_ok());
        assert_eq!(a.secrets.id_hmac(&number), r.get::<String, _>(1));
        assert_eq!(
            app::rules::mask::resident_id(&number),
            r.get::<String, _>(2)
        );
    }
}

#[tokio::test]
async fn seeding_refuses_a_non_empty_registry() {
    let state = common::fresh_state().await;
    seed_demo(&state, &opts(10), |_, _| {}).await.unwrap();
    let err = seed_demo(&state, &opts(10), |_, _| {}).await.unwrap_err();
    assert!(err.to_string().contains("空库"), "{err}");
}

#[tokio::test]
async fn new_rows_after_seeding_get_fresh_ids() {
    let state = common::fresh_state().await;
    seed_demo(&state, &opts(20), |_, _| {}).await.unwrap();
    let now = state.clock.now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO subjects (public_id, kind, name, created_at, updated_at) VALUES ('new', 'person', '新主体', $1, $1) RETURNING id",
    )
    .bind(&now)
    .fetch_one(&state.db.pool)
    .await
    .expect("identity continues after explicit ids")
    .get(0);
    // 20 generated subjects, then the two showcase subjects (seed::showcase).
    assert_eq!(id, 23);
}
