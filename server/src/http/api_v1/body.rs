//! The data API's request body, `{"records": [{field: value, …}, …]}`, parsed in one pass into the
//! columns and rows the pipeline checks. The limits are checked while parsing, so a hostile body stops
//! at the first record or field over the limit; field names are looked up in a hash map (one step per
//! key, however many keys a body has). Pure and synchronous: the handler runs it on a blocking thread.
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;

/// Records per request; larger sets go as several batches or as a file.
pub const MAX_RECORDS: usize = 5_000;
/// Distinct field names in one request (the catalogue's largest class has far fewer).
pub const MAX_FIELDS: usize = 200;

/// The body as a table: every field name in first-seen order, one row of cells per record.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON, or not the batch shape; the parser's message.
    BadJson(String),
    TooManyRecords,
    TooManyFields,
}

/// Parses a batch body, stopping at the first limit exceeded.
pub fn parse(bytes: &[u8]) -> Result<Parsed, BodyError> {
    let mut table = Table::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let found = Body(&mut table)
        .deserialize(&mut de)
        .and_then(|found| de.end().map(|_| found));
    if let Some(hit) = table.hit.take() {
        return Err(hit);
    }
    match found {
        Ok(true) => {
            let width = table.columns.len();
            for row in &mut table.rows {
                row.resize(width, String::new());
            }
            Ok(Parsed {
                columns: table.columns,
                rows: table.rows,
            })
        }
        Ok(false) => Err(BodyError::BadJson("missing field `records`".into())),
        Err(e) => Err(BodyError::BadJson(e.to_string())),
    }
}

#[derive(Default)]
struct Table {
    columns: Vec<String>,
    index: HashMap<String, usize>,
    rows: Vec<Vec<String>>,
    /// The limit that stopped the parse (the serde error only carries text).
    hit: Option<BodyError>,
}

impl Table {
    fn stop<E: de::Error>(&mut self, hit: BodyError) -> E {
        self.hit = Some(hit);
        E::custom("limit exceeded")
    }
}

/// The top-level object: `records`, other keys ignored. Answers whether `records` was there.
struct Body<'a>(&'a mut Table);

impl<'de> DeserializeSeed<'de> for Body<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Body<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object {\"records\": [...]}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "records" {
                if found {
                    return Err(de::Error::duplicate_field("records"));
                }
                map.next_value_seed(Records(&mut *self.0))?;
                found = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

struct Records<'a>(&'a mut Table);

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Record(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

struct Record<'a>(&'a mut Table);

impl<'de> DeserializeSeed<'de> for Record<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Record<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record object {field: value, …}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let t = self.0;
        if t.rows.len() >= MAX_RECORDS {
            return Err(t.stop(BodyError::TooManyRecords));
        }
        let mut row: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let known = t.index.get(&key).copied();
            let at = match known {
                Some(i) => i,
                None if t.columns.len() >= MAX_FIELDS => {
                    return Err(t.stop(BodyError::TooManyFields))
                }
                None => {
                    let i = t.columns.len();
                    t.index.insert(key.clone(), i);
                    t.columns.push(key);
                    i
                }
            };
            let value: serde_json::Value = map.next_value()?;
            if row.len() <= at {
                row.resize(at + 1, String::new());
            }
            if let Some(cell) = row.get_mut(at) {
                *cell = cell_text(&value);
            }
        }
        t.rows.push(row);
        Ok(())
    }
}

/// Text of a JSON value as a cell: strings as they are, numbers and booleans printed, null empty.
fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_rows_in_first_seen_column_order() {
        let p = parse(
            br#"{"note": {"ignored": [1, 2]}, "records": [{"B": "x", "A": 1}, {"C": null, "A": true, "B": 0.5}]}"#,
        )
        .unwrap();
        assert_eq!(p.columns, ["B", "A", "C"]);
        assert_eq!(
            p.rows,
            vec![
                vec!["x".to_string(), "1".into(), "".into()],
                vec!["0.5".to_string(), "true".into(), "".into()],
            ]
        );
        assert_eq!(parse(br#"{"records": []}"#).unwrap(), Parsed::default());
    }

    #[test]
    fn shapes_other_than_a_batch_are_bad_json() {
        for body in [
            &br#"{"rows": 1}"#[..],
            br#"[1, 2]"#,
            br#"{"records": [1]}"#,
            br#"{"records": {}}"#,
            br#"{"records": [], "records": []}"#,
            br#"{"records": []} trailing"#,
            br#"{"records": [{"A": 1}"#,
            b"",
        ] {
            assert!(
                matches!(parse(body), Err(BodyError::BadJson(_))),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn the_field_limit_stops_the_parse_at_the_first_field_over_it() {
        let mut body = String::from(r#"{"records": [{"#);
        for i in 0..MAX_FIELDS {
            body.push_str(&format!(r#""f{i}": 1, "#));
        }
        let exact = format!("{}}}]}}", body.trim_end_matches(", "));
        assert_eq!(parse(exact.as_bytes()).unwrap().columns.len(), MAX_FIELDS);
        // One more, then garbage the parser never reaches.
        body.push_str(r#""one-too-many": 1, !!! not json"#);
        assert_eq!(parse(body.as_bytes()), Err(BodyError::TooManyFields));
        // Repeated names count once, across records too.
        let same = format!(
            r#"{{"records": [{}]}}"#,
            vec![r#"{"A": 1, "A": 2}"#; 300].join(", ")
        );
        let p = parse(same.as_bytes()).unwrap();
        assert_eq!((p.columns.len(), p.rows.len()), (1, 300));
        assert_eq!(p.rows[0], ["2"]);
    }

    #[test]
    fn the_record_limit_stops_the_parse_at_the_first_record_over_it() {
        let ok = format!(r#"{{"records": [{}]}}"#, vec!["{}"; MAX_RECORDS].join(","));
        assert_eq!(parse(ok.as_bytes()).unwrap().rows.len(), MAX_RECORDS);
        let over = format!(
            r#"{{"records": [{}, {{}}, !!! not json"#,
            vec!["{}"; MAX_RECORDS].join(",")
        );
        assert_eq!(parse(over.as_bytes()), Err(BodyError::TooManyRecords));
    }

    #[test]
    fn many_distinct_keys_parse_in_linear_time() {
        // 2 MB of distinct names: refused at the 201st, long before the end.
        let mut body = String::from(r#"{"records": [{"#);
        let mut i = 0;
        while body.len() < 2 * 1024 * 1024 {
            body.push_str(&format!(r#""k{i}": 0, "#));
            i += 1;
        }
        body.push_str(r#""end": 0}]}"#);
        let started = std::time::Instant::now();
        assert_eq!(parse(body.as_bytes()), Err(BodyError::TooManyFields));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
