//! The operations of the built-in scenario (`data/sahel-2012-operations.json`): the joint
//! operations the brief names, each with the scenario incidents it links to.
//!
//! The file is embedded and checked by the tests (every operation validates). How each area was
//! chosen is in the file's `notes`.

use liaison_core::IncidentId;
use serde::Deserialize;

use crate::operation::Operation;

const SAHEL_2012: &str = include_str!("../data/sahel-2012-operations.json");

/// One operation of a scenario and the incidents (by scenario id) that belong to it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ScenarioOperation {
    pub operation: Operation,
    pub incidents: Vec<IncidentId>,
}

#[derive(Deserialize)]
struct File {
    operations: Vec<ScenarioOperation>,
}

/// The operations of the scenario `name`; none for a scenario without a file. An error only if
/// the embedded file is damaged (the tests parse it).
pub fn operations(name: &str) -> Result<Vec<ScenarioOperation>, String> {
    match name {
        "sahel-2012" => serde_json::from_str::<File>(SAHEL_2012)
            .map(|f| f.operations)
            .map_err(|e| format!("scenario operations of {name}: {e}")),
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_scenario_operations_validate_and_link() {
        let ops = operations("sahel-2012").unwrap();
        assert_eq!(ops.len(), 3);
        for o in &ops {
            o.operation.validate().unwrap();
            assert!(!o.incidents.is_empty());
        }
        let ids: Vec<&str> = ops
            .iter()
            .flat_map(|o| o.incidents.iter().map(IncidentId::as_str))
            .collect();
        assert!(ids.contains(&"sahel-2012:wagadou-forest-aqim-camp-attack-2011-06-09"));
        assert!(ids.contains(&"sahel-2012:france-niger-operation-2011-02"));
        assert!(operations("other").unwrap().is_empty());
    }

    #[test]
    fn scenario_incidents_exist() {
        let scenario = liaison_scenario::load("sahel-2012").unwrap();
        for o in operations("sahel-2012").unwrap() {
            for i in o.incidents {
                assert!(scenario.incidents.iter().any(|(id, _)| *id == i), "{i}");
            }
        }
    }
}
