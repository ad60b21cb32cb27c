//! `kind: network_change` — routing and BGP, firewall policy, load balancers, DNS, CDN
//! configuration and TLS certificates on the edge.
//!
//! What a senior network engineer asks, and where the answers come from:
//!
//! - *Does our own access ride on what is changed?* The VPN, the bastion, the management plane,
//!   the DNS we resolve through, chat and tooling. Facebook's 2021 backbone command cut the
//!   backbone, its DNS withdrew its routes, and engineers needed on-site access to the routers
//!   (https://engineering.fb.com/2021/10/05/networking-traffic/outage-details/). Then the change
//!   is applied with an auto-revert where the platform has one (Junos `commit confirmed`, which
//!   rolls back by itself after 10 minutes unless confirmed,
//!   https://www.juniper.net/documentation/us/en/software/junos/netconf/topics/task/netconf-configuration-committing-with-confirmation.html;
//!   Arista `configure session` with `commit timer`,
//!   https://arista.com/um-eos/eos-configure-session), and out-of-band access is tested first.
//! - *How long do caches keep the state?* Resolvers keep a record for its TTL, so the rollback
//!   waits the TTL unless it was lowered before; CDNs keep cached objects; BGP takes minutes to
//!   converge.
//! - *What shows it is hurting?* Reachability seen from outside the changed network (external
//!   probes), packet loss, BGP sessions and prefixes, DNS answers from public resolvers, TLS
//!   handshakes, the CDN's error and origin ratios: not the HTTP metrics of a service behind it.
//! - *How is it undone?* The vendor's rollback (Junos `rollback 1` and `commit`), the recorded
//!   previous DNS record, the previous CDN configuration version, the previous certificate.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// Routing/BGP, firewall policy, load balancer, DNS, CDN configuration or TLS certificates
    /// on the edge.
    pub struct NetworkChange {
        /// What part of the network is changed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub area: Option<NetworkArea>,
        /// The operating system, provider or service the change is applied through.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub platform: Option<NetworkPlatform>,
        /// The devices, PoPs, servers or services changed (`fw-core-1`, `edge-ams`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub devices: Vec<String>,
        /// The change is applied with an auto-revert that undoes it unless confirmed (Junos
        /// `commit confirmed`, Arista `commit timer`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub auto_revert: Option<bool>,
        /// Minutes before the auto-revert fires (Junos default: 10).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub auto_revert_minutes: Option<u32>,
        /// The team's own access (VPN, bastion, management plane, the DNS it resolves through,
        /// chat, tooling) depends on what is changed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub own_access: Option<bool>,
        /// How the devices are reached when the usual path is cut (console server, out-of-band
        /// network, someone on site).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub out_of_band: Option<String>,
        /// How long caches keep an answer, in seconds (the DNS record's TTL).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ttl_seconds: Option<u64>,
        /// The DNS zone (a Route 53 hosted zone's name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub zone: Option<String>,
        /// The DNS record changed (`www.example.com`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub record: Option<String>,
        /// The record's type (`CNAME`, `A`, `AAAA`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub record_type: Option<String>,
        /// The record's value before the change: what the rollback writes back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_value: Option<String>,
        /// The CDN service changed (a Fastly service id).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub service_id: Option<String>,
        /// The known-good configuration to go back to: a CDN service version, a saved device
        /// configuration, the previous certificate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous: Option<String>,
        /// The order it is applied in: one device, PoP or region first (`fw-core-2`,
        /// `pop-ams`, `eu-west`). Empty: everywhere at once.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub stages: Vec<String>,
    }
}

impl super::Validate for NetworkChange {}

impl NetworkChange {
    /// Whether a signal the kind declares applies to this change's area (BGP sessions watch a
    /// routing change, resolver answers a DNS change); the external probe applies to all.
    pub fn watches(&self, query: &str) -> bool {
        use NetworkArea::*;
        let area = self.area;
        match query {
            "EXTERNAL_REACHABILITY_PROBE" => true,
            "PACKET_LOSS_QUERY" => !matches!(area, Some(Dns | Tls | Cdn)),
            "BGP_SESSIONS_QUERY" => matches!(area, Some(Routing | Link) | None),
            "DNS_ANSWERS_CHECK" => matches!(area, Some(Dns)),
            "TLS_HANDSHAKE_QUERY" => matches!(area, Some(Tls | Cdn | LoadBalancer)),
            "CDN_ERRORS_QUERY" => matches!(area, Some(Cdn)),
            "POLICY_DENIES_QUERY" => matches!(area, Some(Firewall)),
            _ => true,
        }
    }

