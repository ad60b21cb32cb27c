//! `kind: client_release` — a build installed on devices the team does not run: a mobile app
//! through the App Store or Google Play, a desktop app through its updater, firmware over the air.
//!
//! What a release engineer of clients asks, and where the answers come from:
//!
//! - *What happens to copies already installed?* They stay. A store cannot take an update back
//!   from a phone: pausing Apple's phased release stops automatic updates only, and anyone can
//!   still download the version from the store
//!   (https://developer.apple.com/help/app-store-connect/update-your-app/release-a-version-update-in-phases);
//!   halting a Google Play staged rollout stops new users getting it, not those who have it
//!   (https://developers.google.com/android-publisher/tracks). The way back is a new build with a
//!   higher version number, through review (hours to days). Firmware whose anti-rollback counter
//!   is bumped cannot be downgraded at all, and a bad image can brick a device.
//! - *What can still be switched from the server side?* Remote config or a kill switch the app
//!   reads, a minimum-version gate that forces an upgrade, the server API kept compatible with
//!   old clients, and the phased release itself (paused, halted).
//! - *How is it staged?* Apple's phased release is 1%, 2%, 5%, 10%, 20%, 50%, 100% over 7 days;
//!   Play's staged rollout is a user fraction the team raises; firmware goes out by cohorts.
//! - *What shows it is hurting?* Crash-free users and sessions, ANR rate, store reviews, support
//!   contacts, and for devices their check-ins, boot success and heartbeats — not HTTP 5xx.

use super::declare::*;
use crate::base::recogniser::{NEGATION_WORDS, Pattern, Recogniser, Trigger};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

change_struct! {
    /// A build installed on devices the team does not run: a mobile app, a desktop app, firmware.
    pub struct ClientRelease {
        /// Where it is released: `app-store`, `google-play`, `desktop`, `firmware` (an app for
        /// iOS and Android is released through both stores).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub channels: Vec<ClientChannel>,
        /// The app's bundle id or package name (`com.example.shop`), or the device model.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub app: Option<String>,
        /// The version released.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub version: Option<String>,
        /// The version installed copies run now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous: Option<String>,
        /// The release is phased or staged (Apple phased release, Play staged rollout, firmware
        /// cohorts) instead of offered to every user at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phased: Option<bool>,
        /// The stages, in order (`1%`, `10%`, `100%`; cohort names).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub stages: Vec<String>,
        /// A server-side switch that disables what the release changes in copies already
        /// installed (a remote config flag, a kill switch the app reads).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub remote_switch: Option<String>,
        /// A bad build can stop the device or app from taking the fix (a bricked device, an app
        /// that crashes at launch before it reads remote config).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub breaks_updater: Option<bool>,
        /// Firmware keeps the previous image on a second partition (A/B, dual bank) and can boot
        /// it again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub previous_image_kept: Option<bool>,
        /// How devices that cannot take the fix are recovered (a technician visit, a mailed
        /// replacement, a USB re-flash).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub recovery: Option<String>,
    }
}

impl super::Validate for ClientRelease {}

/// A release of a client: an app to a store, a desktop app, firmware. A push notification is an
/// external side effect, and content pushed to hosts the team runs is a fleet push.
pub const RECOGNISER: Recogniser = Recogniser {
    kind: "client_release",
    triggers: &[
        Trigger {
            name: "app store release",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:app\s+store(?:\s+connect)?|google\s+play|play\s+(?:store|console)|testflight|phased\s+release)(?-u:\b)",
                words: &["app", "google", "play", "testflight", "phased"],
                leading: true,
                and_words: &["store", "play", "testflight", "release"],
            },
            also: None,
        },
        Trigger {
            name: "mobile or desktop app",
            found: Pattern {
                regex: r"(?i)(?-u:\b)(?:ios|android|mobile|desktop|macos|windows|electron)\s+(?:and\s+(?:ios|android)\s+)?apps?(?-u:\b)",
                words: &["ios", "android", "mobile", "desktop", "macos", "windows", "electron"],
                leading: true,
                and_words: &[],
            },
            // An app named as a channel ("internet banking, mobile app and branches move") is not
            // a release: the sentence also says release, version, build or ships.
            also: Some(Pattern {
                regex: r"(?i)(?-u:\b)(?:releas[[:word:]]*|versions?|builds?|ships?|shipped)(?-u:\b)",
                words: &["releas", "version", "build", "ship"],
                leading: true,
                and_words: &[],
            }),
        },
        Trigger {
            name: "new app",
            found: Pattern {
                regex: r"(?i)(?-u:\b)new\s+(?:[[:word:]]+\s+)?app\s+(?:ships|release|version|build)(?-u:\b)",
                words: &["new"],
                leading: true,
                and_words: &["ships", "release", "version", "build"],
            },
            also: None,
        },
        Trigger {
            name: "firmware",
            found: Pattern {
                regex: r"(?i)(?-u:\b)firmware(?-u:\b)",
                words: &["firmware"],
                leading: true,
                and_words: &[],
            },
            also: None,
        },
    ],
    negations: NEGATION_WORDS,
};

