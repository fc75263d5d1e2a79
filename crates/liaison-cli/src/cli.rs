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
    /// Import published event data (UCDP GED or ACLED CSV files, as published).
    Import {
        #[arg(value_enum)]
        dataset: DatasetArg,
        /// One or more CSV files.
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
    /// Counts and fatality sums of incidents, grouped.
    Stats {
        #[command(flatten)]
        data: DataDir,
        /// Dimensions: country, year, month, type, sub_type, originator.
        #[arg(long, default_value = "country,year", value_name = "DIMS")]
        by: String,
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long)]
        json: bool,
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
    },
}

#[derive(ValueEnum, Debug, Clone, Copy)]
pub enum DatasetArg {
    Ucdp,
    Acled,
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
}

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
}
