//! Flags are stored as `BIGINT` 0/1 on both databases (SQLite has no boolean), and `Any` does not
//! decode an integer as `bool`: row structs read them with `#[sqlx(try_from = "Flag")]`.

/// A stored 0/1 flag; any non-zero value is true.
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct Flag(i64);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0 != 0
    }
}
