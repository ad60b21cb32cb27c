//! `kind: fleet_push` — content, rules, config or certificates pushed to many hosts, edge nodes,
//! devices or endpoints.
//!
//! What a senior operator of a fleet asks, and where the answers come from:
//!
//! - *Can a bad push stop a host from receiving the fix?* CrowdStrike's channel file 291 was
//!   loaded by a kernel driver at boot: hosts crashed in a boot loop and could not fetch the
//!   corrected file, so each one was recovered by hand (safe mode or the recovery environment,
//!   delete the file, reboot; BitLocker recovery keys needed)
//!   (https://www.crowdstrike.com/falcon-content-update-remediation-and-guidance-hub/). Such a
//!   push is irreversible from the centre: [`FleetPush::breaks_receiver`].
//! - *How is it staged when the pipeline is built to go everywhere at once?* CrowdStrike's
//!   remediation is a staggered deployment of content starting with a canary ring; Cloudflare's
//!   2019 WAF rules went to every edge server in seconds through Quicksilver while its software
//!   went to a dogfood PoP first
//!   (https://blog.cloudflare.com/details-of-the-cloudflare-outage-on-july-2-2019/). Ansible caps
//!   each batch with `serial` and stops at the first failed batch with `max_fail_percentage`
//!   (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_strategies.html); Salt with
//!   `-b`/`--batch-size` (https://docs.saltproject.io/en/latest/topics/targeting/batch.html).
//! - *What shows a host is unhealthy?* Host crashes, agents that stop checking in, CPU pinned by
//!   the pushed rules (Cloudflare 2019), the process that loads the content panicking on it
//!   (Cloudflare's 2025 bot feature file, https://blog.cloudflare.com/18-november-2025-outage/).
//! - *How is it undone?* Stop the push, then push the previous known-good content (Cloudflare 2025
//!   stopped the propagation of the bad file and pushed a known-good one), or throw the kill
//!   switch that disables it everywhere (Cloudflare 2019's global WAF kill switch); hosts that
//!   cannot be reached are recovered out of band.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// Content, rules, config or certificates pushed to many hosts, edge nodes, devices or
    /// endpoints.
    pub struct FleetPush {
        /// What is pushed: a ruleset, a content or feature file, a certificate bundle, a config
        /// file, a firmware image.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub content: Option<String>,
        /// The version of the content pushed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub version: Option<String>,
        /// The known-good version or file pushed back on a rollback.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous: Option<String>,
        /// How many hosts, nodes, devices or endpoints receive it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub targets: Option<u64>,
        /// What pushes it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tool: Option<FleetTool>,
        /// The playbook, state or pipeline that pushes it (an Ansible playbook, a Salt state).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub playbook: Option<String>,
        /// The hosts as the tool targets them (an Ansible host pattern, a Salt target).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub hosts: Option<String>,
        /// The rings or batches, in order (`canary`, `1%`, `pop-ams`, `25%`). Empty: everywhere
        /// at once.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub stages: Vec<String>,
        /// The previous content stays on every host, and switching back needs no new download.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_kept: Option<bool>,
        /// How long switching every host back takes, in minutes, as the team measured or states
        /// it ("rolling back the build fleet-wide takes hours").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rollback_minutes: Option<u32>,
        /// A switch that disables the pushed content everywhere without a new push.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub kill_switch: Option<String>,
        /// A bad push can stop a host from receiving the fix: the content is loaded by a kernel
        /// driver, at boot, or by the agent that fetches updates (crash, boot loop, lost
        /// connectivity, a bricked device).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub breaks_receiver: Option<bool>,
        /// How hosts that cannot be reached are recovered (console, IPMI, safe mode, a
        /// technician visit).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub recovery: Option<String>,
    }
}

impl super::Validate for FleetPush {}

/// The nouns of a fleet: what a push reaches many of.
macro_rules! fleet_nouns {
    () => {
        r"(?:hosts?|servers?|nodes?|endpoints?|sensors?|agents?|devices?|prox(?:y|ies)|pops?|points?\s+of\s+presence|machines?|edges?|data\s*cent(?:er|re)s?|routers?|switches|appliances|minions|fleet)"
    };
}

