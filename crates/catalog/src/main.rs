//! Every implementation's name and its program's source, one per line (`NAME<TAB>PATH`,
//! relative to the repository): what `scripts/diff.sh` compares.
//!
//! Run with: `cargo run --quiet -p catalog`

fn main() {
    let root = catalog::repository_root();
    let found = catalog::discover(&root).unwrap_or_else(|error| {
        eprintln!("error: {error}");
        std::process::exit(harness::report::exit::FAILED)
    });
    let mut lines = String::new();
    for implementation in found {
        let source = implementation.source();
        let shown = source.strip_prefix(&root).unwrap_or(&source);
        lines += &format!("{}\t{}\n", implementation.name(), shown.display());
    }
    // A reader that stops early (`| head`) is no error.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), lines.as_bytes());
}
