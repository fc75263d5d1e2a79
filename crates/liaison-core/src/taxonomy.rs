//! The event taxonomy: what kind of thing happened.
//!
//! Liaison classifies an incident by a sub-type; the event type follows from it. The list covers
//! the threats the brief names (attacks, bombings, kidnappings, trafficking seizures, clashes,
//! strategic developments such as meetings of armed groups or joint operations). Each sub-type
//! maps to one ACLED event/sub-event pair and, where the event is organised violence, to a UCDP
//! `type_of_violence`; the reverse mappings are used by the importers. The tables below are the
//! documentation: `docs/taxonomy.md` is generated from the same data by a test.
//!
//! This is a description of facts, not a characterisation: whether an attack is "terrorism" or
//! "crime" is each state's reading and is kept elsewhere, side by side.

use serde::{Deserialize, Serialize};

/// The top-level kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Violence by an armed actor against a target that does not fight back in kind.
    Attack,
    /// Bombs, IEDs, suicide bombings, shelling, air strikes.
    Explosion,
    /// Armed clashes between organised armed actors.
    Battle,
    /// Kidnappings, hostage releases, ransoms.
    Abduction,
    /// Seizures and interdictions of trafficked goods, and arrests.
    Interdiction,
    /// Protests and riots.
    Unrest,
    /// Non-violent developments that matter: meetings, recruitment, camps, exercises, operations.
    Strategic,
}

impl EventType {
    pub const ALL: [EventType; 7] = [
        EventType::Attack,
        EventType::Explosion,
        EventType::Battle,
        EventType::Abduction,
        EventType::Interdiction,
        EventType::Unrest,
        EventType::Strategic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Attack => "attack",
            EventType::Explosion => "explosion",
            EventType::Battle => "battle",
            EventType::Abduction => "abduction",
            EventType::Interdiction => "interdiction",
            EventType::Unrest => "unrest",
            EventType::Strategic => "strategic",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

macro_rules! sub_types {
    ($( $variant:ident = $name:literal, $event:ident, $acled_type:literal, $acled_sub:literal, $ucdp:expr, $doc:literal; )*) => {
        /// The precise kind of event. Serialised in `snake_case` (`suicide_bombing`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum SubType {
            $( #[doc = $doc] $variant, )*
        }

        impl SubType {
            pub const ALL: &'static [SubType] = &[ $( SubType::$variant, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( SubType::$variant => $name, )* }
            }

            pub fn event_type(self) -> EventType {
                match self { $( SubType::$variant => EventType::$event, )* }
            }

            /// The ACLED `event_type` and `sub_event_type` this sub-type is exported as.
            pub fn acled(self) -> (&'static str, &'static str) {
                match self { $( SubType::$variant => ($acled_type, $acled_sub), )* }
            }

            /// The UCDP GED `type_of_violence` (1 state-based, 2 non-state, 3 one-sided), when
            /// the event is organised violence in UCDP's sense.
            pub fn ucdp_type_of_violence(self) -> Option<u8> {
                match self { $( SubType::$variant => $ucdp, )* }
            }

            /// One sentence on what the sub-type covers.
            pub fn description(self) -> &'static str {
                match self { $( SubType::$variant => $doc, )* }
            }
        }
    };
}

