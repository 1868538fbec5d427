//! What the catalog's tests share: a manifest written into a folder, and a peer's manifest.

use catalog::MANIFEST;
use std::path::Path;

pub fn write(root: &Path, folder: &str, manifest: &str) {
    let dir = root.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(MANIFEST), manifest).unwrap();
}

pub const PEER: &str = r#"
name = "echo"
language = "Shell"
model = "event-loop"
order = 5
source = "run.sh"
build = [["sh", "-c", "echo built > {build}/out"]]
run = ["sh", "{dir}/run.sh"]
version = ["sh", "-c", "echo; echo sh $SHELL_VERSION; echo more"]
toolchain = ["sh", "-c", "true"]
install = "apt-get install dash"
bytes_per_task_bound = 100
env = { SHELL_VERSION = "1.0" }
workers = { SHELL_OPTIONS = "-j {workers} {dir}" }
[limits]
threads_per_task = 1
mappings_per_task = 2
"#;
