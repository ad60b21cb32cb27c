//! Set a stream's or queue's setting back to the value recorded before the change.
//!
//! Kafka topic settings are changed and read with `kafka-configs.sh --bootstrap-server ...
//! --entity-type topics --entity-name <TOPIC> --alter --add-config <KEY>=<VALUE>` and `--describe`
//! (https://kafka.apache.org/documentation/#topicconfigs); partitions are shown by
//! `kafka-topics.sh --describe --topic` and cannot be decreased
//! (https://kafka.apache.org/documentation/#basic_ops_modify_topic). SQS attributes are set with
//! `aws sqs set-queue-attributes --queue-url <URL> --attributes <KEY>=<VALUE>`
//! (https://docs.aws.amazon.com/cli/latest/reference/sqs/set-queue-attributes.html).

use super::prelude::*;
use crate::model::kinds::{StreamOperation as Op, StreamSystem};

pub(super) fn run(ctx: &mut Ctx, b: &mut Build, i: usize) {
    let c = b.spec.deployment.changes[i].clone();
    let label = c.label(i);
    let q = c.as_stream_queue().cloned().unwrap_or_default();
    let slug = crate::plan::placeholders::slug(&label);
    let field = |f: &str| format!("deployment.changes[{i}].{f}");
    let target = ctx.ph.val_or(
        q.target.as_deref(),
        &format!("{slug}_TOPIC_OR_QUEUE"),
        "the topic, stream or queue changed",
        &field("target"),
    );
    let shown = q
        .target
        .clone()
        .unwrap_or_else(|| "the topic or queue".to_string());
    let mut notes = Vec::new();
    let (title, commands, verify) = match (q.system, q.operation) {
        (_, Some(Op::Partitions)) => {
            notes.push("Partitions cannot be decreased: the added partitions stay. Producers keep writing to every partition, and keys now map to other partitions than before the change, so per-key order across the change is not kept.".to_string());
            notes.push("If consumers depend on the old partition count, the way back is a new topic with the old count, producers and consumers moved to it, and the data replayed from the source: plan it as a migration, not in this rollback.".to_string());
            let describe = match q.system {
                Some(StreamSystem::Kafka) | None => Cmd::new("kafka-topics.sh")
                    .opt("--bootstrap-server", bootstrap(ctx, &q.cluster, i))
                    .lit("--describe")
                    .opt("--topic", target),
                _ => Cmd::default().word(ctx.ph.hole(
                    &format!("{slug}_DESCRIBE_COMMAND"),
                    "the command that shows the partitions or shards of the stream",
                    &field("system"),
                )),
            };
            (
                format!("Keep the added partitions of {shown}; check producers and consumers on them"),
                Vec::new(),
                vec![describe],
            )
        }
        (_, Some(Op::Delete)) => {
            notes.push("A deleted topic or purged queue does not come back: recreate it with its recorded settings and replay what is needed from the mirror, sink or producers.".to_string());
            let replay = ctx.ph.hole(
                &format!("{slug}_REPLAY_COMMAND"),
                "how the messages are replayed into the recreated topic or queue (from the mirror topic, the object-storage sink or the producers)",
                &field("backup"),
            );
            (
                format!("Recreate {shown} and replay its messages"),
                vec![Cmd::default().word(replay)],
                Vec::new(),
            )
        }
        (Some(StreamSystem::Sqs), op) => {
            let key = q.setting.clone().or_else(|| {
                (op == Some(Op::Retention)).then(|| "MessageRetentionPeriod".to_string())
            });
            let key = ctx.ph.val_or(
                key.as_deref(),
                &format!("{slug}_SETTING"),
                "the queue attribute changed",
                &field("setting"),
            );
            let prev = previous(ctx, &q.from, &slug, i);
            let url = ctx.ph.val_or(
                q.target.as_deref().filter(|t| t.starts_with("https://")),
                &format!("{slug}_QUEUE_URL"),
                "the queue URL (`aws sqs get-queue-url --queue-name <NAME>`)",
                &field("target"),
            );
            (
                format!("Set the attribute of queue {shown} back to its previous value"),
                vec![
                    Cmd::new("aws sqs set-queue-attributes")
                        .opt("--queue-url", url.clone())
                        .opt("--attributes", key.then_lit("=").then(prev)),
                ],
                vec![
                    Cmd::new("aws sqs get-queue-attributes")
                        .opt("--queue-url", url)
                        .lit("--attribute-names All"),
                ],
            )
        }
        (Some(StreamSystem::Kafka) | None, op) => {
            let key = q
                .setting
                .clone()
                .or_else(|| (op == Some(Op::Retention)).then(|| "retention.ms".to_string()));
            let key = ctx.ph.val_or(
                key.as_deref(),
                &format!("{slug}_SETTING"),
                "the topic setting changed (`retention.ms`, `cleanup.policy`)",
                &field("setting"),
            );
            let prev = previous(ctx, &q.from, &slug, i);
            let servers = bootstrap(ctx, &q.cluster, i);
            let base = Cmd::new("kafka-configs.sh")
                .opt("--bootstrap-server", servers)
                .lit("--entity-type topics")
                .opt("--entity-name", target);
            (
                format!("Set the setting of topic {shown} back to its previous value"),
                vec![
                    base.clone()
                        .lit("--alter")
                        .opt("--add-config", key.then_lit("=").then(prev)),
                ],
                vec![base.lit("--describe")],
            )
        }
        (_, _) => (
            format!("Set the setting of {shown} back to its previous value"),
            vec![Cmd::default().word(ctx.ph.hole(
                &format!("{slug}_SETTING_BACK_COMMAND"),
                "the command that sets the stream's or queue's setting back to the value recorded before the change",
                &field("system"),
            ))],
            Vec::new(),
        ),
    };
    if q.operation == Some(Op::Retention) {
        notes.push("Segments or messages the brokers deleted while the shorter retention was in force do not come back with the previous value: only from a mirror or sink, or the producers.".to_string());
    }
    let success = if q.operation == Some(Op::Partitions) {
        "producers and consumers run on every partition; consumer lag is back at its level before the change"
    } else {
        "the describe shows the previous value; consumer lag and producer errors are back at their level before the change"
    };
    b.actions.push(Action {
        title: format!("{title} (`{label}`)"),
        component: label,
        commands,
        verify,
        success: success.to_string(),
        minutes: 2,
        destructive: false,
        notes,
    });
}

