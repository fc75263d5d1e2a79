//! The link graph's exports: Cytoscape.js elements (serialised by the caller with serde),
//! GraphML with declared keys and escaped text, and an indented text tree of a neighbourhood.
//! Pure, like the graph (`actor_graph.rs`); every ordering is the graph's own.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ActorGraph, Edge, EdgeKind, Node};
use crate::actor::ActorKind;
use crate::ids::ActorId;
use crate::source::{Credibility, Reliability};

/// Cytoscape.js elements: `{"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}`.
#[derive(Debug, Clone, Serialize)]
pub struct Cytoscape {
    pub root: Option<String>,
    pub elements: Elements,
}

#[derive(Debug, Clone, Serialize)]
pub struct Elements {
    pub nodes: Vec<Element<NodeData>>,
    pub edges: Vec<Element<EdgeData>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Element<T> {
    pub data: T,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeData {
    pub id: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ActorKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub known: bool,
    pub depth: u32,
}

/// An edge's data; `source` and `target` are node ids, as Cytoscape.js requires, so the edge's
/// citation is `reference`.
#[derive(Debug, Clone, Serialize)]
pub struct EdgeData {
    pub id: String,
    pub source: String,
    pub target: String,
    pub kind: &'static str,
    pub directed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credibility: Option<Credibility>,
    pub weight: u64,
}

impl ActorGraph {
    /// The graph as Cytoscape.js elements; edge ids are `e<index>`.
    pub fn to_cytoscape(&self) -> Cytoscape {
        let nodes = self
            .nodes
            .iter()
            .map(|n| Element {
                data: NodeData {
                    id: n.id.as_str().to_owned(),
                    label: n.name.clone(),
                    kind: n.kind,
                    country: n.country.as_ref().map(|c| c.as_str().to_owned()),
                    known: n.known,
                    depth: n.depth,
                },
            })
            .collect();
        let edges = self
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| Element {
                data: EdgeData {
                    id: format!("e{i}"),
                    source: e.source.as_str().to_owned(),
                    target: e.target.as_str().to_owned(),
                    kind: e.kind.as_str(),
                    directed: e.kind.directed(),
                    from: e.from.map(|d| d.to_string()),
                    until: e.until.map(|d| d.to_string()),
                    reference: e.reference.clone(),
                    reliability: e.reliability,
                    credibility: e.credibility,
                    weight: e.weight,
                },
            })
            .collect();
        Cytoscape {
            root: self.root.as_ref().map(|r| r.as_str().to_owned()),
            elements: Elements { nodes, edges },
        }
    }

    /// The graph as GraphML: declared keys, directed by default, co-occurrence and shared-id
    /// edges marked `directed="false"`, every text escaped.
    pub fn to_graphml(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
        );
        for (id, domain, name, ty) in KEYS {
            out.push_str(&format!(
                "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>\n"
            ));
        }
        out.push_str("  <graph id=\"actors\" edgedefault=\"directed\">\n");
        for n in &self.nodes {
            out.push_str(&format!("    <node id=\"{}\">\n", xml(n.id.as_str())));
            data(&mut out, "n_name", Some(&n.name));
            data(&mut out, "n_kind", n.kind.map(kind_word).as_deref());
            data(
                &mut out,
                "n_country",
                n.country.as_ref().map(|c| c.as_str()),
            );
            data(
                &mut out,
                "n_known",
                Some(if n.known { "true" } else { "false" }),
            );
            data(&mut out, "n_depth", Some(&n.depth.to_string()));
            out.push_str("    </node>\n");
        }
        for (i, e) in self.edges.iter().enumerate() {
            let undirected = if e.kind.directed() {
                ""
            } else {
                " directed=\"false\""
            };
            out.push_str(&format!(
                "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"{undirected}>\n",
                xml(e.source.as_str()),
                xml(e.target.as_str())
            ));
            data(&mut out, "e_kind", Some(e.kind.as_str()));
            data(&mut out, "e_from", e.from.map(|d| d.to_string()).as_deref());
            data(
                &mut out,
                "e_until",
                e.until.map(|d| d.to_string()).as_deref(),
            );
            data(&mut out, "e_source", e.reference.as_deref());
            let grade = e.reliability.map(|r| format!("{r:?}"));
            data(&mut out, "e_reliability", grade.as_deref());
            let cred = e.credibility.map(|c| c.get().to_string());
            data(&mut out, "e_credibility", cred.as_deref());
            data(&mut out, "e_weight", Some(&e.weight.to_string()));
            out.push_str("    </edge>\n");
        }
        out.push_str("  </graph>\n</graphml>\n");
        out
    }

    /// The neighbourhood as an indented tree: each node under the node it was reached from, with
    /// the edge's kind, direction and span.
    pub fn to_text(&self) -> String {
        let mut children: BTreeMap<Option<&ActorId>, Vec<&Node>> = BTreeMap::new();
        for n in &self.nodes {
            let parent = n.via.and_then(|v| self.edges.get(v)).map(|e| {
                if e.source == n.id {
                    &e.target
                } else {
                    &e.source
                }
            });
            children.entry(parent).or_default().push(n);
        }
        let mut out = String::new();
        // Depth-first over a tree whose depth is bounded by MAX_DEPTH.
        let mut stack: Vec<(&Node, usize)> = children
            .get(&None)
            .into_iter()
            .flatten()
            .rev()
            .map(|n| (*n, 0))
            .collect();
        while let Some((n, indent)) = stack.pop() {
            out.push_str(&"  ".repeat(indent));
            if let Some(e) = n.via.and_then(|v| self.edges.get(v)) {
                let arrow = match (e.kind.directed(), e.source == n.id) {
                    (false, _) => "—",
                    (true, true) => "←",
                    (true, false) => "→",
                };
                out.push_str(&format!("{arrow} {}{} ", e.kind.as_str(), span(e)));
            }
            out.push_str(&format!("{} ({})\n", n.name, n.id.as_str()));
            for c in children.get(&Some(&n.id)).into_iter().flatten().rev() {
                stack.push((c, indent + 1));
            }
        }
        out
    }
}

/// `[from..until]`, `×weight` for co-occurrences, or nothing.
fn span(e: &Edge) -> String {
    match (e.kind, e.from, e.until) {
        (EdgeKind::CoOccurs, _, _) => format!(" ×{}", e.weight),
        (_, None, None) => String::new(),
        (_, f, u) => format!(
            " [{}..{}]",
            f.map(|d| d.to_string()).unwrap_or_default(),
            u.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

const KEYS: [(&str, &str, &str, &str); 12] = [
    ("n_name", "node", "name", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_country", "node", "country", "string"),
    ("n_known", "node", "known", "boolean"),
    ("n_depth", "node", "depth", "int"),
    ("e_kind", "edge", "kind", "string"),
    ("e_from", "edge", "from", "string"),
    ("e_until", "edge", "until", "string"),
    ("e_source", "edge", "source", "string"),
    ("e_reliability", "edge", "reliability", "string"),
    ("e_credibility", "edge", "credibility", "int"),
    ("e_weight", "edge", "weight", "long"),
];

fn kind_word(k: ActorKind) -> String {
    match k {
        ActorKind::Government => "government",
        ActorKind::ArmedGroup => "armed_group",
        ActorKind::CriminalNetwork => "criminal_network",
        ActorKind::Community => "community",
        ActorKind::Organisation => "organisation",
        ActorKind::Person => "person",
    }
    .to_owned()
}

fn data(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.push_str(&format!("      <data key=\"{key}\">{}</data>\n", xml(v)));
    }
}

/// Text escaped for XML content and attributes; characters XML 1.0 forbids are dropped.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
