//! The `liaison` binary: parses the command line, runs the command, and turns any failure into
//! one line on stderr and a non-zero exit code.
//!
//! Exit codes: 0 success; 1 the command failed (the line says why); 2 the command line was wrong
//! (clap's usage errors).

mod actor_graph;
mod actor_match;
mod actor_review;
mod actors_import;
mod alerts;
mod audit;
mod characterisations;
mod cli;
mod federation;
mod forces;
mod fusion;
mod geo;
mod hotspots;
mod import;
mod names;
mod node;
mod ops;
mod query;
mod render;
mod reports;
mod scenario;
mod sectors;
mod serve;
mod stix;
mod taxii;
mod users;
mod web;
mod zones;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use cli::{
    CharacterisationsCommand, Cli, Command, DatasetArg, ExportCommand, IncidentsCommand,
    ScenarioCommand, UserCommand,
};
use liaison_import::Dataset;

/// The wall clock: the one place the program reads it (time is a parameter everywhere below).
#[allow(clippy::disallowed_methods)]
pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// A reader that stops early (`liaison incidents list | head`) closes the pipe; Rust's printing
/// macros then panic. The program cannot ask for the usual quiet death by SIGPIPE without unsafe
/// code, so that one panic ends the process as SIGPIPE would (status 141) and says nothing;
/// every other panic is reported as before.
fn quiet_on_closed_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        report(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LIAISON_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("liaison: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the chain of causes, outermost first.
            let msg = e
                .chain()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(": ")
                .replace('\n', " ");
            eprintln!("liaison: {msg}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Init { data, member, db } => {
            let node = node::init(&data.dir, &member, db.as_deref()).await?;
            let (shared, published) = taxii::default_collections(&node).await?;
            println!(
                "node {} initialised in {} ({})",
                node.member,
                data.dir.display(),
                match node.store.backend() {
                    liaison_store::Backend::Sqlite => "SQLite",
                    liaison_store::Backend::Postgres => "PostgreSQL",
                }
            );
            println!(
                "TAXII collections: {shared} (Shared, read-write), {published} (Published, read-only)"
            );
            node.store.close().await;
        }
        Command::Import {
            dataset,
            files,
            data,
            skip_invalid,
            json,
        } => {
            let dataset = match dataset {
                DatasetArg::Ucdp => Dataset::UcdpGed,
                DatasetArg::Acled => Dataset::Acled,
                DatasetArg::UcdpActors => {
                    if skip_invalid {
                        anyhow::bail!(
                            "an actor list is imported whole: --skip-invalid does not apply"
                        );
                    }
                    let node = node::open(&data.dir).await?;
                    actors_import::import(&node, &files, json).await?;
                    node.store.close().await;
                    return Ok(());
                }
                DatasetArg::Stix => {
                    let node = node::open(&data.dir).await?;
                    return stix::import(&node, &files, skip_invalid, json).await;
                }
            };
            let inputs = import::inputs(&files)?;
            let node = node::open(&data.dir).await?;
            let report = import::run(&node, dataset, &inputs, skip_invalid, "cli").await?;
            if report.committed {
                actor_review::link_new_and_say(&node, "import").await?;
            }
            node.store.close().await;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                import::print_text(&report);
            }
            import::check_committed(&report)?;
        }
        Command::Scenario { command } => match command {
            ScenarioCommand::List => {
                for name in liaison_scenario::names() {
                    println!("{name}");
                }
            }
            ScenarioCommand::Load { name, data } => {
                let node = node::open(&data.dir).await?;
                let l = scenario::load(&node, &name).await?;
                actor_review::link_new_and_say(&node, "scenario").await?;
                node.store.close().await;
                println!(
                    "scenario {name}: {} incidents inserted, {} unchanged, {} updated; {} members, {} actors, {} places",
                    l.outcome.inserted,
                    l.outcome.unchanged,
                    l.outcome.updated,
                    l.members,
                    l.actors,
                    l.places
                );
                println!("source: {}", l.attribution);
            }
        },
        Command::Incidents { command } => match command {
            IncidentsCommand::List {
                data,
                filters,
                limit,
                cursor,
                json,
            } => {
                let node = node::open(&data.dir).await?;
                query::list(&node, &filters, limit, cursor.as_deref(), json).await?;
            }
            IncidentsCommand::Push { id, data } => {
                let node = node::open(&data.dir).await?;
                federation::recall::push(&node, &data.dir, &id).await?;
            }
            IncidentsCommand::Recall { id, data } => {
                let node = node::open(&data.dir).await?;
                federation::recall::recall(&node, &id).await?;
            }
            IncidentsCommand::Show { id, data, json } => {
                let node = node::open(&data.dir).await?;
                query::show(&node, &id, json).await?;
            }
        },
        Command::Characterise {
            id,
            category,
            confidence,
            rationale,
            term,
            data,
            json,
        } => {
            let node = node::open(&data.dir).await?;
            let given = characterisations::Given {
                id: &id,
                category: category.as_deref(),
                confidence: &confidence,
                rationale: &rationale,
                term: term.as_deref(),
            };
            characterisations::characterise(&node, &given, json).await?;
            node.store.close().await;
        }
        Command::Characterisations { command } => match command {
            CharacterisationsCommand::Show { id, data, json } => {
                let node = node::open(&data.dir).await?;
                characterisations::show(&node, &id, json).await?;
            }
            CharacterisationsCommand::Divergence { data, limit, json } => {
                let node = node::open(&data.dir).await?;
                characterisations::divergence(&node, limit, json).await?;
            }
        },
        Command::Stats {
            data,
            by,
            filters,
            json,
            csv,
        } => {
            let node = node::open(&data.dir).await?;
            let format = match (json, csv) {
                (true, _) => query::StatsFormat::Json,
                (_, true) => query::StatsFormat::Csv,
                _ => query::StatsFormat::Text,
            };
            query::stats(&node, &by, &filters, format).await?;
        }
        Command::User { command } => match command {
            UserCommand::Add {
                name,
                role,
                data,
                json,
            } => {
                let node = node::open(&data.dir).await?;
                let token = users::add(&node, &name, &role).await?;
                node.store.close().await;
                if json {
                    let out = serde_json::json!({ "name": name, "role": role, "token": token });
                    println!("{out}");
                } else {
                    println!("user {name} ({role}) added; API token (shown once):");
                    println!("{token}");
                }
            }
            UserCommand::List { data } => {
                let node = node::open(&data.dir).await?;
                for u in node.store.users().await? {
                    println!("{} {}", u.name, u.role.as_str());
                }
            }
            UserCommand::Passwd { name, data } => {
                let node = node::open(&data.dir).await?;
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                let password = line.trim_end_matches(['\r', '\n']);
                users::set_password(&node, &name, password).await?;
                node.store.close().await;
                println!("password of {name} set; their web sessions are ended");
            }
        },
        Command::Serve {
            data,
            listen,
            federation_listen,
        } => {
            let node = node::open(&data.dir).await?;
            serve::serve(node, &data.dir, &listen, federation_listen.as_deref()).await?;
        }
        Command::Geo { command } => geo::run(command)?,
        Command::Identity { command } => federation::run_identity(command).await?,
        Command::Peer { command } => federation::run_peer(command).await?,
        Command::Agreement { command } => federation::run_agreement(command).await?,
        Command::Audit { command } => audit::run(command).await?,
        Command::Sync {
            data,
            once,
            peer,
            status,
            json,
        } => {
            let node = node::open(&data.dir).await?;
            if status {
                federation::sync::status(&node, json).await?;
            } else if once {
                federation::sync::run_once(&node, &data.dir, peer.as_deref(), json).await?;
            } else {
                anyhow::bail!(
                    "say --once for one sync now (continuous sync runs inside `liaison serve --federation-listen`), or --status"
                );
            }
        }
        Command::Export {
            command:
                ExportCommand::Stix {
                    data,
                    filters,
                    out,
                    include_foreign,
                },
        } => {
            let node = node::open(&data.dir).await?;
            stix::export(&node, &filters, out.as_deref(), include_foreign).await?;
        }
        Command::Taxii { command } => taxii::run(command).await?,
        Command::Names { command } => names::run_names(command)?,
        Command::Actors { command } => names::run_actors(command).await?,
        Command::Hotspots {
            data,
            eps_km,
            min_points,
            filters,
            json,
        } => {
            let node = node::open(&data.dir).await?;
            hotspots::run(&node, eps_km, min_points, &filters, json).await?;
        }
        Command::Zone { command } => zones::run(command).await?,
        Command::Ops { command } => ops::run(command).await?,
        Command::Forces { command } => forces::run(command).await?,
        Command::Sectors { command } => sectors::run(command).await?,
        Command::Report { command } => reports::run(command).await?,
        Command::Watch { command } => alerts::run_watch(command).await?,
        Command::Alerts { command } => alerts::run_alerts(command).await?,
        Command::Reciprocity { peer, data, json } => {
            alerts::reciprocity(&data.dir, peer.as_deref(), json).await?
        }
        Command::Fuse(args) => fusion::fuse_command(args).await?,
        Command::Fusion { command } => fusion::run(command).await?,
        Command::Demo {
            dir,
            member,
            listen,
            no_serve,
            federation,
        } => {
            if federation {
                let base = serve::demo_dir(dir.as_deref())?;
                federation::demo::run(&base, no_serve).await?;
            } else {
                serve::demo(dir.as_deref(), &member, &listen, no_serve).await?;
            }
        }
    }
    Ok(())
}