/// The value before the change, or a placeholder recorded by the Go / No-Go describe.
fn previous(
    ctx: &mut Ctx,
    from: &Option<String>,
    slug: &str,
    i: usize,
) -> crate::base::shell::Word {
    match from.as_deref() {
        Some(v) if !v.trim().is_empty() => crate::base::shell::Word::val(v),
        _ => ctx.ph.hole(
            &format!("{slug}_PREVIOUS_VALUE"),
            &format!("the value before the change (`deployment.changes[{i}].from`), read with the describe command before the change"),
            "read with the describe command before the change and written into the ticket",
        ),
    }
}

/// The cluster's bootstrap servers when given as `host:port`, else a placeholder that names the
/// cluster.
fn bootstrap(ctx: &mut Ctx, cluster: &Option<String>, i: usize) -> crate::base::shell::Word {
    match cluster.as_deref() {
        Some(c) if c.contains(':') => crate::base::shell::Word::val(c),
        Some(c) => ctx.ph.hole(
            "KAFKA_BOOTSTRAP_SERVERS",
            &format!("the bootstrap servers (`host:port,...`) of cluster `{c}` (MSK: `aws kafka get-bootstrap-brokers --cluster-arn <ARN>`)"),
            &format!("deployment.changes[{i}].cluster"),
        ),
        None => ctx.ph.hole(
            "KAFKA_BOOTSTRAP_SERVERS",
            "the bootstrap servers (`host:port,...`) of the cluster",
            &format!("deployment.changes[{i}].cluster"),
        ),
    }
}
