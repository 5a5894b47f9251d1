//! Errors of the MIB compiler and resolver.

use std::path::PathBuf;

/// A module that cannot be read: where and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", file.display())]
#[non_exhaustive]
pub struct ParseError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
    /// What was wrong.
    pub message: String,
}

/// Loading modules failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MibError {
    /// A module's text is not valid SMI.
    #[error(transparent)]
    Parse(Box<ParseError>),
    /// A file of the search path could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// No file of the search path defines this module.
    #[error("module {module} not found in the MIB search path{}", importer.as_ref().map(|i| format!(" (imported by {i})")).unwrap_or_default())]
    ModuleNotFound {
        /// The module asked for.
        module: String,
        /// The module whose IMPORTS named it, if any.
        importer: Option<String>,
    },
}

impl From<ParseError> for MibError {
    fn from(e: ParseError) -> Self {
        Self::Parse(Box::new(e))
    }
}

/// A name that does not resolve to an OID.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// No loaded module defines the name (or the module is not loaded).
    #[error("unknown object identifier: {0}")]
    UnknownName(String),
    /// The suffix after the name is not a valid instance.
    #[error("bad instance suffix in {0}")]
    BadSuffix(String),
    /// Longer than the 128 sub-identifiers of an OID.
    #[error("{0} is longer than 128 sub-identifiers")]
    TooLong(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_stay_small() {
        assert!(size_of::<MibError>() <= 56, "{}", size_of::<MibError>());
    }
}
