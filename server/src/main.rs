//! `server`: the platform's one binary. Subcommands: serve (default), migrate, seed-demo.
use app::error::AppError;
use app::rules::date::Ymd;
use app::server::config::Config;
use clap::{Parser, Subcommand};
use server::{bootstrap, http, jobs, seed, telemetry};
use std::net::SocketAddr;
use std::process::ExitCode;

/// mimalloc instead of glibc malloc: the pipeline allocates many short strings per row, and glibc's
/// free-list consolidation took a quarter of an import's time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", about = "湘西州公共信用信息平台")]
struct Cli {
    /// Production mode: requires APP_SECRET, refuses demo data and test hooks (same as APP_ENV=production).
    #[arg(long, global = true)]
    production: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the platform (default).
    Serve {
        /// Address to listen on; defaults to LEPTOS_SITE_ADDR or 127.0.0.1:3000.
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// Do not load demo data into an empty database on first start.
        #[arg(long)]
        no_demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create the first system, security or audit administrator. The password comes from
    /// ADMIN_PASSWORD or, when that is unset, from the first line of standard input.
    CreateAdmin {
        /// system | security | audit
        #[arg(long)]
        role: String,
        #[arg(long)]
        username: String,
        /// Display name; defaults to the role's Chinese name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Recover an administrator account (三员分立: the console cannot): set a new password, which
    /// must be changed at the next login, clear TOTP and any lock, end its logins. Audited. The
    /// password comes from ADMIN_PASSWORD or, when that is unset, from the first line of standard input.
    ResetAdmin {
        #[arg(long)]
        username: String,
    },
    /// Make an API key for a unit's system and print it (once). Audited; revoke it in the console.
    ApiKey {
        /// The unit's code (departments.code), e.g. scjg.
        #[arg(long)]
        department: String,
        #[arg(long)]
        name: String,
        /// Scopes, comma-separated: class codes to submit (penalty,licence), `read:<class>` to read a
        /// class through the partner API, `check`, `report`.
        #[arg(long)]
        scopes: String,
        /// The key's own requests per minute (else APP_API_RATE_PER_MIN).
        #[arg(long)]
        rate: Option<i64>,
    },
    /// Load a CSV or XLSX file for a unit through the collection pipeline (check, then optionally
    /// confirm), in this process. For large back-fills and the import benchmark; audited.
    Import {
        /// The unit's code (departments.code), e.g. scjg.
        #[arg(long)]
        department: String,
        /// Data class code, e.g. penalty.
        #[arg(long)]
        class: String,
        /// Publish the clean rows after the check (otherwise the batch waits for confirmation).
        #[arg(long)]
        confirm: bool,
        file: std::path::PathBuf,
    },
    /// Import a subject register (CSV or XLSX with 统一社会信用代码 and 名称, optionally 法定代表人, 住所,
    /// 成立日期 …) into the 法人库: new subjects are added, renamed ones keep their former name. Audited.
    ImportSubjects { file: std::path::PathBuf },
    /// Write a realistic penalty CSV of N rows (Chinese headers, a few planted faults) to a file.
    GenPenaltyCsv {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        out: std::path::PathBuf,
    },
    /// Write the hostile workbooks (far-apart cells, false sizes, huge shared strings …) to DIR, to
    /// measure the server's memory while it refuses them (`server import` or the console upload).
    GenHostileXlsx { dir: std::path::PathBuf },
    /// Verify the audit chain: report the first edited, deleted or reordered row. Exit 1 when broken.
    VerifyAudit,
    /// Benchmark: add a subject with RECORDS records on display to this database (use a copy), then
    /// issue its public credit report RUNS times and print the timings.
    BenchReport {
        #[arg(long, default_value_t = 200)]
        records: u64,
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
    /// Benchmark (联合奖惩): top the lists up to ENTRIES entries, make a check key for the demo matter's
    /// unit (printed) and write CODES codes to check to OUT; then time a batch check of BATCH subjects.
    BenchJoint {
        #[arg(long, default_value_t = 50_000)]
        entries: i64,
        #[arg(long, default_value_t = 2_000)]
        codes: usize,
        #[arg(long, default_value_t = 10_000)]
        batch: usize,
        out: std::path::PathBuf,
    },
    /// Push the pending messages to the province now, whatever the schedule (APP_PROVINCE_URL must
    /// be set), and print what each record kind came to.
    ProvincePush {
        /// Only this record kind (penalty, licence or a class code).
        #[arg(long)]
        kind: Option<String>,
    },
    /// Benchmark: a stand-in for the province's push interface on ADDR (signature checked with
    /// APP_PROVINCE_SECRET); with --dump DIR it also writes each request for a curl replay.
    ProvinceSink {
        #[arg(long)]
        addr: SocketAddr,
        #[arg(long)]
        dump: Option<std::path::PathBuf>,
    },
    /// Generate the deterministic demo data set into an empty database.
    SeedDemo {
        #[arg(long, default_value_t = 2_000)]
        subjects: u64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Date the records are relative to (YYYY-MM-DD); defaults to today.
        #[arg(long)]
        as_of: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env(cli.production) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    telemetry::init(config.log_json);
    let result = match cli.command.unwrap_or(Command::Serve {
        addr: None,
        no_demo: false,
    }) {
        Command::Serve { addr, no_demo } => serve(config, addr, no_demo).await,
        Command::Migrate => migrate(config).await,
        Command::VerifyAudit => verify_audit(config).await,
        Command::CreateAdmin {
            role,
            username,
            name,
        } => create_admin(config, &role, &username, name).await,
        Command::ResetAdmin { username } => reset_admin(config, &username).await,
        Command::SeedDemo {
            subjects,
            seed,
            as_of,
        } => seed_demo(config, subjects, seed, as_of).await,
        Command::ApiKey {
            department,
            name,
            scopes,
            rate,
        } => api_key(config, &department, &name, &scopes, rate).await,
        Command::Import {
            department,
            class,
            confirm,
            file,
        } => import(config, &department, &class, confirm, &file).await,
        Command::GenPenaltyCsv { rows, seed, out } => gen_penalty_csv(config, rows, seed, &out),
        Command::GenHostileXlsx { dir } => gen_hostile_xlsx(&dir),
        Command::BenchReport { records, runs } => bench_report(config, records, runs).await,
        Command::BenchJoint {
            entries,
            codes,
            batch,
            out,
        } => bench_joint(config, entries, codes, batch, &out).await,
        Command::ImportSubjects { file } => import_subjects(config, &file).await,
        Command::ProvincePush { kind } => province_push(config, kind.as_deref()).await,
        Command::ProvinceSink { addr, dump } => {
            let secret = config.province.secret.clone().unwrap_or_default();
            server::province_sink::serve(addr, &secret, dump)
                .await
                .map_err(|e| AppError::internal("province sink", e))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(e: &AppError) -> ExitCode {
    eprintln!("错误：{e}");
    ExitCode::FAILURE
}

async fn migrate(config: Config) -> Result<(), AppError> {
    let state = bootstrap::state_from_config(config).await?;
    seed::seed_reference(&state).await?;
    println!("数据库迁移完成：{}", redact(&state.db.url));
    Ok(())
}

async fn create_admin(
    config: Config,
    role: &str,
    username: &str,
    name: Option<String>,
) -> Result<(), AppError> {
    use app::auth::model::AdminRole;
    let role = AdminRole::parse(role).ok_or_else(|| {
        AppError::field(
            "role",
            "ROLE",
            format!("--role “{role}”无效：应为 system、security 或 audit。"),
        )
    })?;
    let password = admin_password(&format!(
        "请输入{}“{username}”的密码（一行）：",
        role.label()
    ))?;
    let state = bootstrap::state_from_config(config).await?;
    seed::seed_reference(&state).await?;
    let display = name.unwrap_or_else(|| role.label().to_string());
    app::auth::service::create_admin(&state, role, username, &display, &password).await?;
    println!("已创建{}账号“{username}”。", role.label());
    Ok(())
}

/// An administrator's password: ADMIN_PASSWORD, or else the first line of standard input.
fn admin_password(prompt: &str) -> Result<String, AppError> {
    if let Ok(p) = std::env::var("ADMIN_PASSWORD") {
        return Ok(p);
    }
    eprintln!("{prompt}");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| AppError::internal("stdin", e))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn reset_admin(config: Config, username: &str) -> Result<(), AppError> {
    let password = admin_password(&format!("请输入账户“{username}”的新密码（一行）："))?;
    let state = bootstrap::state_from_config(config).await?;
    let role = app::auth::service::recover_admin(&state, username, &password).await?;
    println!(
        "已重置{role}账号“{username}”的密码：其全部登录已结束，动态验证码已解除绑定，下次登录须修改密码。此操作已记入审计日志。"
    );
    Ok(())
}

async fn api_key(
    config: Config,
    department: &str,
    name: &str,
    scopes: &str,
    rate: Option<i64>,
) -> Result<(), AppError> {
    let state = bootstrap::state_from_config(config).await?;
    seed::seed_reference(&state).await?;
    let id = department_id(&state, department).await?;
    let scopes: Vec<String> = scopes
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let cli = app::server::audit::Actor::named("cli");
    let (_, key) =
        app::collect::service::api_keys::create(&state, &cli, id, name, &scopes, rate).await?;
    println!("{key}");
    Ok(())
}

async fn department_id(state: &app::server::AppState, code: &str) -> Result<i64, AppError> {
    use sqlx::Row;
    Ok(
        sqlx::query("SELECT id FROM departments WHERE code = $1 AND active = 1")
            .bind(code)
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(|| {
                AppError::field(
                    "department",
                    "UNKNOWN",
                    format!("单位代码“{code}”不存在或已停用。"),
                )
            })?
            .try_get("id")?,
    )
}

async fn import(
    config: Config,
    department: &str,
    class: &str,
    confirm: bool,
    file: &std::path::Path,
) -> Result<(), AppError> {
    use app::collect::service::{confirm as publish, intake, pipeline};
    use std::time::Instant;
    let state = bootstrap::state_from_config(config).await?;
    seed::seed_reference(&state).await?;
    let sub = intake::Submission {
        class_code: class,
        department_id: department_id(&state, department).await?,
        user_id: None,
        channel: "file",
    };
    let started = Instant::now();
    let (id, public_id) = intake::create_path_batch(&state, &sub, file).await?;
    let stored = started.elapsed().as_secs_f64();
    let (outcome, times) = pipeline::check_file_timed(&state, id).await?;
    let checked = started.elapsed().as_secs_f64();
    let counts = pipeline::counts(&state, id).await?;
    println!("检查用时分布：{}", times.summary());
    println!(
        "批次 {public_id}：{} 行，新增 {}，更新 {}，重复 {}，有误 {}（保存文件 {stored:.2} 秒，检查 {:.2} 秒，{:.0} 行/秒）",
        counts.rows, counts.new, counts.update, counts.duplicate, counts.faulty,
        checked - stored,
        counts.rows as f64 / (checked - stored).max(1e-9)
    );
    match outcome {
        pipeline::CheckOutcome::Checked => {}
        pipeline::CheckOutcome::NeedsMapping(h) => {
            return Err(AppError::field(
                "headers",
                "HDR_UNKNOWN",
                format!(
                    "无法识别的表头：{}。请在控制台的批次页面对应字段。",
                    h.join("、")
                ),
            ))
        }
        pipeline::CheckOutcome::Failed(m) => return Err(AppError::field("file", "FILE_FAILED", m)),
    }
    if confirm {
        let actor = app::server::audit::Actor::named("cli");
        let report = publish::confirm(&state, id, &actor).await?;
        let total = started.elapsed().as_secs_f64();
        println!(
            "已发布 {} 条，更新 {} 条（确认 {:.2} 秒，其中推送队列 {:.2} 秒；合计 {total:.2} 秒，{:.0} 行/秒）",
            report.published,
            report.updated,
            total - checked,
            report.outbox_ms as f64 / 1000.0,
            counts.rows as f64 / total.max(1e-9)
        );
    }
    Ok(())
}

async fn bench_report(config: Config, records: u64, runs: usize) -> Result<(), AppError> {
    if config.is_production() {
        return Err(AppError::Conflict(
            "生产模式不允许运行基准测试（它会写入测试数据）。".into(),
        ));
    }
    let state = bootstrap::state_from_config(config).await?;
    let t = seed::bench_report::run(&state, records, runs).await?;
    println!(
        "report for a subject with {} records, {} runs: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; PDF {} bytes",
        t.records, t.runs, t.p50_ms, t.p95_ms, t.max_ms, t.pdf_bytes
    );
    Ok(())
}

async fn bench_joint(
    config: Config,
    entries: i64,
    codes: usize,
    batch: usize,
    out: &std::path::Path,
) -> Result<(), AppError> {
    if config.is_production() {
        return Err(AppError::Conflict(
            "生产模式不允许运行基准测试（它会写入测试数据）。".into(),
        ));
    }
    let state = bootstrap::state_from_config(config).await?;
    let p = seed::bench_joint::prepare(&state, entries, codes, out).await?;
    println!("list entries: {}; codes written: {}", p.entries, p.codes);
    println!("key: {}", p.key);
    if batch > 0 {
        let t = seed::bench_joint::batch(&state, batch).await?;
        println!(
            "batch check of {} subjects: staged in {:.2} s, checked in {:.2} s ({:.0} subjects/s), {} hits",
            t.rows,
            t.stage_secs,
            t.run_secs,
            t.rows as f64 / t.run_secs.max(f64::EPSILON),
            t.hits
        );
    }
    Ok(())
}

async fn import_subjects(config: Config, file: &std::path::Path) -> Result<(), AppError> {
    use app::collect::service::registry;
    let state = bootstrap::state_from_config(config).await?;
    seed::seed_reference(&state).await?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let cli = app::server::audit::Actor::named("cli");
    let report = registry::import_file(&state, &cli, file, &name).await?;
    println!(
        "法人库导入：{} 行，新增 {}，更名 {}，更新 {}，未变 {}，有误 {}",
        report.rows,
        report.added,
        report.renamed,
        report.updated,
        report.unchanged,
        report.faults.len()
    );
    for (row, reason) in report.faults.iter().take(50) {
        println!("  第 {row} 行：{reason}");
    }
    Ok(())
}

fn gen_penalty_csv(
    config: Config,
    rows: u64,
    seed: u64,
    out: &std::path::Path,
) -> Result<(), AppError> {
    let _ = config;
    let today = app::server::clock::Clock::system().today();
    let file = std::fs::File::create(out).map_err(|e| AppError::internal("create csv", e))?;
    seed::penalty_csv::write(std::io::BufWriter::new(file), rows, seed, today)?;
    println!("已写入 {rows} 行：{}", out.display());
    Ok(())
}

fn gen_hostile_xlsx(dir: &std::path::Path) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::internal("write hostile workbooks", e);
    std::fs::create_dir_all(dir).map_err(io)?;
    for sample in app::collect::service::hostile_xlsx::all() {
        let path = dir.join(sample.file);
        std::fs::write(&path, &sample.bytes).map_err(io)?;
        let expect = if sample.refusal.is_empty() {
            "应读完（不拒绝）".to_string()
        } else {
            format!("应拒绝：…{}…", sample.refusal)
        };
        println!(
            "{}（{} KB）：{}；{expect}",
            path.display(),
            sample.bytes.len() / 1024,
            sample.what
        );
    }
    Ok(())
}

async fn verify_audit(config: Config) -> Result<(), AppError> {
    let state = bootstrap::state_from_config(config).await?;
    let v = app::server::audit::verify(&state.db.pool, &state.secrets).await?;
    match v.first_break {
        None => {
            println!("审计链完整：已校验 {} 条记录。", v.rows);
            Ok(())
        }
        Some(b) => Err(AppError::Conflict(format!(
            "审计链校验失败（此前 {} 条完好）：{}",
            v.rows,
            b.message()
        ))),
    }
}

async fn province_push(config: Config, kind: Option<&str>) -> Result<(), AppError> {
    if config.province.url.is_none() {
        return Err(AppError::field(
            "APP_PROVINCE_URL",
            "PROVINCE_URL_MISSING",
            "未配置省平台地址：请设置 APP_PROVINCE_URL 和 APP_PROVINCE_SECRET。",
        ));
    }
    let state = bootstrap::state_from_config(config).await?;
    let started = std::time::Instant::now();
    let pushed = app::province::service::push::push_now(&state, kind).await?;
    if pushed.is_empty() {
        println!("没有待推送的消息。");
    }
    let mut failed = None;
    for p in &pushed {
        println!(
            "{}：已送达 {} 条，省平台已有 {} 条，被拒收挂起 {} 条{}",
            p.kind,
            p.sent,
            p.duplicates,
            p.parked,
            p.failed
                .as_deref()
                .map(|e| format!("；中断：{e}"))
                .unwrap_or_default()
        );
        failed = failed.or(p.failed.clone());
    }
    println!("用时 {:.3} 秒", started.elapsed().as_secs_f64());
    match failed {
        Some(e) => Err(AppError::Conflict(format!("推送未完成：{e}"))),
        None => Ok(()),
    }
}

fn parse_as_of(as_of: Option<String>, today: Ymd) -> Result<Ymd, AppError> {
    match as_of {
        None => Ok(today),
        Some(s) => Ymd::parse_iso(&s).ok_or_else(|| {
            AppError::field(
                "as-of",
                "BAD_DATE",
                format!("--as-of 的日期“{s}”无效，格式应为 YYYY-MM-DD。"),
            )
        }),
    }
}

async fn seed_demo(
    config: Config,
    subjects: u64,
    seed_value: u64,
    as_of: Option<String>,
) -> Result<(), AppError> {
    // Check the arguments before touching the database.
    let as_of = parse_as_of(as_of, app::server::clock::Clock::system().today())?;
    let state = bootstrap::state_from_config(config).await?;
    let opts = seed::SeedOptions {
        subjects,
        seed: seed_value,
        as_of,
    };
    let report = seed::seed_demo(&state, &opts, |done, total| {
        if done % 50_000 == 0 || done == total {
            eprintln!("  已生成 {done}/{total} 个信用主体");
        }
    })
    .await?;
    println!(
        "演示数据已载入：{} 个主体，{} 条行政许可，{} 条行政处罚，{} 篇文章，用时 {:.1} 秒。",
        report.subjects, report.licences, report.penalties, report.articles, report.seconds
    );
    Ok(())
}

async fn serve(config: Config, addr: Option<SocketAddr>, no_demo: bool) -> Result<(), AppError> {
    let demo_subjects: u64 = std::env::var("APP_DEMO_SUBJECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let poll = std::time::Duration::from_millis(config.job_poll_ms);
    let state = bootstrap::state_from_config(config).await?;
    seed::seed_reference(&state).await?;
    if !state.config.is_production()
        && !no_demo
        && demo_subjects > 0
        && seed::subject_count(&state).await? == 0
    {
        eprintln!("首次启动：正在载入演示数据（{demo_subjects} 个信用主体）…");
        let opts = seed::SeedOptions {
            subjects: demo_subjects,
            seed: 2026,
            as_of: state.clock.today(),
        };
        let r = seed::seed_demo(&state, &opts, |_, _| {}).await?;
        eprintln!(
            "演示数据已载入：{} 个主体，{} 条许可，{} 条处罚。",
            r.subjects, r.licences, r.penalties
        );
    }

    let options = http::leptos_options(addr);
    let listener = tokio::net::TcpListener::bind(options.site_addr)
        .await
        .map_err(|e| {
            AppError::Conflict(format!(
                "无法监听 {}：{e}（端口是否被占用？）",
                options.site_addr
            ))
        })?;
    let bound = listener
        .local_addr()
        .map_err(|e| AppError::internal("listener", e))?;
    let router = http::router(state.clone(), options).await?;

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let runner =
        jobs::with_crawler(jobs::runner(state.clone()), router.clone()).spawn(poll, stop_rx);

    println!("湘西州公共信用信息平台已启动：http://{bound}/");
    if !state.config.is_production() {
        println!("（演示模式：数据库 {}）", redact(&state.db.url));
        println!("工作人员登录：http://{bound}/login");
        print!("{}", seed::accounts::describe());
    }
    // Streamed bodies (files, pages rendered in chunks) are written in pieces; without TCP_NODELAY,
    // Nagle's algorithm and the client's delayed ACK hold each piece for up to 40 ms.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| AppError::internal("serve", e))?;
    let _ = stop_tx.send(true);
    let _ = runner.await;
    state.db.pool.close().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish in-flight requests, then exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received");
}

/// Hides a password in a database URL before printing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}
