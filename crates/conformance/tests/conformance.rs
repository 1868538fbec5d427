//! The quick suite of checks, against every implementation found: `cargo test --workspace`.
fn main() {
    conformance::suite::run(conformance::suite::Suite::Quick)
}
