//! Finding the implementations: a folder with a `bench.toml` under `crates/` (named
//! `bench-<name>`), `versions/` or `peers/`.

use crate::defaults::{defaults, Folder};
use crate::stated::Stated;
use crate::{Error, Implementation, Manifest, MANIFEST};
use std::path::Path;

/// Every implementation under `root`, in the tables' order; a manifest that cannot be read
/// is an error that names it.
pub fn discover(root: &Path) -> Result<Vec<Implementation>, Error> {
    let mut found = Vec::new();
    for (kind, parent, prefix) in Folder::ALL {
        let Ok(entries) = std::fs::read_dir(root.join(parent)) else {
            continue;
        };
        for entry in entries.flatten() {
            let dir = entry.path();
            let folder = entry.file_name().to_string_lossy().into_owned();
            let Some(name) = folder.strip_prefix(prefix) else {
                continue;
            };
            let path = dir.join(MANIFEST);
            if !path.is_file() {
                continue;
            }
            let manifest = read_manifest(&path, name, kind)?;
            if manifest.name != name {
                return Err(Error::Name {
                    path,
                    stated: manifest.name,
                    folder: name.to_string(),
                });
            }
            found.push(Implementation::new(manifest, dir, root.to_path_buf()));
        }
    }
    found.sort_by(|a, b| {
        (a.manifest.order, &a.manifest.name).cmp(&(b.manifest.order, &b.manifest.name))
    });
    Ok(found)
}

/// The manifest at `path`, of the implementation `name` in a folder of kind `folder`.
fn read_manifest(path: &Path, name: &str, folder: Folder) -> Result<Manifest, Error> {
    let text = std::fs::read_to_string(path).map_err(|cause| Error::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    let not_one = |why: String| Error::Manifest {
        path: path.to_path_buf(),
        why: why.replace('\n', " "),
    };
    let stated: Stated = toml::from_str(&text).map_err(|e| not_one(e.to_string()))?;
    stated.resolve(defaults(name, folder)).map_err(not_one)
}
