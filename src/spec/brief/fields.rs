//! The loop every kind's field reader shares: the brief's first change of the kind, each sentence
//! of the brief read into it (the architecture and risks usually say what the change's own
//! sentence does not), and what was read written as notes citing the words.

use super::infer::Ctx;
use super::lite::Match;
use super::text::Doc;
use crate::model::{Change, ChangeKind};

/// What a reader took from one sentence: (offset in the sentence, the words, what they say).
pub(super) type Notes = Vec<(usize, String, String)>;

/// Runs `read` on every sentence of the brief with its first change of `kind`, as `view` sees it
/// (e.g. `Change::as_fleet_push_mut`), and notes what it read. Nothing when no such change.
pub(super) fn each_sentence<T: ?Sized>(
    cx: &mut Ctx,
    doc: &Doc,
    kind: ChangeKind,
    view: impl Fn(&mut Change) -> Option<&mut T>,
    mut read: impl FnMut(&mut T, &str, &mut Notes),
) {
    let Some(i) = cx
        .spec
        .deployment
        .changes
        .iter()
        .position(|c| c.kind() == kind)
    else {
        return;
    };
    let text = cx.text;
    for sent in &doc.sentences {
        let Some(s) = text.get(sent.start..sent.end) else {
            continue;
        };
        let Some(change) = cx.spec.deployment.changes.get_mut(i).and_then(&view) else {
            return;
        };
        let mut notes = Notes::new();
        read(change, s, &mut notes);
        for (at, words, says) in notes {
            cx.note(sent.start + at, &words, says);
        }
    }
}

/// Notes that the words `m` found say `says`.
pub(super) fn quote(notes: &mut Notes, m: &Match<'_>, says: impl Into<String>) {
    notes.push((m.start(), m.as_str().to_string(), says.into()));
}