    /// The command behind a signal, when the change names what it measures: the changed record
    /// asked of a public resolver (`dig +noall +answer @1.1.1.1 <record> <type>`, https://man.cx/dig).
    pub fn known_query(&self, query: &str) -> Option<String> {
        use crate::base::shell::Cmd;
        let record = self.record.as_deref()?;
        let rtype = self.record_type.as_deref()?;
        (query == "DNS_ANSWERS_CHECK").then(|| {
            Cmd::new("dig +noall +answer @1.1.1.1")
                .val(record)
                .val(rtype)
                .render()
        })
    }

    /// A change applied on a device's configuration (rather than a DNS, CDN or certificate
    /// service).
    pub fn on_device(&self) -> bool {
        !matches!(self.area, Some(NetworkArea::Dns | NetworkArea::Cdn | NetworkArea::Tls))
    }
}

/// Nouns and phrases that name a network or edge change; each trigger below is one area.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "network_change",
    triggers: &[
        Trigger {
            name: "firewall",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:firewalls?\s+(?:rules?|polic(?:y|ies)|filters?|change)|(?:core|edge|perimeter)\s+firewalls?|(?:deny|permit)\s+rules?|security\s+polic(?:y|ies)\s+from-zone|access[- ]control\s+lists?|commit\s+confirmed)(?-u:\b)",
                words: &["firewall", "deny", "permit", "security", "access", "commit", "core", "edge", "perimeter"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "routing",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:bgp|backbone\s+(?:routers?|network|maintenance)|route[- ]maps?|routing\s+polic(?:y|ies)|prefix[- ]lists?|peering\s+(?:sessions?|changes?))(?-u:\b)",
                words: &["bgp", "backbone", "route", "routing", "prefix", "peering"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "link",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:network\s+hub|optical\s+equipment|backbone\s+links?|(?:fib(?:er|re)|transit|uplink|wan)\s+(?:links?|circuits?)\s+(?:swap|change|migration|maintenance|move)|(?:swap|replac)[[:word:]]*\s+(?:the\s+)?(?:failing\s+)?optics?)(?-u:\b)",
                words: &["network", "optical", "backbone", "fiber", "fibre", "transit", "uplink", "wan", "swap", "replac"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "dns",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:dns\s+(?:records?|changes?|zones?|config(?:uration)?)|authoritative\s+dns|cname\s+(?:swap|change|record)|hosted\s+zone|route\s*53|(?:a|aaaa|cname|txt|mx)\s+records?)(?-u:\b)",
                words: &["dns", "cname", "hosted", "route", "record"],
                leading: false,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "cdn",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:cdn|cloudfront|fastly|akamai|vcl)(?-u:\b)",
                words: &["cdn", "cloudfront", "fastly", "akamai", "vcl"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "load balancer",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:load[- ]balancer\s+(?:rules?|listeners?|config(?:uration)?|change|pools?)|(?:haproxy|f5|big-ip|netscaler)\s+(?:config(?:uration)?|change|pools?|virtual\s+servers?))(?-u:\b)",
                words: &["load", "haproxy", "f5", "big", "netscaler"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
        Trigger {
            name: "tls certificate",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:(?:tls|ssl)\s+cert(?:ificate)?s?\s+(?:on|for)\s+(?:the\s+)?(?:edge|load\s+balancers?|cdn|ingress)|(?:renew|replac|rotat|swap)[[:word:]]*\s+(?:the\s+)?(?:edge\s+|wildcard\s+)?(?:tls|ssl)\s+cert(?:ificate)?s?)(?-u:\b)",
                words: &["tls", "ssl"],
                leading: false,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about a network change beyond the trigger: read from every sentence of a
/// brief that holds one, when not negated (`spec::brief` applies them).
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// The team's own access or tooling depends on what is changed: a word of our access and a
    /// word of depending in one sentence, or the words "our own access".
    pub const OWN_ACCESS: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:(?:our|the\s+office|the\s+team's)\s+(?:own\s+)?(?:[[:word:]-]+\s+){0,3}?(?:vpn|bastion|jump\s+hosts?|management\s+(?:plane|network)|internal\s+tools?|tools|tooling|chat|status\s+(?:site|page))(?:[[:word:],'\s-]+?)(?:pass(?:es)?\s+through|go(?:es)?\s+through|run\s+over|runs\s+over|depends?\s+on|rel(?:y|ies)\s+on|served\s+through|resolves?\s+through|ride\s+on|rides\s+on|sit\s+behind|sits\s+behind)|(?:cut|lose|lock)\s+(?:us\s+out\s+of\s+)?our\s+own\s+access)",
        words: &["our", "office", "team"],
        leading: false,
        and_words: &[],
    };

    /// How the devices are reached when the usual path is cut.
    pub const OUT_OF_BAND: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:out[- ]of[- ]band|console\s+(?:server|access|port)s?|serial\s+console|oob|on[- ]site|remote\s+hands|ipmi|idrac)(?-u:\b)",
        words: &["out", "console", "serial", "oob", "on", "site", "remote", "ipmi", "idrac"],
        leading: true,
        and_words: &[],
    };

    /// An auto-revert: `commit confirmed [N]`, Arista's `commit timer hh:mm:ss`, or the words.
    pub const AUTO_REVERT: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:commit\s+confirmed(?:\s+([0-9]{1,4}))?|commit\s+timer\s+([0-9]{1,2}):([0-9]{2}):[0-9]{2}|auto[- ]?revert[[:word:]]*|reverts?\s+by\s+itself)(?-u:\b)",
        words: &["commit", "auto", "revert"],
        leading: true,
        and_words: &[],
    };

    /// A TTL in seconds, minutes or hours: "a TTL of 3600", "TTL 300 s", "TTL: 1 hour".
    pub const TTL: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)ttl\s*(?:of|is|=|:)?\s*([0-9]{1,6})\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?)?(?-u:\b)",
        words: &["ttl"],
        leading: true,
        and_words: &[],
    };

    /// A Route 53 hosted zone's name.
    pub const ZONE: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)hosted\s+zone\s+`?([a-z0-9][a-z0-9.-]*\.[a-z]{2,})`?",
        words: &["hosted"],
        leading: true,
        and_words: &[],
    };

    /// The record's value before and after: "currently points to X", "will point to Y".
    pub const POINTS_TO: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(currently\s+points?|points?|pointed|will\s+point)\s+(?:at|to)\s+`?([a-z0-9][a-z0-9.-]*\.[a-z]{2,}|[0-9]{1,3}(?:\.[0-9]{1,3}){3})`?",
        words: &["point"],
        leading: false,
        and_words: &[],
    };

    /// The record's type.
    pub const RECORD_TYPE: Pattern = Pattern {
        regex: r"(?-u:\b)(CNAME|AAAA|ALIAS|TXT|MX|A)(?:\s+record|\s+swap)(?-u:\b)",
        words: &["cname", "aaaa", "alias", "txt", "mx", "a"],
        leading: true,
        and_words: &[],
    };

    /// A fully qualified name: the record, when it lies in the zone.
    pub const FQDN: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)((?:[a-z0-9-]+\.)+[a-z]{2,})(?-u:\b)",
        words: &[],
        leading: false,
        and_words: &[],
    };

    /// The platform named: a device OS, a DNS or CDN provider.
    pub const PLATFORM: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(junos|juniper|ios[- ]?xr|arista|route\s*53|fastly|cloudflare|cloudfront|akamai|BIND)(?-u:\b)",
        words: &["junos", "juniper", "ios", "arista", "route", "fastly", "cloudflare", "cloudfront", "akamai", "bind"],
        leading: false,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::NetworkChange,
    name: "network_change",
    recogniser: RECOGNISER,
    reversibility: Reversibility::DependsOnEvidence,
    time: TimeModel::Redeploy,
    mechanisms: &[
        MechanismDecl {
            id: MechanismId::OutOfBandAccess,
            when: "our own access depends on what is changed",
            reverses: "nothing: it reaches the devices when the usual path is cut",
            does_not_reverse: "the time it takes to get a console or someone on site",
        },
        MechanismDecl {
            id: MechanismId::NetworkRevert,
            when: "",
            reverses: "the device configuration, DNS record, CDN version or certificate, back to the recorded previous one",
            does_not_reverse: "answers resolvers and caches hold until their TTL runs out, and routes until BGP converges",
        },
    ],
    // Signals seen from outside the changed network, by area (`NetworkChange::watches`).
    signals: &[
        SignalDecl {
            signal: "reachability from outside the changed network",
            on_services: false,
            condition: "a probe from another network (external probes, ping or traceroute from outside, a synthetic check) fails 3 times in a row from any vantage point",
            window: "1m probes",
            action: "roll back; if our own access is lost, recover out of band",
            query: "EXTERNAL_REACHABILITY_PROBE",
            measure: "probes from outside the changed network (a synthetic-check provider, RIPE Atlas, a host in another provider) to what the change carries: ping, traceroute, TCP connect",
        },
        SignalDecl {
            signal: "packet loss and latency across the changed path",
            on_services: false,
            condition: "loss above 1% or round-trip time 50% above the hour before the change",
            window: "5m",
            action: "roll back",
            query: "PACKET_LOSS_QUERY",
            measure: "packet loss and round-trip time across the changed devices or links (smokeping, the probes' loss, interface drops and errors)",
        },
        SignalDecl {
            signal: "BGP sessions and prefixes announced",
            on_services: false,
            condition: "any session leaves Established, or the prefixes announced or received differ from the count recorded before the change",
            window: "2m",
            action: "roll back",
            query: "BGP_SESSIONS_QUERY",
            measure: "BGP session state and prefix counts per peer (`show bgp summary`), and our prefixes as seen from outside (a looking glass, a route collector)",
        },
        SignalDecl {
            signal: "DNS answers from public resolvers",
            on_services: false,
            condition: "any public resolver returns SERVFAIL, NXDOMAIN or an answer that is neither the old nor the new value",
            window: "1m checks",
            action: "write the recorded previous record back",
            query: "DNS_ANSWERS_CHECK",
            measure: "`dig +noall +answer` for the changed record against public resolvers (1.1.1.1, 8.8.8.8) and each authoritative server",
        },
        SignalDecl {
            signal: "TLS handshake failures",
            on_services: false,
            condition: "handshake failures above the hour before the change, or a probe sees a certificate other than the one deployed",
            window: "5m",
            action: "deploy the previous certificate back",
            query: "TLS_HANDSHAKE_QUERY",
            measure: "TLS handshake errors at the edge or load balancer, and the certificate served (`openssl s_client`) from outside",
        },
        SignalDecl {
            signal: "CDN errors and origin traffic per PoP",
            on_services: false,
            condition: "5xx at the edge or the share of requests going to origin 2x the hour before, in any PoP",
            window: "5m",
            action: "re-activate the previous CDN configuration version",
            query: "CDN_ERRORS_QUERY",
            measure: "the CDN's error ratio and cache-miss (origin) ratio per PoP, from its real-time stats",
        },
        SignalDecl {
            signal: "traffic the new policy denies",
            on_services: false,
            condition: "denied sessions or rule hits above the hour before on any rule the change touched, or a known-good flow denied",
            window: "5m",
            action: "roll back the policy",
            query: "POLICY_DENIES_QUERY",
            measure: "hit and deny counts per rule the change touched (Junos `show security policies hit-count`), and known-good flows tested through it",
        },
    ],
    staging: "one device at a time (one firewall or router of a redundant pair, one PoP, one region) before the rest, with a bake and the external probes green between each; DNS by weighted records (a small weight on the new answer first) rather than one swap; not a traffic percentage on a device",
    staged_by_own_targets: true,
    prevention: &[
        "external probes from outside the changed network watch what it carries, and their baseline is recorded",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "a network change holds no data: requests dropped while it was broken are not replayed; clients retry",
    changes_data_store: false,
    irreversible_mitigation: Some(
        "`{label}`: if the change cuts the path the fix travels on, recover each device out of band (console server, someone on site) and restore its saved configuration; keep the previous DNS record and certificate to write back.",
    ),
    audience: &[Audience::Engineering, Audience::Support, Audience::Customers],
    may_cut_own_tooling: true,
};

/// What part of the network a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkArea {
    /// Firewall policy, filters, ACLs.
    Firewall,
    /// Routing and BGP.
    Routing,
    /// A link or its optics.
    Link,
    LoadBalancer,
    Dns,
    /// CDN configuration.
    Cdn,
    /// TLS certificates on the edge.
    Tls,
}

/// What a network change is applied through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkPlatform {
    Junos,
    IosXr,
    /// Cisco IOS / IOS XE.
    Ios,
    AristaEos,
    Route53,
    Bind,
    Fastly,
    Cloudflare,
    Cloudfront,
    Other,
}
