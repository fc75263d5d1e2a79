//! The command line: every command, option and help text of `liaison`, as clap definitions.
//! What each command does lives in its own module; this file only says what it accepts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "liaison",
    version,
    about = "A sovereign node for sharing security intelligence between states",
    long_about = "Liaison keeps a member state's incident intelligence on its own node.\n\
                  Start with `liaison demo`, or `liaison init --data DIR --member ISO3`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct DataDir {
    /// The node's data directory (made by `liaison init`).
    #[arg(long = "data", env = "LIAISON_DATA", value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Make a new node: its data directory, database and member code.
    Init {
        #[command(flatten)]
        data: DataDir,
        /// The member this node belongs to (ISO 3166-1 alpha-3, e.g. MLI).
        #[arg(long, value_name = "ISO3")]
        member: String,
        /// Use this PostgreSQL database instead of the embedded SQLite file.
        #[arg(long, value_name = "postgres://…")]
        db: Option<String>,
    },
    /// Import published event data (UCDP GED or ACLED CSV files, as published) or STIX 2.1
    /// bundles and TAXII envelopes (JSON).
    Import {
        #[arg(value_enum)]
        dataset: DatasetArg,
        /// One or more files (CSV; JSON for stix).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        data: DataDir,
        /// Store the valid rows and report the invalid ones, instead of storing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Built-in scenarios.
    Scenario {
        #[command(subcommand)]
        command: ScenarioCommand,
    },
    /// Search and read incidents.
    Incidents {
        #[command(subcommand)]
        command: IncidentsCommand,
    },
    /// Record this node's member's reading of an incident (terrorism, banditry, …). Readings are
    /// kept side by side per member and never change the incident.
    Characterise {
        /// The incident's id.
        id: String,
        /// terrorism, organised_crime, trafficking, insurgency, communal_violence, banditry or
        /// unknown. Without it, --term is looked up in the crosswalk.
        #[arg(long = "as", value_name = "CATEGORY")]
        category: Option<String>,
        /// low, moderate or high.
        #[arg(long, default_value = "moderate", value_name = "LEVEL")]
        confidence: String,
        /// Why you read it this way (required, at most 2,000 characters).
        #[arg(long, value_name = "TEXT")]
        rationale: String,
        /// Your own word for it, e.g. "banditisme armé" (at most 200 characters).
        #[arg(long, value_name = "TERM")]
        term: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Members' readings of incidents: side by side, and where they disagree.
    Characterisations {
        #[command(subcommand)]
        command: CharacterisationsCommand,
    },
    /// Counts and fatality sums of incidents, grouped.
    Stats {
        #[command(flatten)]
        data: DataDir,
        /// Dimensions: country, year, month, type, sub_type, originator, category (the
        /// --characterised-by member's current category), zone (an incident in two zones counts
        /// in both). Monthly trends per zone and type: --by zone,month,type.
        #[arg(long, default_value = "country,year", value_name = "DIMS")]
        by: String,
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV: a header of the dimensions, then incidents and fatality sums.
        #[arg(long)]
        csv: bool,
    },
    /// Users of this node.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Serve the node's API.
    Serve {
        #[command(flatten)]
        data: DataDir,
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        listen: String,
        /// Also answer peers (HTTPS with the node's key) on this address, and sync with them.
        #[arg(long, value_name = "ADDR")]
        federation_listen: Option<String>,
    },
    /// Export incidents in a standard format.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// TAXII 2.1: this node's collections, and pulling from other servers.
    Taxii {
        #[command(subcommand)]
        command: TaxiiCommand,
    },
    /// Hotspots: DBSCAN clusters of incidents by great-circle distance (scikit-learn's
    /// semantics), with centroids, countries and cross-border flags.
    Hotspots {
        #[command(flatten)]
        data: DataDir,
        /// Neighbourhood radius in km.
        #[arg(long, default_value_t = 25.0, value_name = "KM")]
        eps_km: f64,
        /// Incidents within --eps-km of an incident, itself included, that make it a core point.
        #[arg(long, default_value_t = 5, value_name = "N")]
        min_points: usize,
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Field reports: short texts from community liaisons and patrols (one SMS), read into draft
    /// incidents for review (docs/field-reports.md).
    Report {
        #[command(subcommand)]
        command: crate::reports::ReportCommand,
    },
    /// Watch rules: on actors, zones, types, countries and thresholds; a matching incident
    /// raises an alert, and a flash rule pushes it to partners ahead of any backlog.
    Watch {
        #[command(subcommand)]
        command: crate::alerts::WatchCommand,
    },
    /// Alerts, tracked from raised to acknowledged to action taken to closed.
    Alerts {
        #[command(subcommand)]
        command: crate::alerts::AlertsCommand,
    },
    /// Per member: what it shared with this node, what it received, and how fast each answered
    /// the other's flash alerts (or, with --peer, the figures a partner publishes).
    Reciprocity {
        /// The figures this partner publishes, instead of this node's own.
        #[arg(long)]
        peer: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Integrated regional zones: named areas that may cross borders.
    Zone {
        #[command(subcommand)]
        command: crate::zones::ZoneCommand,
    },
    /// Operations declared by members: conflicts between them and notices to neighbours.
    Ops {
        #[command(subcommand)]
        command: crate::ops::OpsCommand,
    },
    /// Force contributions (pledged, committed, deployed) and their sums per member and zone.
    Forces {
        #[command(subcommand)]
        command: crate::forces::ForcesCommand,
    },
    /// Patrol sectors, where members' forces may go, and a proposed allocation of committed
    /// troops to sectors.
    Sectors {
        #[command(subcommand)]
        command: crate::sectors::SectorsCommand,
    },
    /// Fuse reports of one event by several members (claims) into fused incidents.
    Fuse(crate::fusion::FuseArgs),
    /// Fused incidents: list, show, sign the agreed version, split.
    Fusion {
        #[command(subcommand)]
        command: crate::fusion::FusionCommand,
    },
    /// Names across scripts and spellings: compare pairs as the matcher does.
    Names {
        #[command(subcommand)]
        command: crate::names::NamesCommand,
    },
    /// Actors of this node: rank them against a name, with the reasons.
    Actors {
        #[command(subcommand)]
        command: crate::names::ActorsCommand,
    },
    /// Geography shipped with the program: the country and admin-1 of a point, its distance to
    /// the border, and places looked up by name in the gazetteer.
    Geo {
        #[command(subcommand)]
        command: crate::geo::GeoCommand,
    },
    /// This node's identity: its member code and Ed25519 public key.
    Identity {
        #[command(subcommand)]
        command: crate::federation::IdentityCommand,
    },
    /// The members this node federates with.
    Peer {
        #[command(subcommand)]
        command: crate::federation::PeerCommand,
    },
    /// Sharing agreements: what this node releases, to whom, transformed how.
    Agreement {
        #[command(subcommand)]
        command: crate::federation::AgreementCommand,
    },
    /// The disclosure ledger, for auditors: list it, verify it end to end, check peers'
    /// receipts, export the latest checkpoint, list alarms.
    Audit {
        #[command(subcommand)]
        command: crate::audit::AuditCommand,
    },
    /// Pull from peers what they release to this node, and deliver attestations.
    Sync {
        #[command(flatten)]
        data: DataDir,
        /// One sync with each peer, then exit (the continuous sync runs inside `serve`).
        #[arg(long)]
        once: bool,
        /// Only this peer.
        #[arg(long, value_name = "ISO3")]
        peer: Option<String>,
        /// Print each peer's sync status and the latest refusals instead of syncing.
        #[arg(long, conflicts_with = "once")]
        status: bool,
        #[arg(long)]
        json: bool,
    },
    /// Make a demonstration node with the built-in scenario and shipped UCDP data, and serve it.
    Demo {
        /// Where to make the node (default: a new directory under the system's temp dir).
        #[arg(long = "data", value_name = "DIR")]
        dir: Option<PathBuf>,
        #[arg(long, default_value = "MLI", value_name = "ISO3")]
        member: String,
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        listen: String,
        /// Prepare the node and print what `serve` would, then exit without serving.
        #[arg(long)]
        no_serve: bool,
        /// The brief's federation instead: nodes for Algeria, Mali, Mauritania, Niger and the
        /// fusion cell on loopback, with agreements, synced and served.
        #[arg(long)]
        federation: bool,
    },
}

#[derive(ValueEnum, Debug, Clone, Copy)]
pub enum DatasetArg {
    Ucdp,
    Acled,
    /// The UCDP actor list (CSV): actor records with their UCDP ids, names and history.
    UcdpActors,
    /// STIX 2.1 bundles or TAXII envelopes; every object is kept as it came.
    Stix,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Write the matching incidents and everything they reference as one STIX 2.1 bundle.
    Stix {
        #[command(flatten)]
        data: DataDir,
        #[command(flatten)]
        filters: FilterArgs,
        /// Write the bundle to this file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Also include every STIX object kept from imports (every version), as it came.
        #[arg(long)]
        include_foreign: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TaxiiCommand {
    /// Copy a remote TAXII 2.1 collection into this node (every version, kept verbatim);
    /// run it again to fetch only what is new.
    Pull {
        /// The remote's discovery URL (…/taxii2/) or API root URL.
        url: String,
        /// The remote collection's id.
        #[arg(long, value_name = "ID")]
        collection: String,
        /// HTTP Basic user name (with --password).
        #[arg(long, requires = "password", conflicts_with = "token")]
        user: Option<String>,
        /// HTTP Basic password (or set LIAISON_TAXII_PASSWORD).
        #[arg(
            long,
            env = "LIAISON_TAXII_PASSWORD",
            hide_env_values = true,
            requires = "user"
        )]
        password: Option<String>,
        /// Bearer token (or set LIAISON_TAXII_TOKEN).
        #[arg(long, env = "LIAISON_TAXII_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// The local collection to pull into (default: a new read-only one, then the same).
        #[arg(long, value_name = "ID")]
        into: Option<String>,
        /// Objects per page (1 to 1000).
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Stop after this many pages; the next run resumes.
        #[arg(long, value_name = "N")]
        max_pages: Option<u32>,
        #[command(flatten)]
        data: DataDir,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// This node's TAXII collections.
    Collection {
        #[command(subcommand)]
        command: CollectionCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum CollectionCommand {
    /// Add a collection and print its id.
    Add {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        /// Nobody writes it over TAXII (the node, or pulls, fill it).
        #[arg(long)]
        read_only: bool,
        #[command(flatten)]
        data: DataDir,
    },
    /// List the collections: id, read-only or read-write, title.
    List {
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Subcommand, Debug)]
pub enum ScenarioCommand {
    /// Load a built-in scenario (members, actors, places, incidents) into the node.
    Load {
        /// The scenario's name (sahel-2012).
        name: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// List the built-in scenarios.
    List,
}

#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Only incidents in this country (ISO3).
    #[arg(long, value_name = "ISO3")]
    pub country: Option<String>,
    /// Only incidents whose dates reach this day or later (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only incidents whose dates reach this day or earlier (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Event type (attack, battle, …) or sub-type (kidnapping, …); repeat or comma-separate.
    #[arg(long = "type", value_name = "T", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Bounding box west,south,east,north in degrees.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Words that must all occur (French or English, any accents or inflections).
    #[arg(long, value_name = "Q")]
    pub text: Option<String>,
    /// Only incidents originated by this member (ISO3).
    #[arg(long, value_name = "ISO3")]
    pub originator: Option<String>,
    /// "As characterised by": only incidents this member (ISO3) has a reading of.
    #[arg(long, value_name = "ISO3")]
    pub characterised_by: Option<String>,
    /// With --characterised-by: only incidents whose current reading by that member is this
    /// category.
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Only incidents inside this integrated regional zone, built-in or the node's own (see
    /// `liaison zone list`).
    #[arg(long, value_name = "ID")]
    pub zone: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum CharacterisationsCommand {
    /// Every member's current reading of one incident, side by side, with how many readings
    /// each has recorded.
    Show {
        id: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Incidents on which members' current categories differ, most recently read first.
    Divergence {
        #[command(flatten)]
        data: DataDir,
        /// Most incidents to list (at most 1000).
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

// Parsed once per run: the size of the largest variant (the list's filters) costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum IncidentsCommand {
    /// List incidents, newest first.
    List {
        #[command(flatten)]
        data: DataDir,
        #[command(flatten)]
        filters: FilterArgs,
        /// Most incidents to print (at most 1000).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Continue after a previous page (its `next_cursor`).
        #[arg(long)]
        cursor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one incident with its sources and versions.
    /// Send one of this node's incidents now to every peer an agreement releases it to (a flash
    /// item: it does not wait for the peers' next pull).
    Push {
        id: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// Recall one of this node's incidents: every member that received it hides it and attests.
    Recall {
        id: String,
        #[command(flatten)]
        data: DataDir,
    },
    Show {
        id: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user and print their API token (shown once, never stored).
    Add {
        name: String,
        #[arg(long, value_name = "ROLE", value_parser = ["analyst", "liaison", "admin", "auditor"])]
        role: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// List users and their roles.
    List {
        #[command(flatten)]
        data: DataDir,
    },
    /// Set a user's password for the web application, read from the first line of standard
    /// input (never from the command line, where other users of the machine could see it).
    /// Ends the user's open web sessions.
    Passwd {
        name: String,
        #[command(flatten)]
        data: DataDir,
    },
}