/// A push to a fleet: a verb of pushing and many targets, the fleet itself, a configuration
/// management tool run against hosts, an over-the-air update. "Deploy" alone is not a push (a
/// code deploy is `code`), and a push notification is an external side effect.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "fleet_push",
    triggers: &[
        Trigger {
            name: "push to many hosts",
            found: Pattern {
                regex: concat!(
                    r"(?i)(?-u:\b)(?:push(?:es|ed|ing)?|publish(?:es|ed|ing)?|distribut[[:word:]]*|propagat[[:word:]]*|go(?:es)?\s+to|reach(?:es)?|sent\s+to|roll(?:s|ed|ing)?\s+out)\s+(?:[[:word:]`'.,()-]+\s+){0,8}?(?:to\s+|on\s+|across\s+)?(?:the\s+|our\s+)?(?:every|all|each|whole|entire|[0-9][0-9,.]*\s*(?:k|m|million|thousand)?)\s+(?:of\s+(?:the|our)\s+)?(?:[[:word:]-]+\s+){0,3}?",
                    fleet_nouns!(),
                    r"(?-u:\b)"
                ),
                words: &[
                    "push", "publish", "distribut", "propagat", "go", "reach", "sent", "roll",
                ],
                leading: true,
                and_words: &["every", "all", "each", "whole", "entire", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            },
            // The fleet noun every match holds: a sentence without one is not searched, and
            // the long pattern above is compiled only for a brief that names a fleet.
            also: Some(Pattern {
                regex: concat!(r"(?i)(?-u:\b)", fleet_nouns!(), r"(?-u:\b)"),
                words: &[
                    "host", "server", "node", "endpoint", "sensor", "agent", "device", "prox",
                    "pop", "point", "machine", "edge", "data", "router", "switches", "appliances",
                    "minions", "fleet",
                ],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "fleet",
            found: Pattern {
                regex: r"(?i)(?-u:\b)fleet(?:-wide|\s+(?:deploy[[:word:]]*|push[[:word:]]*|rollout|roll-out|update[[:word:]]*))(?-u:\b)",
                words: &["fleet"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "configuration management run",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:ansible(?:-playbook)?\s+playbook|ansible-playbook|salt\s+state|state\.apply|highstate|chef-client|chef\s+cookbook|puppet\s+(?:agent|manifest|module|run))(?-u:\b)",
                words: &["ansible", "salt", "state", "highstate", "chef", "puppet"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "over-the-air update",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:ota|over-the-air)(?-u:\b)",
                words: &["ota", "over-the-air"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about a fleet push beyond the trigger: read from every sentence of a brief
/// that holds one, when not negated (`spec::brief` applies them).
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// The content is loaded where a failure stops the host from taking the fix.
    pub const BREAKS_RECEIVER: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:kernel[- ](?:driver|module|extension)|(?:loads?|loaded|reads?)\s+(?:[[:word:]]+\s+){0,4}?at\s+(?:each\s+|every\s+)?boot|again\s+at\s+(?:each|every)\s+boot|boot[- ]?loops?|crash(?:es|ing)?\s+(?:windows|linux|the\s+(?:os|kernel|host|machine|device))|bsod|blue\s+screens?|brick(?:s|ed|ing)?|cannot\s+(?:receive|fetch|download)\s+(?:the\s+)?(?:fix|update|corrected))(?-u:\b)",
        words: &[
            "kernel", "boot", "crash", "bsod", "blue", "brick", "receive", "fetch", "download",
        ],
        leading: false,
        and_words: &[],
    };

    /// The previous content stays on the hosts.
    pub const PREVIOUS_KEPT: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:previous|old|last\s+known[- ]good|known[- ]good)\s+(?:[[:word:]`'./-]+\s+){0,3}?(?:stays|remains|is\s+kept|kept|is\s+retained)\s+(?:on|in)(?-u:\b)",
        words: &["previous", "old", "known", "last"],
        leading: true,
        and_words: &[],
    };

    /// How long the way back takes, as the brief states it: "rolling back the build fleet-wide
    /// takes hours", "a re-push takes 40 minutes". Hours without a number count as two.
    pub const ROLLBACK_TAKES: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:roll(?:ing)?\s+(?:it\s+)?back|revert(?:ing)?|re-?push(?:ing)?|switch(?:ing)?\s+back)[^.;]{0,60}?(?-u:\b)takes?\s+(?:about\s+|up\s+to\s+|over\s+|several\s+|many\s+)?(?:(hours|days)|([0-9]{1,4})\s*(min(?:utes?)?|h(?:ours?)?|days?))(?-u:\b)",
        words: &["roll", "revert", "push", "switch"],
        leading: false,
        and_words: &[],
    };

    /// A switch that disables the content everywhere.
    pub const KILL_SWITCH: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:(?:global\s+)?(?:[[:word:]-]+\s+)?kill[- ]?switch(?:es)?)(?-u:\b)",
        words: &["kill"],
        leading: false,
        and_words: &[],
    };

    /// The tool named.
    pub const TOOL: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(ansible|salt(?:stack)?|chef|puppet|ota|over-the-air)(?-u:\b)",
        words: &["ansible", "salt", "chef", "puppet", "ota", "over-the-air"],
        leading: true,
        and_words: &[],
    };

    /// A playbook or state file named in backticks.
    pub const PLAYBOOK: Pattern = Pattern {
        regex: r"`([[:word:]./-]+\.ya?ml)`",
        words: &["yml", "yaml"],
        leading: false,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::FleetPush,
    name: "fleet_push",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::Redeploy,
    mechanisms: &[
        MechanismDecl {
            id: MechanismId::HaltPush,
            when: "",
            reverses: "nothing: it stops the content reaching more hosts",
            does_not_reverse: "the hosts that already have it",
        },
        MechanismDecl {
            id: MechanismId::RepushKnownGood,
            when: "",
            reverses: "the content on every host that is still reachable and running its agent",
            does_not_reverse: "hosts that crashed, lost connectivity or stopped their agent on the content",
        },
        MechanismDecl {
            id: MechanismId::RecoverHosts,
            when: "some hosts cannot receive the fix",
            reverses: "the content on hosts the push cannot reach, by hand, out of band",
            does_not_reverse: "the time each host spends down, nor encrypted disks whose recovery keys are lost",
        },
    ],
    // Signals: host health and check-ins against the fleet's own baseline (CrowdStrike watched
    // sensors back online against a ~1% weekly variance), resource use (Cloudflare 2019: CPU on
    // every edge server), the loading process failing (Cloudflare 2025: the proxy panicked on the
    // file), and the push tool's own result.
    signals: &[
        SignalDecl {
            signal: "hosts crashing, rebooting or offline against the fleet baseline",
            on_services: false,
            condition: "any host that took the content crashes or reboots, or the online count drops below the pre-push count by more than the usual variance",
            window: "5m",
            action: "halt the push, then push the previous known-good content",
            query: "HOSTS_UNHEALTHY_QUERY",
            measure: "hosts that received the content and crashed, rebooted or went offline (agent heartbeats, the fleet manager's online count), per ring, PoP or site",
        },
        SignalDecl {
            signal: "hosts not checking in after the push",
            on_services: false,
            condition: "any host whose last check-in (heartbeat, agent report) is older than two intervals after it received the content",
            window: "2 check-in intervals",
            action: "halt the push; list the hosts for out-of-band recovery",
            query: "HOSTS_NOT_CHECKED_IN_QUERY",
            measure: "hosts whose agent has not checked in since the push (heartbeat age, Salt `manage.down`, Ansible unreachable hosts)",
        },
        SignalDecl {
            signal: "CPU, memory and errors of the process that loads the content, per host or PoP",
            on_services: false,
            condition: "CPU or memory above the pre-push baseline by 20%, or any crash or panic of the process that loads the content (proxy, agent, driver), on any host or PoP (edge location)",
            window: "5m",
            action: "halt the push and throw the kill switch if there is one",
            query: "HOST_RESOURCE_QUERY",
            measure: "CPU, memory and crash or panic counts of the process that loads the content, per host and per PoP or site, against the hour before the push",
        },
        SignalDecl {
            signal: "the push's own failures",
            on_services: false,
            condition: "any failed or unreachable host in the first ring; after it, more than the tool's allowed failure percentage",
            window: "each batch",
            action: "halt the push",
            query: "PUSH_FAILURES_QUERY",
            measure: "hosts the push failed on or that returned no result (Ansible's failed and unreachable counts, Salt minions that did not return, the channel's delivery report)",
        },
    ],
    staging: "rings of hosts instead of everywhere at once: canary hosts first (internal or dogfood hosts, one PoP, site or data center), then growing rings (1%, 10%, 50%, all hosts) with a bake between each; a pipeline built to go everywhere gets its batch capped (Ansible `serial` with `max_fail_percentage: 0`, Salt `--batch-size`) and stops at the first failed ring",
    staged_by_own_targets: true,
    prevention: &[
        "the previous known-good content is kept and one command pushes it back (or it stays on every host)",
        "the content was loaded by the same parser the hosts run, on a canary host, within its size and count limits (not only by a separate validator)",
        "the first ring is a few canary hosts, and the push stops at the first failure",
        "a host that fails on the content can still receive the fix, or the out-of-band recovery (console, IPMI, safe mode, recovery keys) is written and reachable",
        "a kill switch that stops the push or disables the content everywhere is tested",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "the hosts keep their data; hosts that crash on the content come back one by one through out-of-band recovery, and encrypted disks need their recovery keys at hand",
    changes_data_store: false,
    irreversible_mitigation: Some(
        "`{label}`: hosts that crash or go offline on the content cannot fetch the fix: halt the push, push the previous known-good content to the hosts still online, and recover the others by hand (console or IPMI, safe mode or the recovery environment, remove the bad content, reboot; a technician visit or a replacement for devices in the field), with disk-encryption recovery keys at hand; stage the next push in rings.",
    ),
    audience: &[Audience::Engineering, Audience::Support, Audience::Customers],
    may_cut_own_tooling: true,
};

/// What pushes content to a fleet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FleetTool {
    Ansible,
    Salt,
    Chef,
    Puppet,
    /// A vendor's content channel to its agents (EDR content, signatures).
    VendorChannel,
    /// A CDN's or edge network's config distribution.
    EdgeConfig,
    /// Over-the-air updates to devices.
    Ota,
    Other,
}