sub_types! {
    ArmedAttack = "armed_attack", Attack, "Battles", "Armed clash", Some(1),
        "Armed assault by a non-state group on security forces, posts or installations.";
    AttackOnCivilians = "attack_on_civilians", Attack, "Violence against civilians", "Attack", Some(3),
        "Armed violence against unarmed civilians.";
    Assassination = "assassination", Attack, "Violence against civilians", "Attack", Some(3),
        "Targeted killing of a named person.";
    Plot = "plot", Attack, "Strategic developments", "Disrupted weapons use", None,
        "An attack or assassination planned and foiled before it took place.";
    Bombing = "bombing", Explosion, "Explosions/Remote violence", "Remote explosive/landmine/IED", Some(3),
        "Bomb or car bomb set off by a non-suicide attacker.";
    SuicideBombing = "suicide_bombing", Explosion, "Explosions/Remote violence", "Suicide bomb", Some(3),
        "Bombing in which the attacker dies by design.";
    Ied = "ied", Explosion, "Explosions/Remote violence", "Remote explosive/landmine/IED", Some(1),
        "Improvised explosive device or landmine on a road or route.";
    AirStrike = "air_strike", Explosion, "Explosions/Remote violence", "Air/drone strike", Some(1),
        "Strike from an aircraft or drone.";
    Shelling = "shelling", Explosion, "Explosions/Remote violence", "Shelling/artillery/missile attack", Some(1),
        "Artillery, mortar, rocket or missile fire.";
    ClashWithArmedForces = "clash_with_armed_forces", Battle, "Battles", "Armed clash", Some(1),
        "Fighting between state forces and an organised armed group.";
    ArmedClash = "armed_clash", Battle, "Battles", "Armed clash", Some(2),
        "Fighting between organised non-state armed groups or communal militias.";
    AircraftDowned = "aircraft_downed", Battle, "Battles", "Armed clash", Some(1),
        "A military or civil aircraft shot down or forced down in fighting.";
    TerritoryTaken = "territory_taken", Battle, "Battles", "Non-state actor overtakes territory", Some(1),
        "An armed group or a state takes control of a place.";
    Kidnapping = "kidnapping", Abduction, "Violence against civilians", "Abduction/forced disappearance", Some(3),
        "Abduction of one or more persons, foreigners or nationals.";
    HostageRelease = "hostage_release", Abduction, "Strategic developments", "Other", None,
        "Release or rescue of hostages.";
    Ransom = "ransom", Abduction, "Strategic developments", "Other", None,
        "Payment or demand of a ransom.";
    SeizureDrugs = "seizure_drugs", Interdiction, "Strategic developments", "Other", None,
        "Seizure of drugs (cocaine, cannabis resin, pharmaceuticals).";
    SeizureArms = "seizure_arms", Interdiction, "Strategic developments", "Disrupted weapons use", None,
        "Seizure of arms, ammunition or explosives.";
    SeizureVehicles = "seizure_vehicles", Interdiction, "Strategic developments", "Other", None,
        "Seizure of smuggled or stolen vehicles.";
    SeizureCigarettes = "seizure_cigarettes", Interdiction, "Strategic developments", "Other", None,
        "Seizure of smuggled cigarettes.";
    SeizureFuel = "seizure_fuel", Interdiction, "Strategic developments", "Other", None,
        "Seizure of smuggled fuel.";
    SeizurePeople = "seizure_people", Interdiction, "Strategic developments", "Other", None,
        "Interception of migrant smuggling or human trafficking.";
    Arrest = "arrest", Interdiction, "Strategic developments", "Arrests", None,
        "Arrest of members of armed groups or trafficking networks.";
    Protest = "protest", Unrest, "Protests", "Peaceful protest", None,
        "Peaceful demonstration.";
    Riot = "riot", Unrest, "Riots", "Violent demonstration", None,
        "Violent demonstration or mob violence.";
    ArmedGroupMeeting = "armed_group_meeting", Strategic, "Strategic developments", "Change to group/activity", None,
        "Meeting between armed groups or with trafficking networks.";
    Recruitment = "recruitment", Strategic, "Strategic developments", "Change to group/activity", None,
        "Recruitment into an armed group.";
    TrainingCamp = "training_camp", Strategic, "Strategic developments", "Headquarters or base established", None,
        "Training camp or base of an armed group.";
    MilitaryExercise = "military_exercise", Strategic, "Strategic developments", "Other", None,
        "Military exercise, national or joint.";
    JointOperation = "joint_operation", Strategic, "Strategic developments", "Other", None,
        "Operation conducted jointly by several states' forces.";
    OfficialMeeting = "official_meeting", Strategic, "Strategic developments", "Agreement", None,
        "Meeting or agreement of governments, commands or services.";
    Deployment = "deployment", Strategic, "Strategic developments", "Other", None,
        "Deployment of forces, advisers or instructors.";
}

impl SubType {
    pub fn parse(s: &str) -> Option<SubType> {
        SubType::ALL.iter().copied().find(|t| t.as_str() == s)
    }

