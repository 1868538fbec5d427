//! The driver end to end: real implementations with tiny counts and a short sleep, and
//! stand-in implementations (folders with a manifest, in a repository of their own) that
//! hang, crash, or lack a toolchain.

mod diff_script;
mod failures;
mod killed;
mod runs;
mod side_by_side;
mod support;
