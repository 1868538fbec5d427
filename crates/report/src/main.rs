//! `report <RESULTS_DIR>`: renders report.md and the charts of a results directory.
use clap::Parser;

/// Renders report.md and SVG charts from a results directory of scripts/bench.sh.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// A results directory, such as results/latest.
    dir: std::path::PathBuf,
}

fn main() {
    let args = Args::parse();
    match report::render(&args.dir) {
        Ok(path) => println!("{}", path.display()),
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}
