use crate::assess::{Context, Finding, Level, Rule};
use crate::evidence::Evidence;
use crate::model::kinds::{NetworkArea, NetworkChange};

/// A TTL from which waiting it out alone leaves the fast band (15 min).
const SLOW_TTL_SECONDS: u64 = 900;

crate::declare_rule! {
    /// ## What it does
    ///
    /// A network or edge change (routing and BGP, firewall policy, load balancer, DNS, CDN
    /// configuration, TLS certificates on the edge), classed by what decides how fast it comes
    /// back: an auto-revert, whether our own access depends on it, and how long caches keep it.
    ///
    /// ## Why it matters for rollback
    ///
    /// A change applied with an auto-revert (Junos `commit confirmed`, Arista `commit timer`)
    /// undoes itself unless confirmed, even when it cut our access: instant. Without one, a change
    /// our own access (VPN, bastion, management plane, internal DNS, chat) depends on is undone
    /// out of band when it goes wrong, through a console server or someone on site (Facebook,
    /// 2021): complex at best. A DNS record comes back only as resolvers' caches expire: a TTL of
    /// 15 minutes or more makes it complex. A device's own rollback, a CDN version or a previous
    /// certificate are fast.
    ///
    /// ## Example
    ///
    /// "The office VPN and the bastion pass through these firewalls; the change is a plain
    /// `commit`."
    ///
    /// ## Use instead
    ///
    /// Apply with `commit confirmed` (or the platform's commit timer), test out-of-band access
    /// first, lower the TTL to 60 s a TTL ahead of a DNS change, and change one device, PoP or
    /// region first.
    pub static NETWORK_EDGE_CHANGE = { code: "RB021", name: "network-edge-change", family: Spec, severity: Warning, check: check, fixtures: [".yaml"] }
}

fn check(rule: &Rule, ctx: &Context, out: &mut Vec<Finding>) {
    for (i, c) in ctx.spec.deployment.changes.iter().enumerate() {
        let Some(n) = c.as_network_change() else {
            continue;
        };
        let field =
            |name: &str| Evidence::field(ctx.spec_file, format!("deployment.changes[{i}].{name}"));
        let (how, level, evidence) = judge(n);
        out.push(
            rule.finding(Found { how, oob: n.out_of_band.as_deref() }, field(evidence))
                .level(level)
                .change(i),
        );
    }
}

/// How the change comes back, its class, and the field that decides it.
fn judge(n: &NetworkChange) -> (Back, Level, &'static str) {
    if n.auto_revert == Some(true) {
        let own = n.own_access == Some(true);
        return (Back::AutoRevert { minutes: n.auto_revert_minutes, own }, Level::Instant, "auto_revert");
    }
    if n.own_access == Some(true) {
        return (Back::OutOfBand, Level::Complex, "own_access");
    }
    match n.area {
        Some(NetworkArea::Dns) => match n.ttl_seconds {
            Some(t) if t < SLOW_TTL_SECONDS => (Back::Ttl { seconds: Some(t) }, Level::Fast, "ttl_seconds"),
            t => (Back::Ttl { seconds: t }, Level::Complex, "ttl_seconds"),
        },
        Some(area) => (Back::Previous { area }, Level::Fast, "area"),
        None => (Back::Unknown, Level::Complex, "area"),
    }
}

enum Back {
    AutoRevert { minutes: Option<u32>, own: bool },
    OutOfBand,
    Ttl { seconds: Option<u64> },
    Previous { area: NetworkArea },
    Unknown,
}

struct Found<'a> {
    how: Back,
    oob: Option<&'a str>,
}

impl crate::assess::Violation for Found<'_> {
    fn message(&self) -> String {
        let oob = self
            .oob
            .map(|o| format!("out of band ({o})"))
            .unwrap_or_else(|| "out of band, through a path no one has named yet".to_string());
        let back = match &self.how {
            Back::AutoRevert { minutes, own } => {
                let when = minutes.map(|m| format!("{m} min")).unwrap_or_else(|| "its deadline".to_string());
                let lost = if *own {
                    format!("; our own access crosses it: if it cuts that access the auto-revert still fires, and anything it does not fix is recovered {oob}, slower (the worst case)")
                } else {
                    String::new()
                };
                format!("applied with an auto-revert: it undoes itself after {when} unless confirmed, and the device's rollback is one command{lost}")
            }
            Back::OutOfBand => format!("our own access depends on what it changes, and no auto-revert is declared: if it cuts that access, the rollback is typed {oob}, slower (the worst case)"),
            Back::Ttl { seconds: Some(t) } => format!("a DNS record comes back only as resolvers' caches expire: up to {t} s (TTL) after it is written back"),
            Back::Ttl { seconds: None } => "a DNS record comes back only as resolvers' caches expire, and its TTL is not stated: counted as the worst case".to_string(),
            Back::Previous { area } => format!("{} comes back by its own rollback to the recorded previous state, within minutes{}", area_words(*area), if *area == NetworkArea::Routing { " plus BGP convergence" } else { "" }),
            Back::Unknown => "what part of the network it changes is not stated, so neither its rollback nor its caches are known".to_string(),
        };
        format!("network change: {back}")
    }
}

fn area_words(a: NetworkArea) -> &'static str {
    match a {
        NetworkArea::Firewall => "a firewall policy",
        NetworkArea::Routing => "a routing change",
        NetworkArea::Link => "a link",
        NetworkArea::LoadBalancer => "a load balancer's configuration",
        NetworkArea::Dns => "a DNS record",
        NetworkArea::Cdn => "a CDN configuration (its previous version)",
        NetworkArea::Tls => "a certificate (the previous one, if kept and valid)",
    }
}
