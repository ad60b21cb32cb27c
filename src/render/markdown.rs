//! Markdown: the plan as it is pasted into a pull request or change ticket.

use crate::plan::model::Plan;

pub fn render(plan: &Plan) -> String {
    let _ = plan;
    todo!()
}
