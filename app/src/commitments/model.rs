//! Types of credit commitments that cross the wire.
use serde::{Deserialize, Serialize};

/// What the public form needs: the units that accept commitments (department code, name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentForm {
    pub units: Vec<(String, String)>,
}

/// The answer to an online submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    /// The collection batch's public id (the reference the subject quotes to the unit).
    pub reference: String,
    pub unit: String,
    /// Published at once (承诺即公示) rather than waiting for the unit's confirmation.
    pub published: bool,
}

/// The console's filters (all in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleFilter {
    /// A fragment of the subject's name or a USCC.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub fulfilment: String,
}

/// One commitment in the console list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentRow {
    pub public_id: String,
    pub subject_name: String,
    pub subject_uscc: String,
    pub kind: String,
    pub committed_on: String,
    pub accepting_unit: String,
    pub fulfilment: String,
    pub published: bool,
    pub version: i64,
    pub text: String,
    /// The contact an online submission left (masked), for the unit's verification call.
    pub contact_masked: String,
}
