//! A query text with its string parameters numbered as they are added (`$1`, `$2`, …), for queries
//! whose conditions depend on the request.
#[derive(Debug, Default)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<String>,
}

impl Sql {
    /// Adds a parameter and returns its placeholder.
    pub fn bind(&mut self, value: &str) -> String {
        self.binds.push(value.to_string());
        format!("${}", self.binds.len())
    }

    /// Its rows through the fast read path (`server::db::read_pool`), each row's columns in select order.
    pub async fn rows(
        &self,
        db: &crate::server::db::Db,
    ) -> Result<Vec<Vec<crate::server::db::ReadValue>>, crate::error::AppError> {
        db.readers.fetch(&db.pool, &self.text, &self.binds).await
    }

    pub fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for b in &self.binds {
            q = q.bind(b.as_str());
        }
        q
    }
}
