//! The stress suite, against every implementation found: a thousand runs at tiny sleeps, and
//! OS limits reached thread after thread. Run with: cargo test --workspace --test stress
fn main() {
    conformance::suite::run(conformance::suite::Suite::Stress)
}