    /// The sub-type an ACLED row is imported as. ACLED's own pair is always kept in the
    /// incident's provenance, so nothing of the source's coding is lost where ours is coarser.
    pub fn from_acled(event_type: &str, sub_event_type: &str) -> Option<SubType> {
        let sub = sub_event_type.trim().to_ascii_lowercase();
        let t = match (
            event_type.trim().to_ascii_lowercase().as_str(),
            sub.as_str(),
        ) {
            ("battles", "armed clash") => SubType::ClashWithArmedForces,
            ("battles", "government regains territory")
            | ("battles", "non-state actor overtakes territory") => SubType::TerritoryTaken,
            ("battles", _) => SubType::ClashWithArmedForces,
            ("explosions/remote violence", "suicide bomb") => SubType::SuicideBombing,
            ("explosions/remote violence", "air/drone strike") => SubType::AirStrike,
            ("explosions/remote violence", "shelling/artillery/missile attack") => {
                SubType::Shelling
            }
            ("explosions/remote violence", "remote explosive/landmine/ied") => SubType::Ied,
            ("explosions/remote violence", _) => SubType::Bombing,
            ("violence against civilians", "abduction/forced disappearance") => SubType::Kidnapping,
            ("violence against civilians", _) => SubType::AttackOnCivilians,
            ("protests", _) => SubType::Protest,
            ("riots", _) => SubType::Riot,
            ("strategic developments", "arrests") => SubType::Arrest,
            ("strategic developments", "disrupted weapons use") => SubType::SeizureArms,
            ("strategic developments", "headquarters or base established") => SubType::TrainingCamp,
            ("strategic developments", "agreement") => SubType::OfficialMeeting,
            ("strategic developments", "change to group/activity") => SubType::Recruitment,
            ("strategic developments", _) => SubType::Deployment,
            _ => return None,
        };
        Some(t)
    }

    /// The sub-type a UCDP GED event is imported as, from its `type_of_violence`.
    pub fn from_ucdp(type_of_violence: u8) -> Option<SubType> {
        match type_of_violence {
            1 => Some(SubType::ClashWithArmedForces),
            2 => Some(SubType::ArmedClash),
            3 => Some(SubType::AttackOnCivilians),
            _ => None,
        }
    }
}

/// The taxonomy as a Markdown table, for `docs/taxonomy.md`.
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| event type | sub-type | ACLED event type | ACLED sub-event type | UCDP type_of_violence | covers |\n|---|---|---|---|---|---|\n",
    );
    for t in SubType::ALL {
        let (a, b) = t.acled();
        let u = t
            .ucdp_type_of_violence()
            .map_or_else(|| "—".to_owned(), |v| v.to_string());
        out.push_str(&format!(
            "| {} | `{}` | {a} | {b} | {u} | {} |\n",
            t.event_type().as_str(),
            t.as_str(),
            t.description()
        ));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in SubType::ALL {
            assert_eq!(SubType::parse(t.as_str()), Some(*t));
            let json = serde_json::to_string(t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
    }

    #[test]
    fn every_acled_export_pair_imports_into_the_same_event_type() {
        for t in SubType::ALL {
            let (a, b) = t.acled();
            let back = SubType::from_acled(a, b).unwrap();
            // Our taxonomy is finer than ACLED's in places (seizures by commodity), so the round
            // trip may land on a sibling, but never on a different ACLED pair.
            assert_eq!(back.acled(), (a, b), "{t:?} -> {a}/{b} -> {back:?}");
        }
    }

    #[test]
    fn ucdp_codes() {
        assert_eq!(SubType::from_ucdp(1), Some(SubType::ClashWithArmedForces));
        assert_eq!(SubType::from_ucdp(2), Some(SubType::ArmedClash));
        assert_eq!(SubType::from_ucdp(3), Some(SubType::AttackOnCivilians));
        assert_eq!(SubType::from_ucdp(4), None);
        for code in 1..=3 {
            let t = SubType::from_ucdp(code).unwrap();
            assert_eq!(t.ucdp_type_of_violence(), Some(code));
        }
    }

    #[test]
    fn docs_table_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/taxonomy.md");
        let expected = format!(
            "# Event taxonomy\n\n<!-- generated by liaison-core's taxonomy test; edit taxonomy.rs -->\n\n{}",
            markdown_table()
        );
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        if actual != expected {
            if std::env::var_os("UPDATE_DOCS").is_some() {
                std::fs::write(path, &expected).unwrap();
            } else {
                panic!("docs/taxonomy.md is stale: run UPDATE_DOCS=1 cargo test -p liaison-core");
            }
        }
    }
}
