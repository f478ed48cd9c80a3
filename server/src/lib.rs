//! The server: bootstrapping, the HTTP router and middleware, background jobs and CLI commands.
pub mod bootstrap;
pub mod crawl;
pub mod http;
pub mod jobs;
pub mod province_sink;
pub mod seed;
pub mod telemetry;
