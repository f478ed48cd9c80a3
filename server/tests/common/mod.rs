//! A fresh database per test, on the backend named by TEST_DATABASE (sqlite, the default, or
//! postgres with TEST_PG_URL pointing at a server the test script started). PostgreSQL tests
//! fail when the server is missing: they are never skipped.
#![allow(dead_code)]
use app::server::{clock::Clock, config::Config, db::Db, secrets::Secrets, AppState};
use std::collections::HashMap;
use std::sync::Arc;

pub fn backend() -> String {
    std::env::var("TEST_DATABASE").unwrap_or_else(|_| "sqlite".into())
}

/// A URL for a database nobody else uses.
pub async fn fresh_database_url() -> String {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    match backend().as_str() {
        "postgres" => {
            let admin = std::env::var("TEST_PG_URL")
                .expect("TEST_DATABASE=postgres needs TEST_PG_URL (scripts/test.sh starts a server and sets it)");
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at TEST_PG_URL is not reachable: {e}"));
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            format!("{base}/{name}")
        }
        "sqlite" => {
            let dir = std::env::temp_dir().join("xiangxi-credit-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{name}.db")).display()
            )
        }
        other => panic!("unknown TEST_DATABASE {other:?}: use sqlite or postgres"),
    }
}

pub fn test_config(database_url: &str) -> Config {
    let mut vars = HashMap::new();
    vars.insert("DATABASE_URL".to_string(), database_url.to_string());
    vars.insert(
        "APP_SECRET".to_string(),
        "integration-test-master-secret-0123456789".to_string(),
    );
    vars.insert("APP_TEST_HOOKS".to_string(), "1".to_string());
    vars.insert(
        "APP_DATA_DIR".to_string(),
        std::env::temp_dir()
            .join("xiangxi-credit-tests")
            .display()
            .to_string(),
    );
    Config::from_vars(&vars, false).expect("test config")
}

/// A migrated database with an adjustable clock.
pub async fn fresh_state() -> AppState {
    let url = fresh_database_url().await;
    state_for(&url, Clock::adjustable()).await
}

/// Another "instance" on the same database: its own pool, the given clock.
pub async fn state_for(url: &str, clock: Clock) -> AppState {
    let config = test_config(url);
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let secrets = Secrets::load(&config).expect("secrets");
    AppState {
        db,
        config: Arc::new(config),
        secrets: Arc::new(secrets),
        clock,
    }
}
