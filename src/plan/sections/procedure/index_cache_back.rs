//! Move an alias back to the previous index, or set a cache setting back.
//!
//! The alias moves in one atomic `POST _aliases` call with a `remove` and an `add` action
//! (https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-aliases.html; the
//! same API in OpenSearch: https://opensearch.org/docs/latest/api-reference/index-apis/alias/),
//! and `GET _alias/<alias>` shows where it points. A Redis setting comes back with `CONFIG SET`
//! and is read with `CONFIG GET` (https://redis.io/docs/latest/commands/config-set/,
//! https://redis.io/docs/latest/commands/config-get/). A flush has no way back: the cache refills
//! from the origin.

use super::prelude::*;
use crate::base::shell::Word;
use crate::model::kinds::{IndexCache, IndexCacheOperation as Op};

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let x = c.as_index_cache().cloned().unwrap_or_default();
    let cache = x.system.is_some_and(|s| s.is_cache())
        || matches!(x.operation, Some(Op::Flush | Op::CacheSetting));
    let action = if cache {
        cache_back(ctx, &x, &label, i)
    } else {
        alias_back(ctx, &x, &label, i)
    };
    b.actions.push(action);
}

/// An index name that can stand inside the JSON body as it is (Elasticsearch index names are
/// lowercase and hold no quotes, spaces or shell syntax).
fn plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '+')
        })
}

/// A name inside the single-quoted JSON body: as it is when plain, else the body is closed
/// around a placeholder the shell refuses to run.
fn in_body(ctx: &mut Ctx, value: Option<&str>, name: &str, what: &str, field: &str) -> Word {
    match value {
        Some(v) if plain_name(v) => Word::lit(v),
        _ => Word::lit("'")
            .then(ctx.ph.hole(name, what, field))
            .then_lit("'"),
    }
}

fn alias_back(ctx: &mut Ctx, x: &IndexCache, label: &str, i: usize) -> Action {
    let field = |f: &str| format!("deployment.changes[{i}].{f}");
    let url = ctx.ph.val_or(
        x.endpoint.as_deref(),
        "SEARCH_URL",
        "the Elasticsearch or OpenSearch endpoint (`https://host:9243`)",
        &field("endpoint"),
    );
    let alias = in_body(
        ctx,
        x.alias.as_deref(),
        "SEARCH_ALIAS",
        "the alias readers query",
        &field("alias"),
    );
    let new = in_body(
        ctx,
        x.index.as_deref(),
        "NEW_INDEX",
        "the index the alias points at after the change",
        &field("index"),
    );
    let old = in_body(
        ctx,
        x.previous_index.as_deref(),
        "PREVIOUS_INDEX",
        "the index the alias pointed at before the change (`GET _alias/<alias>` before the change)",
        &field("previous_index"),
    );
    let body = Word::lit("'{\"actions\":[{\"remove\":{\"index\":\"")
        .then(new)
        .then_lit("\",\"alias\":\"")
        .then(alias.clone())
        .then_lit("\"}},{\"add\":{\"index\":\"")
        .then(old)
        .then_lit("\",\"alias\":\"")
        .then(alias.clone())
        .then_lit("\"}}]}'");
    let auth = "-H \"Authorization: ApiKey $SEARCH_API_KEY\"";
    let post = Cmd::new("curl -fsS -X POST")
        .word(url.clone().then_lit("/_aliases"))
        .lit(auth)
        .lit("-H 'Content-Type: application/json'")
        .opt("-d", body);
    let alias_path = match x.alias.as_deref() {
        Some(a) if plain_name(a) => Word::lit(format!("/_alias/{a}")),
        _ => Word::lit("/_alias/").then(ctx.ph.hole(
            "SEARCH_ALIAS",
            "the alias readers query",
            &field("alias"),
        )),
    };
    let get = Cmd::new("curl -fsS").word(url.then(alias_path)).lit(auth);
    let shown = x
        .previous_index
        .clone()
        .unwrap_or_else(|| "the previous index".to_string());
    let mut notes = vec![
        "Both actions run in one call, so readers never see the alias missing. The new index is left in place for the review; writes that went only to it since the swap are replayed into the previous index by the indexer.".to_string(),
    ];
    if x.previous_kept != Some(true) {
        notes.push(format!(
            "Only while {shown} still exists: if it was deleted, the way back is a reindex from the source of truth, which takes as long as the first build."
        ));
    }
    Action {
        title: format!("Move the alias back to {shown} (`{label}`)"),
        component: label.to_string(),
        commands: vec![post],
        verify: vec![get],
        success: "the alias points at the previous index only; zero-result rate, document count and query latency are back at their level before the change".to_string(),
        minutes: 1,
        destructive: false,
        notes,
    }
}

fn cache_back(ctx: &mut Ctx, x: &IndexCache, label: &str, i: usize) -> Action {
    let field = |f: &str| format!("deployment.changes[{i}].{f}");
    if x.operation == Some(Op::Flush) {
        let limit = ctx.ph.hole(
            "ORIGIN_LOAD_SHED_COMMAND",
            "how load on the origin is limited while the cache refills (rate limit, request coalescing, shedding non-critical reads)",
            "by hand: the service's own limits",
        );
        return Action {
            title: format!("Protect the origin while the cache refills (`{label}`)"),
            component: label.to_string(),
            commands: vec![Cmd::default().word(limit)],
            verify: Vec::new(),
            success: "hit ratio climbs back to its level before the flush, and the origin stays within its headroom".to_string(),
            minutes: 5,
            destructive: false,
            notes: vec!["A flush cannot be undone: the keys come back only as readers miss and the origin answers. Nothing is lost that the origin does not hold, but every miss lands on the origin at once (a thundering herd).".to_string()],
        };
    }
    let host = ctx.ph.val_or(
        x.endpoint.as_deref(),
        "CACHE_HOST",
        "the cache host (Redis primary endpoint)",
        &field("endpoint"),
    );
    let setting = ctx.ph.val_or(
        x.setting.as_deref(),
        "CACHE_SETTING",
        "the cache setting changed (`maxmemory-policy`, `maxmemory`)",
        &field("setting"),
    );
    let prev = match x.from.as_deref() {
        Some(v) if !v.trim().is_empty() => Word::val(v),
        _ => ctx.ph.hole(
            "CACHE_PREVIOUS_VALUE",
            "the value before the change, read with `CONFIG GET` before the change",
            "read with `CONFIG GET` before the change and written into the ticket",
        ),
    };
    let base = Cmd::new("redis-cli").opt("-h", host);
    Action {
        title: format!("Set the cache setting back to its previous value (`{label}`)"),
        component: label.to_string(),
        commands: vec![base.clone().lit("CONFIG SET").word(setting.clone()).word(prev)],
        verify: vec![base.lit("CONFIG GET").word(setting)],
        success: "`CONFIG GET` shows the previous value; hit ratio, evictions and origin load are back at their level before the change".to_string(),
        minutes: 2,
        destructive: false,
        notes: vec![
            "`CONFIG SET` changes the running server only: write the same value where the configuration is kept (redis.conf, `CONFIG REWRITE`, the managed service's parameter group), or a restart brings the new value back.".to_string(),
            "Keys already evicted or expired under the new setting stay gone; they refill from the origin.".to_string(),
        ],
    }
}
