//! Which council's papers a data directory holds: `--council NAME` on the
//! command line, else `council = "NAME"` in `<DATA>/config.toml`, else the
//! built-in default (Chemnitz). NAME is a built-in profile or the path of a
//! profile file.
//!
//! A build that names another council than the data directory's config
//! writes the new name into the config and parses every file again, so that
//! no record keeps what the other profile read.

use std::path::{Path, PathBuf};

use anyhow::Context;
use ratsdoc_parse::{DEFAULT_PROFILE, Profile};
use serde::{Deserialize, Serialize};

/// The name of the data directory's config file.
pub const CONFIG_FILE: &str = "config.toml";

/// What `<DATA>/config.toml` holds.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DataConfig {
    /// The council profile: a built-in name or a .toml path.
    council: Option<String>,
}

/// The council chosen for a data directory, and whether it differs from
/// what the directory was last built with.
pub struct Chosen {
    pub name: String,
    pub profile: Profile,
    pub changed: bool,
}

fn config_path(data: &Path) -> PathBuf {
    data.join(CONFIG_FILE)
}

fn read_config(data: &Path) -> anyhow::Result<DataConfig> {
    let path = config_path(data);
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text)
            .with_context(|| format!("{} is not a valid config", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DataConfig::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// The council for `data`: the flag, else the config, else the default.
pub fn choose(data: &Path, flag: Option<&str>) -> anyhow::Result<Chosen> {
    let config = read_config(data)?;
    let stored = config.council.as_deref().unwrap_or(DEFAULT_PROFILE);
    let name = flag.unwrap_or(stored).to_string();
    let profile = Profile::load(&name).with_context(|| format!("council profile {name:?}"))?;
    Ok(Chosen {
        changed: name != stored,
        name,
        profile,
    })
}

/// Writes the chosen council into `<DATA>/config.toml`.
pub fn remember(data: &Path, name: &str) -> anyhow::Result<()> {
    let mut config = read_config(data)?;
    config.council = Some(name.to_string());
    let text = toml::to_string(&config).context("writing the data directory's config")?;
    std::fs::create_dir_all(data).with_context(|| format!("creating {}", data.display()))?;
    let path = config_path(data);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}
