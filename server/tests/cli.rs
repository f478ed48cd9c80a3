//! The real binary: production mode refusals and the migrate command.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use std::process::Command;

fn server() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_server"));
    for k in [
        "APP_SECRET",
        "APP_SECRET_FILE",
        "APP_ENV",
        "APP_CONFIG_FILE",
        "DATABASE_URL",
    ] {
        c.env_remove(k);
    }
    c.env(
        "APP_DATA_DIR",
        std::env::temp_dir().join("xiangxi-credit-tests"),
    );
    c
}

#[test]
fn production_refuses_to_start_without_a_secret() {
    for args in [vec!["--production", "serve"], vec!["serve"]] {
        let mut cmd = server();
        if args.len() == 1 {
            cmd.env("APP_ENV", "production");
        }
        let out = cmd.args(&args).output().expect("run server");
        assert!(!out.status.success(), "{args:?} must fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("APP_SECRET"), "{args:?}: {err}");
    }
}

/// The binary in production mode, with a secret, on the given database.
fn production(url: &str, args: &[&str]) -> std::process::Output {
    server()
        .arg("--production")
        .args(args)
        .env(
            "APP_SECRET",
            "a-production-secret-of-sufficient-length-0123",
        )
        .env("DATABASE_URL", url)
        .output()
        .expect("run server")
}

#[tokio::test]
async fn production_refuses_demo_data_and_migrate_works() {
    let url = common::fresh_database_url().await;
    let out = production(&url, &["seed-demo", "--subjects", "5"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("生产模式不允许载入演示数据"));

    let out = production(&url, &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("数据库迁移完成"));
}

#[test]
fn bad_arguments_get_a_clear_message() {
    let out = server()
        .args(["seed-demo", "--as-of", "2026-02-30"])
        .output()
        .expect("run server");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as-of 的日期“2026-02-30”无效"));
}

#[tokio::test]
async fn verify_audit_reports_a_broken_chain_and_fails() {
    let state = common::fresh_state().await;
    let run = || {
        server()
            .arg("verify-audit")
            .env("APP_SECRET", "integration-test-master-secret-0123456789")
            .env("DATABASE_URL", &state.db.url)
            .output()
            .expect("run server")
    };
    for i in 0..3 {
        let mut tx = state.db.pool.begin().await.unwrap();
        let e = app::server::audit::AuditEvent::new("tester", &format!("test.{i}"), "success");
        app::server::audit::append(&mut tx, &state.secrets, &state.clock, &e)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let ok = run();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("审计链完整：已校验 3 条记录"));

    // A database administrator removes the guard trigger first, then deletes a row.
    let unguard = match state.db.backend {
        app::server::db::Backend::Sqlite => "DROP TRIGGER audit_events_no_delete",
        app::server::db::Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER USER",
    };
    sqlx::query(unguard).execute(&state.db.pool).await.unwrap();
    sqlx::query("DELETE FROM audit_events WHERE id = 2")
        .execute(&state.db.pool)
        .await
        .unwrap();
    let broken = run();
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stderr).contains("第 3 条审计记录与前一条不衔接"));
}

#[tokio::test]
async fn create_admin_makes_one_audited_admin_and_refuses_weak_or_duplicate() {
    let state = common::fresh_state().await;
    let create = |user: &str, role: &str, password: &str| {
        server()
            .args(["create-admin", "--role", role, "--username", user])
            .env("APP_SECRET", "integration-test-master-secret-0123456789")
            .env("DATABASE_URL", &state.db.url)
            .env("ADMIN_PASSWORD", password)
            .output()
            .expect("run server")
    };
    let weak = create("sysadmin", "system", "12345678");
    assert!(!weak.status.success());
    let err = String::from_utf8_lossy(&weak.stderr);
    assert!(
        err.contains("至少3类") && err.contains("常见的弱密码"),
        "{err}"
    );

    let ok = create("sysadmin", "system", "Xiangxi#Credit2026");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("已创建系统管理员账号“sysadmin”"));

    let dup = create("sysadmin", "audit", "Another#Pass2026");
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("已被使用"));
    let bad_role = create("sec", "root", "Another#Pass2026");
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("--role “root”无效"));

    let row: (String, String) = sqlx::query_as(
        "SELECT u.password_hash, r.role_code FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.username = 'sysadmin'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    assert!(row.0.starts_with("$argon2id$"), "stored as argon2id");
    assert_eq!(row.1, "system_admin");
    let v = app::server::audit::verify(&state.db.pool, &state.secrets)
        .await
        .unwrap();
    assert_eq!(
        (v.rows, v.first_break),
        (1, None),
        "one audited action, chain intact"
    );
}
