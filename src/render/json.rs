//! JSON: the plan for machines, with a published schema.

use crate::plan::model::Plan;

pub fn render(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(plan).expect("plan serializes");
    s.push('\n');
    s
}