/// What a brief says about a client release beyond the trigger, read from every sentence of the
/// brief (`spec::brief::client`).
pub mod brief {
    use crate::base::recogniser::Pattern;

    /// The store or channel named.
    pub const CHANNEL: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(app\s+store|testflight|ios|google\s+play|play\s+(?:store|console)|android|firmware|ota|over-the-air|desktop|electron|macos)(?-u:\b)",
        words: &[
            "app", "testflight", "ios", "google", "play", "android", "firmware", "ota", "over-the-air",
            "desktop", "electron", "macos",
        ],
        leading: true,
        and_words: &[],
    };

    /// Phased or staged release, or cohorts.
    pub const PHASED: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:phased\s+release|staged\s+rollout|staged\s+release|(?:(?:rollout|release)\s+)?cohorts?|percentage\s+of\s+users|user\s+fraction)(?-u:\b)",
        words: &["phased", "staged", "rollout", "release", "cohort", "percentage", "user"],
        leading: true,
        and_words: &[],
    };

    /// A server-side switch: remote config or a kill switch, with its key in backticks when named.
    pub const REMOTE_SWITCH: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:remote[- ]config(?:uration)?|kill[- ]?switch)(?:\s+(?:flag|key|parameter))?(?:\s+`([^`\s]+)`)?",
        words: &["remote", "kill"],
        leading: true,
        and_words: &[],
    };

    /// A bad build can stop the device or app from taking the fix.
    pub const BREAKS_UPDATER: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:brick(?:s|ed|ing)?|crash(?:es)?\s+(?:at|on)\s+(?:launch|start(?:up)?)|boot[- ]?loops?)(?-u:\b)",
        words: &["brick", "crash", "boot"],
        leading: true,
        and_words: &[],
    };

    /// The previous firmware image is kept on a second partition.
    pub const PREVIOUS_IMAGE: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)(?:dual[- ](?:partition|bank|slot)|a/b\s+(?:partition|slot|update)s?|falls?\s+back\s+to\s+the\s+(?:old|previous)\s+(?:partition|image|slot|firmware))(?-u:\b)",
        words: &["dual", "a", "fall"],
        leading: true,
        and_words: &[],
    };

    /// How devices that cannot take the fix are recovered.
    pub const RECOVERY: Pattern = Pattern {
        regex: r"(?i)(?-u:\b)((?:a\s+)?technician\s+visit(?:\s+or\s+(?:a\s+)?mailed\s+replacement)?|(?:a\s+)?mailed\s+replacement|usb\s+re-?flash|rma)(?-u:\b)",
        words: &["technician", "mailed", "usb", "rma"],
        leading: false,
        and_words: &[],
    };
}

pub const DECLARATION: KindDecl = KindDecl {
    kind: super::ChangeKind::ClientRelease,
    name: "client_release",
    recogniser: RECOGNISER,
    reversibility: Reversibility::Irreversible,
    time: TimeModel::OpenEnded,
    mechanisms: &[
        MechanismDecl {
            id: MechanismId::HaltClientRelease,
            when: "",
            reverses: "nothing: it stops the build reaching more devices",
            does_not_reverse: "copies already installed; anyone can still install the version by hand from the store",
        },
        MechanismDecl {
            id: MechanismId::RemoteSwitchOff,
            when: "a server-side switch disables what the release changes",
            reverses: "the behaviour behind the switch, in installed copies as they fetch their config",
            does_not_reverse: "the build itself, nor copies that crash before they read the config",
        },
        MechanismDecl {
            id: MechanismId::ShipFixedBuild,
            when: "",
            reverses: "the build on every device that takes the next update",
            does_not_reverse: "devices whose users do not update, and devices that cannot take the fix (recovered by hand)",
        },
    ],
    // Signals of a client: crash-free users and sessions and ANRs from the crash reporter
    // (Crashlytics, Play Console vitals), store reviews and support contacts; for devices their
    // check-ins and boot success. None of them is an HTTP request metric.
    signals: &[
        SignalDecl {
            signal: "crash-free users and sessions of the new version",
            on_services: false,
            condition: "crash-free users of the new version below the previous version's by more than 0.5 point, or any new crash cluster at launch",
            window: "1h, per phase of the release",
            action: "pause the phased release (or halt the rollout); turn off the remote switch if the crash is behind it",
            query: "CRASH_FREE_QUERY",
            measure: "crash-free users and sessions of the new version against the previous one (Crashlytics, App Store Connect or Play Console vitals)",
        },
        SignalDecl {
            signal: "ANR rate and app start failures (Android), hangs (iOS)",
            on_services: false,
            condition: "user-perceived ANR rate above 0.47% (Play's bad behaviour threshold) or above the previous version's",
            window: "24h, per phase",
            action: "halt the rollout",
            query: "ANR_RATE_QUERY",
            measure: "user-perceived ANR rate and hang rate of the new version (Play Console Android vitals, Xcode Organizer)",
        },
        SignalDecl {
            signal: "device check-ins, boot success and heartbeats (firmware)",
            on_services: false,
            condition: "devices on the new version missing two heartbeats in a row, failing to boot it, or falling back to the previous image, above the cohort's baseline",
            window: "2 heartbeat intervals after each cohort",
            action: "halt the OTA campaign; list the devices that stopped checking in",
            query: "DEVICE_HEARTBEAT_QUERY",
            measure: "devices of the cohort that took the new version and have not sent a heartbeat or check-in since, and boot or rollback counts",
        },
        SignalDecl {
            signal: "store reviews, support contacts and tickets about the new version",
            on_services: false,
            condition: "one-star reviews or support tickets naming the new version above twice the weekly baseline",
            window: "24h",
            action: "pause the release and read them: users report what crash reporters miss (a feature gone, a flow broken)",
            query: "REVIEWS_AND_TICKETS_QUERY",
            measure: "store reviews and support tickets mentioning the new version, per day, against the weeks before",
        },
    ],
    staging: "a phased release instead of every user at once: Apple's phased release for automatic updates (1%, 2%, 5%, 10%, 20%, 50%, 100% over 7 days, pausable), a Google Play staged rollout (a user fraction raised step by step, haltable), firmware by cohorts (internal devices, 0.1%, 1%, 10%, 100%) with a bake of a day between each; the next phase starts only when crash-free users and device heartbeats hold",
    staged_by_own_targets: true,
    prevention: &[
        "the phased release (or staged rollout, or first OTA cohort) is on, and who pauses or halts it knows how",
        "the server API still serves the previous app version: old clients stay installed for months",
        "a server-side switch (remote config, kill switch) disables the new behaviour, or the plan accepts that only a new build can",
        "a fixed build can be shipped fast: the pipeline is green, and the team knows how to ask for expedited review",
        "a copy that fails on the new build can still take the fix (firmware falls back to its previous image, the app reads remote config before the new code runs), and the recovery of those that cannot (a technician visit, a replacement) is written",
    ],
    prevention_in_go_no_go: true,
    data_recovery: "installed copies keep their local data; a build that migrates on-device data cannot be downgraded, so the fix reads both formats",
    changes_data_store: false,
    irreversible_mitigation: Some(
        "`{label}`: copies already installed cannot be recalled, they stay until users update: pause the phased release (App Store Connect) or halt the staged rollout (Google Play) or the OTA campaign, turn off the server-side switch if the change is behind one, keep the server API compatible with the installed version, and ship a fixed build with a higher version number (expedited review: hours to days); devices that cannot take the fix are recovered by hand (a technician visit or a replacement).",
    ),
    audience: &[Audience::Engineering, Audience::Support, Audience::Customers],
    may_cut_own_tooling: false,
};

/// Where a client is released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ClientChannel {
    AppStore,
    GooglePlay,
    Desktop,
    /// Firmware over the air to devices.
    Firmware,
    Other,
}
