//! Every implementation's name, its program's source and its folder, one per line
//! (`NAME<TAB>SOURCE<TAB>FOLDER`, relative to the repository): what `scripts/diff.sh` compares.
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
        let relative = |path: &std::path::Path| {
            let shown = path.strip_prefix(&root).unwrap_or(path);
            shown.display().to_string()
        };
        let (source, folder) = (implementation.source(), &implementation.dir);
        let name = implementation.name();
        lines += &format!("{name}\t{}\t{}\n", relative(&source), relative(folder));
    }
    // A reader that stops early (`| head`) is no error.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), lines.as_bytes());
}
