//! `report <RESULTS_DIR>`: renders report.md and the charts of a results directory.
use clap::Parser;
use results::exit;
use std::path::PathBuf;

/// Renders report.md and SVG charts from a results directory of scripts/bench.sh.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// A results directory, such as results/latest.
    dir: PathBuf,
    /// Also rewrite the results section of this README (run from the repository's root).
    #[arg(long)]
    readme: Option<PathBuf>,
    /// Also rewrite the table of the figures a row carries in this document.
    #[arg(long)]
    figures: Option<PathBuf>,
}

fn main() {
    let args: Args = command_line::parse_or_exit();
    let rendered = report::render(&args.dir)
        .and_then(|path| match &args.readme {
            Some(readme) => report::update_readme(&args.dir, readme).map(|()| path),
            None => Ok(path),
        })
        .and_then(|path| match &args.figures {
            Some(document) => report::update_figures_table(document).map(|()| path),
            None => Ok(path),
        });
    match rendered {
        Ok(path) => println!("{}", path.display()),
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(match error.is_input() {
                true => exit::USAGE,
                false => exit::FAILED,
            });
        }
    }
}
